using System.Diagnostics;
using System.Text;

namespace Alerts.Cli.Tests.Chaos;

/// <summary><c>alerts</c> (the built command next to the tests) as its own process, with its output kept for diagnosis.</summary>
internal sealed class AlertsProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AlertsProcess(Process process) => _process = process;

    /// <summary>The last lines the process wrote (standard output and error).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.Length > 8000 ? _log.ToString(_log.Length - 8000, 8000) : _log.ToString();
            }
        }
    }

    public static AlertsProcess Start(string store, string outbox, string feeds, string config) =>
        Start("run", "--store", store, "--outbox", outbox, "--feeds", feeds, "--config", config);

    /// <summary>Starts <c>alerts</c> with <paramref name="arguments"/>.</summary>
    public static AlertsProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "alerts.dll") }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new AlertsProcess(Process.Start(start)!);
        process._process.OutputDataReceived += (_, e) => process.Append(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Append(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL: no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit(10_000);
    }

    /// <summary>SIGINT, as Ctrl+C at a terminal sends.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        _process.WaitForExit(); // the output handlers have run
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
