using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Alerts.Benchmarks.Situation;

/// <summary>
/// Archive search over 1,000,000 archived articles (<see cref="SituationCorpus"/>, 90 days), the newest 25 matches of
/// the whole 90 days, through <see cref="ArchiveSearch"/>: the embedded store's FTS5 archive
/// (<see cref="SqliteArchiveStore"/>) against the other design there is, the day-partitioned word index that Azure
/// uses (<see cref="InMemoryArchiveStore"/> over the same SQLite file). The query's words are drawn from the corpus by
/// frequency: the commonest word, a word of rank 3,000, the busiest country by name with a word of rank 100, the second
/// busiest country with at least warning, and two common words.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class ArchiveSearchBenchmarks
{
    private SqliteStore _store = null!;
    private ArchiveSearch _dayIndex = null!;
    private ArchiveSearch _fullText = null!;
    private ArchiveQuery _query = null!;

    [Params(1_000_000)]
    public int Articles { get; set; }

    [Params("common word", "rare word", "country and word", "country and severity", "two words")]
    public string Query { get; set; } = "";

    [GlobalSetup]
    public async Task Setup()
    {
        var folder = await SituationCorpus.EnsureAsync(Articles);
        _store = new SqliteStore(folder);
        var archive = new SqliteArchiveStore(_store);
        _fullText = new ArchiveSearch(archive);
        _dayIndex = new ArchiveSearch(new InMemoryArchiveStore(_store));

        // Word and country frequencies from a day of the corpus.
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var countries = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var entry in archive.ListAsync(SituationCorpus.Now.AddDays(-1), SituationCorpus.Now, default))
        {
            foreach (var word in ArchiveTokens.Words(entry.Title + "\n" + entry.Lead).Distinct(StringComparer.Ordinal))
            {
                words[word] = words.GetValueOrDefault(word) + 1;
            }

            countries[entry.Countries[0]] = countries.GetValueOrDefault(entry.Countries[0]) + 1;
        }

        var byRank = words.Where(w => !w.Key.Any(char.IsDigit)).OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key).ToList();
        var busiest = countries.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key).ToList();
        var name = Core.Places.Gazetteer.Default.Countries[busiest[0]].Name;
        var from = SituationCorpus.Now.AddDays(-SituationCorpus.Days);
        var to = SituationCorpus.Now.AddDays(1);
        _query = Query switch
        {
            "common word" => new ArchiveQuery { Text = byRank[0], From = from, To = to },
            "rare word" => new ArchiveQuery { Text = byRank[Math.Min(3000, byRank.Count - 1)], From = from, To = to },
            "country and word" => new ArchiveQuery { Text = name + " " + byRank[100], From = from, To = to },
            "country and severity" => new ArchiveQuery { Country = busiest[1], MinimumSeverity = Severity.Warning, From = from, To = to },
            _ => new ArchiveQuery { Text = byRank[3] + " " + byRank[30], From = from, To = to },
        };
        var fts = (await _fullText.SearchAsync(_query, null, 25, default)).Items.Select(i => i.ArticleId).ToList();
        var days = (await _dayIndex.SearchAsync(_query, null, 25, default)).Items.Select(i => i.ArticleId).ToList();
        Console.WriteLine($"// {Query}: {string.Join(' ', ArchiveSearch.Terms(_query))}: {fts.Count} and {days.Count} results, {(fts.SequenceEqual(days) ? "the same" : "DIFFERENT")}");
        if (!fts.SequenceEqual(days))
        {
            throw new InvalidOperationException("The two indexes disagree on the newest 25 matches.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> DayPartitionedIndex() => (await _dayIndex.SearchAsync(_query, null, 25, default)).Items.Count;

    [Benchmark]
    public async Task<int> Fts5() => (await _fullText.SearchAsync(_query, null, 25, default)).Items.Count;
}
