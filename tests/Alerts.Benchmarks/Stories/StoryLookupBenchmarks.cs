using System.Text;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Memory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Alerts.Benchmarks.Stories;

/// <summary>
/// Per article: country detection and finding its story among 100,000 stories in the window. Baseline: detection and
/// a comparison of the article's signature with every story's. Measured: detection and the LSH band lookup.
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class StoryLookupBenchmarks
{
    private const int Stories = 100_000;
    private const int Probes = 64;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Places = ["Almaty", "Kenya", "Bamako", "Peru", "Kyiv", "Dhaka", "Caracas", "Niger", "Khartoum", "Manila"];
    private InMemoryStoryStore _store = null!;
    private StoryClusterer _clusterer = null!;
    private StorySignature[] _signatures = [];
    private StoryArticle[] _probes = [];

    [GlobalSetup]
    public async Task Setup()
    {
        var random = new Random(7);
        _store = new InMemoryStoryStore();
        _signatures = new StorySignature[Stories];
        var titles = new string[Stories];
        var leads = new string[Stories];
        for (var i = 0; i < Stories; i++)
        {
            titles[i] = Sentence(random, 7) + " in " + Places[i % Places.Length];
            leads[i] = Sentence(random, 30);
            var signature = StorySignature.Of(titles[i], leads[i]);
            _signatures[i] = signature;
            await _store.TryCreateAsync(new Story
            {
                Id = "s" + i, FirstArticleId = "a" + i, Title = titles[i], FirstSeen = Now.AddMinutes(-i % 4000), LastSeen = Now,
                Signature = signature.ToBytes(),
            }, new StoryKeys(StoryClusterer.NoCountry, signature.BandKeys(StoryClusterer.NoCountry)), default);
        }

        // Half the probes retell an existing story with a few words changed; half are new events.
        _probes = Enumerable.Range(0, Probes).Select(p =>
        {
            var i = random.Next(Stories);
            var (title, lead) = p % 2 == 0 ? (titles[i].Replace(" in ", " near ", StringComparison.Ordinal), Sentence(random, 3) + " " + leads[i]) : (Sentence(random, 7), Sentence(random, 30));
            return new StoryArticle("p" + p, title, lead, null, "f", Now, [], Severity.None);
        }).ToArray();
        _clusterer = new StoryClusterer(_store);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Probes)]
    public int CompareWithEveryStory()
    {
        var found = 0;
        foreach (var probe in _probes)
        {
            _ = CountryDetector.Detect(probe.Title, probe.Lead);
            var signature = StorySignature.Of(probe.Title, probe.Lead);
            foreach (var story in _signatures)
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
    public async Task<int> LshBandLookup()
    {
        var found = 0;
        foreach (var probe in _probes)
        {
            _ = CountryDetector.Detect(probe.Title, probe.Lead);
            found += await _clusterer.FindAsync(probe, default) is null ? 0 : 1;
        }

        return found;
    }

    // Forty syllables of two to four per word: a vocabulary as wide as real news, so that band collisions are as rare.
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ten", "sar", "vo", "ri", "dun", "pe", "sha", "gor", "li", "na", "bek", "tu", "ro", "zan", "mo", "fe", "ki",
        "bar", "del", "sto", "wen", "cha", "ple", "mun", "tra", "vis", "hol", "gan", "ber", "pri", "sol", "tem", "nor", "cla", "fin", "dro", "lux",
    ];

    private static string Sentence(Random random, int words)
    {
        var sb = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
            {
                sb.Append(' ');
            }

            var syllables = 2 + random.Next(3);
            for (var s = 0; s < syllables; s++)
            {
                sb.Append(Syllables[random.Next(Syllables.Length)]);
            }
        }

        return sb.ToString();
    }
}
