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

    private ServedStore(string folder) => Folder = folder;

    /// <summary>The temporary folder holding the store and the outbox.</summary>
    public string Folder { get; }

    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static async Task<ServedStore> StartAsync(params string[] extraArguments)
    {
        var served = new ServedStore(Directory.CreateTempSubdirectory("alerts-serve-").FullName);
        var store = Path.Combine(served.Folder, ".alerts");
        var outbox = Path.Combine(served.Folder, "outbox");
        var samples = Path.Combine(RepositoryPaths.Root, "samples", "feeds.opml");
        Assert.Equal(0, await CliApp.RunAsync(["run", "--once", "--feeds", samples, "--store", store, "--outbox", outbox], TextReader.Null, new StringWriter(), new StringWriter()));

        served.Port = FreePort();
        served._serve = CliApp.RunAsync(["serve", "--store", store, "--outbox", outbox, "--port", served.Port.ToString(CultureInfo.InvariantCulture), "--key", Key, .. extraArguments], TextReader.Null, new StringWriter(), new StringWriter(), served._stop.Token);
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
