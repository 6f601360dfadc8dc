using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Alerts.Testing;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>
/// The real Azure Functions host running the published app, as an operator runs it: app settings in the environment,
/// 127.0.0.1 and a free port, keys in files. Which host: <c>ALERTS_FUNCTIONS_HOST</c> (a script taking APP_DIR and
/// PORT, like the shared host's <c>run</c>, or the word <c>func</c>), else Core Tools' <c>func</c> on PATH, else
/// <c>../shared/functions-host/run</c> beside the repository. Every line the host and its worker print is kept with the
/// time it arrived. Stopped with SIGTERM (the host then stops its worker), killed only if it does not exit.
/// </summary>
internal sealed class FunctionsHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly ConcurrentQueue<HostLogLine> _lines = new();
    private readonly Process _process;
    private readonly string _logFile;
    private readonly StreamWriter _log;
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();

    private FunctionsHostProcess(Process process, string name, int port, string secretsPath, string logFile, StreamWriter log)
    {
        _process = process;
        Name = name;
        Port = port;
        SecretsPath = secretsPath;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        _logFile = logFile;
        _log = log;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string SecretsPath { get; }

    /// <summary>How long the host took from process start to the app's first answer on /api/health.</summary>
    public TimeSpan StartupTime { get; private set; }

    public string MasterKey { get; private set; } = "";

    public string FunctionKey { get; private set; } = "";

    public IReadOnlyList<HostLogLine> Lines => [.. _lines];

    public bool HasExited => _process.HasExited;

    /// <summary>How the host is found, for messages: a description of the command, or null when there is none.</summary>
    public static (string FileName, string[] Arguments, string Description)? Locate(string appDir, int port)
    {
        var configured = Environment.GetEnvironmentVariable("ALERTS_FUNCTIONS_HOST");
        var portText = port.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured == "func"
                ? ("func", ["start", "--port", portText], "func start (ALERTS_FUNCTIONS_HOST=func)")
                : ("bash", [configured, appDir, portText], configured + " (ALERTS_FUNCTIONS_HOST)");
        }

        if (OnPath("func") is { } func)
        {
            return (func, ["start", "--port", portText], "func start (Core Tools on PATH)");
        }

        var shared = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "functions-host", "run"));
        return File.Exists(shared) ? ("bash", [shared, appDir, portText], shared) : null;
    }

    public static Task<FunctionsHostProcess> StartAsync(string name, string appDir, int port, IReadOnlyDictionary<string, string?> settings)
    {
        var located = Locate(appDir, port) ?? throw new InvalidOperationException(
            "No Azure Functions host for the end-to-end tests: install Azure Functions Core Tools (func on PATH), or set "
            + "ALERTS_FUNCTIONS_HOST to a host's run script (APP_DIR PORT), such as ../shared/functions-host/run.");
        var secrets = Path.Combine(Path.GetTempPath(), "alerts-host-secrets-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(secrets);
        var start = new ProcessStartInfo(located.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = appDir,
        };
        foreach (var argument in located.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AzureWebJobsSecretStorageType"] = "files";
        start.Environment["FUNCTIONS_SECRETS_PATH"] = secrets;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        foreach (var (key, value) in settings)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var logFile = Path.Combine(Path.GetTempPath(), $"alerts-host-{name}-{Guid.NewGuid().ToString("N")[..8]}.log");
        var log = new StreamWriter(logFile, append: false, Encoding.UTF8) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + located.Description);
        var host = new FunctionsHostProcess(process, name, port, secrets, logFile, log);
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        host.Add($"[test] started {located.Description} for {appDir} on port {port} (pid {process.Id})");
        return Task.FromResult(host);
    }

    /// <summary>Waits until the app answers /api/health, then reads the keys the host writes on the first keyed request.</summary>
    public async Task WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            ThrowIfFailed();
            if (clock.Elapsed > StartTimeout)
            {
                throw Failure($"The app did not answer /api/health within {StartTimeout.TotalSeconds} s.");
            }

            try
            {
                using var response = await http.GetAsync("api/health");
                // The host answers 503 with its own page while it starts; the app's answer is JSON.
                if (response.Content.Headers.ContentType?.MediaType == "application/json")
                {
                    StartupTime = _sinceStart.Elapsed;
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        await ReadKeysAsync(http);
    }

    private async Task ReadKeysAsync(HttpClient http)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, "admin/host/status");
        probe.Headers.Add("x-functions-key", "not-a-key");
        using var _ = await http.SendAsync(probe);
        var file = Path.Combine(SecretsPath, "host.json");
        for (var i = 0; i < 100 && !File.Exists(file); i++)
        {
            await Task.Delay(100);
        }

        if (!File.Exists(file))
        {
            throw Failure($"The host wrote no keys to {file}.");
        }

        using var keys = JsonDocument.Parse(await ReadSharedAsync(file)); // UTF-8 with a byte-order mark
        MasterKey = keys.RootElement.GetProperty("masterKey").GetProperty("value").GetString()!;
        FunctionKey = keys.RootElement.GetProperty("functionKeys").EnumerateArray().First(k => k.GetProperty("name").GetString() == "default").GetProperty("value").GetString()!;
    }

    private static async Task<string> ReadSharedAsync(string file)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await File.ReadAllTextAsync(file)).TrimStart('\uFEFF');
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A client for the host's address with the master key (admin endpoints, timers, function routes).</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        return http;
    }

    /// <summary>Runs a timer function at once through the host's admin API, as the portal's "Test/Run" does (202).</summary>
    public async Task InvokeAsync(string function)
    {
        using var http = CreateClient(MasterKey);
        using var response = await http.PostAsync("admin/functions/" + function, new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw Failure($"POST /admin/functions/{function} answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>
    /// Puts the host in drain mode, as the platform does before it removes an instance: its listeners stop taking
    /// messages and the invocations in flight finish. Returns when the host reports the drain completed.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        using var http = CreateClient(MasterKey);
        using (var response = await http.PostAsync("admin/host/drain", content: null))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw Failure($"POST /admin/host/drain answered {(int)response.StatusCode}.");
            }
        }

        await WaitForAsync(
            async () =>
            {
                using var status = await http.GetAsync("admin/host/drain/status");
                return (await status.Content.ReadAsStringAsync()).Contains("Completed", StringComparison.OrdinalIgnoreCase);
            },
            timeout,
            "the host's drain completed");
    }

    /// <summary>Invocations of <paramref name="function"/> the host finished with <paramref name="outcome"/> (Succeeded or Failed).</summary>
    public IReadOnlyList<HostLogLine> Executions(string function, string outcome = "Succeeded") =>
        [.. _lines.Where(l => l.Text.Contains($"Executed 'Functions.{function}' ({outcome}", StringComparison.Ordinal))];

    /// <summary>Waits until <paramref name="condition"/> holds, failing with the host's log after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitForAsync(() => Task.FromResult(condition()), timeout, what);

    public async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            ThrowIfFailed();
            if (clock.Elapsed > timeout)
            {
                throw Failure($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops the host with SIGTERM and waits; kills it (and its worker) only if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        var workers = Children(_process.Id);
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Add("[test] the host did not stop within the grace period after SIGTERM; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        // The host stops its worker on SIGTERM; make sure none outlives it.
        foreach (var pid in workers)
        {
            try
            {
                using var worker = Process.GetProcessById(pid);
                if (!worker.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    Add($"[test] worker {pid} outlived the host; killing it");
                    worker.Kill(entireProcessTree: true);
                }
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
    }

    /// <summary>An exception carrying the host's log (the last lines inline, the whole log in a file).</summary>
    public Exception Failure(string message)
    {
        var tail = string.Join(Environment.NewLine, _lines.TakeLast(400).Select(l => l.Text));
        return new InvalidOperationException($"{message}{Environment.NewLine}Functions host '{Name}' log (whole log: {_logFile}):{Environment.NewLine}{tail}");
    }

    private void ThrowIfFailed()
    {
        if (_process.HasExited)
        {
            throw Failure($"The Functions host exited with code {_process.ExitCode}.");
        }

        if (_lines.Any(l => l.Text.Contains("Exceeded language worker restart retry count", StringComparison.Ordinal)))
        {
            throw Failure("The worker failed to start (the host gave up restarting it).");
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(new HostLogLine(TimeProvider.System.GetUtcNow(), line));
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    private static List<int> Children(int pid)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    result.Add(child);
                }
            }
            catch (IOException)
            {
            }
        }

        return result;
    }

    private static string? OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}

/// <summary>One line of the host's output and when it arrived.</summary>
internal sealed record HostLogLine(DateTimeOffset At, string Text);
