using Alerts.Core.Scoring;
using Alerts.Core.Stories;
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
/// embedded store (country-scoped LSH bands, bounded candidates, the country's newest stories). The stories compared
/// per article are counted and printed after each run.
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class StoryLookupBenchmarks
{
    private const int Probes = 256;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private CountingStoryStore _store = null!;
    private StoryClusterer _clusterer = null!;
    private Dictionary<string, List<StorySignature>> _byCountry = [];
    private StoryArticle[] _probes = [];
    private long _found;

    [Params(10_000, 100_000, 1_000_000)]
    public int Stories { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var corpus = new NewsCorpus(7);
        var store = new InMemoryStoryStore();
        _byCountry = [];
        var stored = new NewsCorpus.Report[Stories];
        for (var i = 0; i < Stories; i++)
        {
            var report = stored[i] = corpus.Next();
            var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
            await store.TryCreateAsync(new Story
            {
                Id = "s" + i, FirstArticleId = "a" + i, Title = report.Title, FirstSeen = Now.AddSeconds(-(Stories - i) * 250_000.0 / Stories), LastSeen = Now,
                Countries = [report.Country], Signature = signature.ToBytes(), Event = StoryEvent.Of(report.Title, report.Lead, report.Signals),
            }, new StoryKeys(report.Country, signature.BandKeys(report.Country)), default);
            if (!_byCountry.TryGetValue(report.Country, out var list))
            {
                _byCountry[report.Country] = list = [];
            }

            list.Add(signature);
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
        if (_store.Finds > 0)
        {
            Console.WriteLine(System.FormattableString.Invariant(
                $"// {Stories} stories: {(double)_store.Compared / _store.Finds:0.0} stories compared per article (at most {StoryClusterer.MaxCandidates + StoryClusterer.MaxRecent}), {(double)_found / _store.Finds:P0} of probes joined (half are retellings)"));
        }
    }
}
