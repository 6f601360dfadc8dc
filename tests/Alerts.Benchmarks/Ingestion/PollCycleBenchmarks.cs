using System.Net;
using Alerts.Benchmarks.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Http;
using Alerts.Infrastructure.Memory;
using Alerts.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alerts.Benchmarks.Ingestion;

/// <summary>
/// One poll cycle of 1,000 feeds against the loopback feed server: PollFeeds' service queues every due feed, then the
/// FetchFeed service runs on every message with at most 32 in flight (the Functions queue batch on one instance).
/// Each feed answers after a latency between 100 and 300 ms (median 200 ms). The baseline is a cycle without stored
/// validators, where every feed sends its full body; in the measured cycle half of the feeds answer 304.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class PollCycleBenchmarks
{
    private const int Feeds = 1000;
    private const int InFlight = 32;
    private FeedServer _server = null!;
    private byte[] _body = [];
    private int _current;

    /// <summary>Most requests the server saw at once over the whole run.</summary>
    private static int s_maxObservedInFlight;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await FeedServer.StartAsync();
        _body = FeedCorpus.Rss(20 * 1024);
        for (var i = 0; i < Feeds; i++)
        {
            var index = i;
            var latency = TimeSpan.FromMilliseconds(100 + (200.0 * ((index * 7919) % Feeds) / Feeds));
            _server.Route($"f{index}", async ctx =>
            {
                var now = Interlocked.Increment(ref _current);
                InterlockedMax(ref s_maxObservedInFlight, now);
                try
                {
                    await Task.Delay(latency, ctx.RequestAborted);
                    ctx.Response.Headers.ETag = "\"v1\"";
                    if (index % 2 == 0 && ctx.Request.Headers.IfNoneMatch == "\"v1\"")
                    {
                        ctx.Response.StatusCode = 304;
                        return;
                    }

                    ctx.Response.ContentType = "application/rss+xml";
                    await ctx.Response.Body.WriteAsync(_body, ctx.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _current);
                }
            });
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _server.DisposeAsync();
        Console.WriteLine($"// Max requests in flight at the server: {s_maxObservedInFlight}");
    }

    [Benchmark(Baseline = true)]
    public Task<int> Cycle_Unconditional() => RunCycleAsync(withValidators: false);

    [Benchmark]
    public Task<int> Cycle_ConditionalHalf304() => RunCycleAsync(withValidators: true);

    private async Task<int> RunCycleAsync(bool withValidators)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IFeedRegistry, InMemoryFeedRegistry>()
            .AddSingleton<IArticleIndex, InMemoryArticleIndex>()
            .AddSingleton<InMemoryQueues>()
            .AddSingleton<IFeedFetchQueue>(sp => sp.GetRequiredService<InMemoryQueues>())
            .AddSingleton<IArticleQueue>(sp => sp.GetRequiredService<InMemoryQueues>())
            .AddSingleton<IArticleContentStore>(sp => sp.GetRequiredService<InMemoryQueues>())
            .AddSingleton<IngestionMetrics>()
            .AddSingleton<FeedPoller>()
            .AddSingleton<FeedIngestor>()
            .AddSingleton<IOptions<IngestionOptions>>(Options.Create(new IngestionOptions()));
        var fetcherOptions = new FetcherOptions { AllowLoopback = true };
        var handler = SafeConnector.CreateHandler(new LoopbackResolver(), fetcherOptions);
        services.AddSingleton<IFeedFetcher>(sp => new SafeFeedFetcher(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan },
            Options.Create(fetcherOptions), TimeProvider.System, NullLogger<SafeFeedFetcher>.Instance));
        await using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<IFeedRegistry>();
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < Feeds; i++)
        {
            // A distinct host name per feed, as in real life, so per-server connection limits apply per publisher.
            var url = $"http://feed{i}.bench.test:{_server.BaseUri.Port}/f{i}";
            await registry.AddAsync(new FeedRecord { Id = $"feed{i}", Url = url, NextDueAt = now, ETag = withValidators ? "\"v1\"" : null }, default);
        }

        await provider.GetRequiredService<FeedPoller>().PollAsync(default);
        var queues = provider.GetRequiredService<InMemoryQueues>();
        var ingestor = provider.GetRequiredService<FeedIngestor>();
        var failures = 0;
        await Parallel.ForEachAsync(queues.Fetches, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (message, ct) =>
        {
            var result = await ingestor.IngestAsync(message, ct);
            if (result.Outcome == IngestOutcome.Failed)
            {
                Interlocked.Increment(ref failures);
            }
        });

        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} feeds failed during the cycle.");
        }

        return queues.Articles;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class LoopbackResolver : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(new[] { IPAddress.Loopback });
    }
}
