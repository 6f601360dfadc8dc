using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;

namespace Alerts.Benchmarks.Situation;

/// <summary>
/// Archive search over 1,000,000 archived articles (<see cref="SituationCorpus"/>, 90 days), the newest 25 matches of
/// the whole 90 days: <see cref="ArchiveSearch"/> over the embedded store's day-partitioned word index, against SQLite
/// FTS5 on the same articles (words and tags, newest first by rowid), what a user of SQLite would pick. The query's
/// words are drawn from the corpus by frequency: the commonest word, a word of rank 3,000, the busiest country by name
/// with a word of rank 100, the second busiest with at least warning, and two common words.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class ArchiveSearchBenchmarks
{
    private SqliteStore _store = null!;
    private SqliteConnection _fts = null!;
    private ArchiveSearch _search = null!;
    private ArchiveQuery _query = null!;
    private string _match = "";

    [Params(1_000_000)]
    public int Articles { get; set; }

    [Params("common word", "rare word", "country and word", "country and severity", "two words")]
    public string Query { get; set; } = "";

    [GlobalSetup]
    public async Task Setup()
    {
        var folder = await SituationCorpus.EnsureAsync(Articles);
        _store = new SqliteStore(folder);
        var archive = new InMemoryArchiveStore(_store);
        _search = new ArchiveSearch(archive);
        _fts = new SqliteConnection($"Data Source={SituationCorpus.FtsPath(Articles)};Mode=ReadOnly;Pooling=False");
        _fts.Open();

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
        (_query, _match) = Query switch
        {
            "common word" => (new ArchiveQuery { Text = byRank[0], From = from, To = to }, $"words:{byRank[0]}"),
            "rare word" => (new ArchiveQuery { Text = byRank[Math.Min(3000, byRank.Count - 1)], From = from, To = to }, $"words:{byRank[Math.Min(3000, byRank.Count - 1)]}"),
            "country and word" => (new ArchiveQuery { Text = name + " " + byRank[100], From = from, To = to }, $"tags:{SituationCorpus.FtsTag(ArchiveTokens.Country(busiest[0]))} AND words:{byRank[100]}"),
            "country and severity" => (new ArchiveQuery { Country = busiest[1], MinimumSeverity = Severity.Warning, From = from, To = to }, $"tags:{SituationCorpus.FtsTag(ArchiveTokens.Country(busiest[1]))} AND tags:v_warning"),
            _ => (new ArchiveQuery { Text = byRank[3] + " " + byRank[30], From = from, To = to }, $"words:{byRank[3]} AND words:{byRank[30]}"),
        };
        var ours = (await _search.SearchAsync(_query, null, 25, default)).Items.Select(i => i.Key).ToList();
        var theirs = Fts5Newest();
        Console.WriteLine($"// {Query}: {string.Join(' ', ArchiveSearch.Terms(_query))} / {_match}: {ours.Count} and {theirs.Count} results, {(ours.SequenceEqual(theirs) ? "the same" : "DIFFERENT")}");
        if (!ours.SequenceEqual(theirs))
        {
            throw new InvalidOperationException("The index and FTS5 disagree on the newest 25 matches.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fts.Dispose();
        _store.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Fts5() => Fts5Newest().Count;

    [Benchmark]
    public async Task<int> DayPartitionedIndex() => (await _search.SearchAsync(_query, null, 25, default)).Items.Count;

    private List<string> Fts5Newest()
    {
        using var command = _fts.CreateCommand();
        command.CommandText = "SELECT key, words FROM articles WHERE articles MATCH $match ORDER BY rowid DESC LIMIT 25";
        command.Parameters.AddWithValue("$match", _match);
        var keys = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
