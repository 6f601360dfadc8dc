using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using BenchmarkDotNet.Attributes;
using Alerts.Testing;
using BenchmarkDotNet.Engines;

namespace Alerts.Benchmarks.Stories;

/// <summary>
/// Per article: finding its story among 10,000, 100,000 or 1,000,000 stories in the window, on generated news with
/// realistic skewed vocabulary, names and countries (<see cref="NewsCorpus"/>). Half the probes retell a stored story,
/// half are new events. Baseline: what one would write without an index, the article's signature compared with every
/// story of its country. Measured: <see cref="StoryClusterer.FindAsync(StoryArticle, CancellationToken)"/> over the
/// local story store in process memory (tests, `alerts serve` over memory) and over SQLite, as `alerts run` keeps it
/// (country-scoped LSH bands, bounded candidates, the country's newest stories). The stories compared per article are
/// counted and printed after each run. The SQLite window is written once per size into the temporary folder and
/// reused by later runs (it is deterministic); process memory at 1,000,000 stories (about 10 GB) is not measured.
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class StoryLookupBenchmarks
{
    private const int Probes = 256;

    // Raised whenever what a stored window holds changes (the corpus, signatures, event features, the store's layout):
    // a SQLite window is written once per size and version, then reused.
    private const int WindowVersion = 1;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private CountingStoryStore _store = null!;
    private StoryClusterer _clusterer = null!;
    private Dictionary<string, List<StorySignature>> _byCountry = [];
    private StoryArticle[] _probes = [];
    private SqliteStore? _sqlite;
    private long _found;

    /// <summary>The store and the number of stories in the window: "memory 10000", "sqlite 1000000".</summary>
    [ParamsSource(nameof(Windows))]
    public string Window { get; set; } = "";

    /// <summary>The windows measured: all but the in-memory store at 1,000,000 (about 10 GB), or those ALERTS_STORY_WINDOWS lists ("memory 1000000").</summary>
    public static IEnumerable<string> Windows => Environment.GetEnvironmentVariable("ALERTS_STORY_WINDOWS") is { Length: > 0 } chosen
        ? chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        : ["memory 10000", "memory 100000", "sqlite 10000", "sqlite 100000", "sqlite 1000000"];

    private int Stories => int.Parse(Window.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [GlobalSetup]
    public async Task Setup()
    {
        var corpus = new NewsCorpus(7);
        var folder = Path.Combine(Path.GetTempPath(), $"alerts-bench-stories-v{WindowVersion}-{Stories}");
        var ready = Path.Combine(folder, "seeded");
        var seed = Window.StartsWith("memory", StringComparison.Ordinal) || !File.Exists(ready);
        if (!seed)
        {
            _sqlite = new SqliteStore(folder);
        }
        else if (!Window.StartsWith("memory", StringComparison.Ordinal))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            _sqlite = new SqliteStore(folder, groupTime: Timeout.InfiniteTimeSpan);
        }

        var store = _sqlite is null ? new InMemoryStoryStore() : new InMemoryStoryStore(_sqlite);
        _byCountry = [];
        var stored = new NewsCorpus.Report[Stories];
        for (var i = 0; i < Stories; i++)
        {
            var report = stored[i] = corpus.Next();
            var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
            if (seed)
            {
                await store.TryCreateAsync(new Story
                {
                    Id = "s" + i, FirstArticleId = "a" + i, Title = report.Title, FirstSeen = Now.AddSeconds(-(Stories - i) * 250_000.0 / Stories), LastSeen = Now,
                    Countries = [report.Country], Signature = signature.ToBytes(), Event = StoryEvent.Of(report.Title, report.Lead, report.Signals),
                }, new StoryKeys(report.Country, signature.BandKeys(report.Country)), null, default);
            }

            if (!_byCountry.TryGetValue(report.Country, out var list))
            {
                _byCountry[report.Country] = list = [];
            }

            list.Add(signature);
        }

        if (_sqlite is not null && seed)
        {
            _sqlite.Flush();
            await File.WriteAllTextAsync(ready, Stories.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var random = new Random(11);
        _probes = [.. Enumerable.Range(0, Probes).Select(p =>
        {
            var report = p % 2 == 0 ? corpus.Retell(stored[random.Next(Stories)]) : corpus.Next();
            return new StoryArticle("p" + p, report.Title, report.Lead, null, "f", Now, [report.Country], Severity.None, report.Signals);
        })];
        _store = new CountingStoryStore(store);
        _clusterer = new StoryClusterer(_store);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Probes)]
    public int CompareWithEveryStoryOfTheCountry()
    {
        var found = 0;
        foreach (var probe in _probes)
        {
            var signature = StorySignature.Of(probe.Title, probe.Lead, probe.Signals ?? []);
            foreach (var story in _byCountry.GetValueOrDefault(probe.MainCountry) ?? [])
            {
                if (story.Similarity(signature) >= StoryClusterer.SimilarityThreshold)
                {
                    found++;
                    break;
                }
            }
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Probes)]
    public async Task<int> StoryClustererFind()
    {
        var found = 0;
        foreach (var probe in _probes)
        {
            found += await _clusterer.FindAsync(probe, default) is null ? 0 : 1;
        }

        _found += found;
        return found;
    }

    [GlobalCleanup]
    public void Report()
    {
        _sqlite?.Dispose();
        if (_store.Finds > 0)
        {
            Console.WriteLine(System.FormattableString.Invariant(
                $"// {Window}: {(double)_store.Compared / _store.Finds:0.0} stories compared per article (at most {StoryClusterer.MaxCandidates + StoryClusterer.MaxRecent}), {(double)_found / _store.Finds:P0} of probes joined (half are retellings)"));
        }
    }
}
