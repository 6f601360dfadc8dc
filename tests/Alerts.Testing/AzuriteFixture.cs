using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Alerts.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Xunit;

namespace Alerts.Testing;

/// <summary>
/// Starts the real Azurite emulator (from the repository's node_modules) on free loopback ports with in-memory
/// persistence, and stops it at the end. Each test class asks for its own queues, tables and containers with
/// <see cref="CreateClients(out StorageOptions)"/>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _process;
    private readonly StringBuilder _log = new();

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing): run 'npm ci' at the repository root.");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
            var workspace = Path.Combine(Path.GetTempPath(), "azurite-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(workspace);
            var start = new ProcessStartInfo("node")
            {
                ArgumentList =
                {
                    script, "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                    "--disableProductStyleUrl",
                    "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workspace,
            };
            _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
            _process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
            _process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            try
            {
                await WaitForPortsAsync([blob, queue, table], TimeSpan.FromSeconds(60));
                ConnectionString =
                    $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
                    $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;" +
                    $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
                    $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                last = ex;
                await StopAsync();
            }
        }

        throw new InvalidOperationException("Azurite did not start: " + last?.Message + Environment.NewLine + _log);
    }

    public Task DisposeAsync() => StopAsync();

    /// <summary>Storage clients over this Azurite with resource names unique to the caller.</summary>
    public StorageClients CreateClients(out StorageOptions names) => CreateClients(ConnectionString, out names);

    /// <summary>Clients with fresh names through <paramref name="connectionString"/> (a proxy in front of this Azurite).</summary>
    public static StorageClients CreateClients(string connectionString, out StorageOptions names)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        names = new StorageOptions
        {
            FeedsTable = "feeds" + suffix,
            ArticleIndexTable = "articleindex" + suffix,
            ArticlesContainer = "articles-" + suffix,
            FeedFetchQueue = "feed-fetch-" + suffix,
            ArticlesQueue = "articles-" + suffix,
            KeywordListsContainer = "keywordlists-" + suffix,
            ScoredArticlesTable = "scoredarticles" + suffix,
            AlertsTable = "alerts" + suffix,
            StoriesTable = "stories" + suffix,
            StoryBandsTable = "storybands" + suffix,
            BreakingQueue = "breaking-" + suffix,
            SubscribersTable = "subscribers" + suffix,
            DeliveriesTable = "deliveries" + suffix,
            RateLimitsTable = "ratelimits" + suffix,
            KeywordListVersionsTable = "keywordlistversions" + suffix,
            RunsTable = "runs" + suffix,
            FeedbackTable = "feedback" + suffix,
            ArchiveTable = "archive" + suffix,
            ActivityTable = "activity" + suffix,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", connectionString)]).Build();
        return new StorageClients(configuration, Options.Create(names));
    }

    private async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task WaitForPortsAsync(int[] ports, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (true)
            {
                if (_process!.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}.");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (deadline.Elapsed < timeout)
                {
                    await Task.Delay(100);
                }
                catch (SocketException)
                {
                    throw new TimeoutException($"Azurite did not listen on port {port} within {timeout.TotalSeconds} s.");
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
