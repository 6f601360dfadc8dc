using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Alerts.Testing;

namespace Alerts.Cli.Tests.Commands;

/// <summary>
/// <c>alerts serve</c> on a free loopback port over a store filled by <c>alerts run --once</c> from the sample feeds;
/// ready when /api/health answers, stopped (and its folder deleted) on dispose.
/// </summary>
public sealed class ServedStore : IAsyncDisposable
{
    public const string Key = "test-admin-key";
    private readonly CancellationTokenSource _stop = new();
    private Task<int> _serve = null!;

    private ServedStore(string folder)
    {
        Folder = folder;
        _output = TextWriter.Synchronized(_outputText);
        _error = TextWriter.Synchronized(_errorText);
    }

    /// <summary>The temporary folder holding the store and the outbox.</summary>
    public string Folder { get; }

    public int Port { get; private set; }

    /// <summary>What <c>alerts serve</c> wrote to standard output and standard error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _outputText.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _errorText.ToString();
            }
        }
    }

    private readonly StringWriter _outputText = new();
    private readonly StringWriter _errorText = new();
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static Task<ServedStore> StartAsync(params string[] extraArguments) => StartWithFeedsAsync(null, extraArguments);

    /// <summary>The same, with a second <c>alerts run --once</c> on <paramref name="moreFeeds"/> (an OPML file) before serving.</summary>
    public static async Task<ServedStore> StartWithFeedsAsync(string? moreFeeds, params string[] extraArguments)
    {
        var served = new ServedStore(Directory.CreateTempSubdirectory("alerts-serve-").FullName);
        var store = Path.Combine(served.Folder, ".alerts");
        var outbox = Path.Combine(served.Folder, "outbox");
        var samples = Path.Combine(RepositoryPaths.Root, "samples", "feeds.opml");
        Assert.Equal(0, await CliApp.RunAsync(["run", "--once", "--feeds", samples, "--store", store, "--outbox", outbox], TextReader.Null, new StringWriter(), new StringWriter()));
        if (moreFeeds is not null)
        {
            Assert.Equal(0, await CliApp.RunAsync(["run", "--once", "--feeds", moreFeeds, "--store", store, "--outbox", outbox], TextReader.Null, new StringWriter(), new StringWriter()));
        }

        served.Port = FreePort();
        served._serve = CliApp.RunAsync(["serve", "--store", store, "--outbox", outbox, "--port", served.Port.ToString(CultureInfo.InvariantCulture), "--key", Key, .. extraArguments], TextReader.Null, served._output, served._error, served._stop.Token);
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(served.BaseAddress, "api/health"))).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (i < 100 && !served._serve.IsCompleted)
            {
            }

            await Task.Delay(100);
        }

        return served;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Assert.Equal(0, await _serve);
        _stop.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
