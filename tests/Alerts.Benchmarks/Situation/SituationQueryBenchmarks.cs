using Alerts.Core.Situation;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Benchmarks.Situation;

/// <summary>
/// The map (3 days) and a country's page (90 days, the busiest country) over 1,000,000 archived articles
/// (<see cref="SituationCorpus"/>), read from the roll-ups in the embedded store and in Azurite. Baseline: the map as
/// one would compute it without roll-ups, from the archived articles of the three days (a GROUP BY over articles).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class SituationQueryBenchmarks
{
    private readonly AzuriteFixture _azurite = new();
    private SqliteStore _store = null!;
    private SqliteArchiveStore _archive = null!;
    private SituationService _embedded = null!;
    private SituationService _table = null!;
    private string _busiest = "";

    [Params(1_000_000)]
    public int Articles { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var folder = await SituationCorpus.EnsureAsync(Articles);
        _store = new SqliteStore(folder);
        _archive = new SqliteArchiveStore(_store);
        var activity = new InMemoryActivityStore(_store);
        var time = new FakeTimeProvider(SituationCorpus.Now);
        var feeds = new InMemoryFeedRegistry();
        _embedded = new SituationService(activity, new InMemoryAlertStore(), new InMemoryStoryStore(), new InMemoryScoredArticleStore(), feeds, time);

        await _azurite.InitializeAsync();
        var clients = _azurite.CreateClients(out _);
        var tableActivity = new TableActivityStore(clients);
        await SituationCorpus.CopyActivityAsync(activity, tableActivity);
        _table = new SituationService(tableActivity, new TableAlertStore(clients), new TableStoryStore(clients, time), new TableScoredArticleStore(clients, time), new TableFeedRegistry(clients), time);
        var map = await _embedded.MapAsync(3, default);
        _busiest = map.Countries.OrderByDescending(c => c.Articles).First().Code;
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(map, Core.Ingestion.ArticleMessage.JsonOptions).Length;
        Console.WriteLine($"// map: {map.Articles:N0} articles in 3 days, {map.Countries.Count} countries; busiest {_busiest}; the map's JSON {json:N0} bytes");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _store.Dispose();
        await _azurite.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> MapFromTheArticles()
    {
        var entries = new List<ArchiveEntry>();
        await foreach (var entry in _archive.ListAsync(ActivityPeriod.DayOf(SituationCorpus.Now).AddDays(-2), SituationCorpus.Now.AddDays(1), default))
        {
            entries.Add(entry);
        }

        return ActivityPeriod.FromEntries(SituationCorpus.Now, entries).Countries.Count;
    }

    [Benchmark]
    public async Task<int> MapFromRollupsEmbedded() => (await _embedded.MapAsync(3, default)).Countries.Count;

    [Benchmark]
    public async Task<int> MapFromRollupsAzurite() => (await _table.MapAsync(3, default)).Countries.Count;

    [Benchmark]
    public async Task<int> CountryPage90DaysEmbedded() => (await _embedded.CountryAsync(_busiest, 90, default))!.Timeline.Count;

    [Benchmark]
    public async Task<int> CountryPage90DaysAzurite() => (await _table.CountryAsync(_busiest, 90, default))!.Timeline.Count;
}
