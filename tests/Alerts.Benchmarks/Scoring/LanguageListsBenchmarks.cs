using Alerts.Core.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alerts.Benchmarks.Scoring;

/// <summary>
/// Scoring with the default list of all eleven languages against the default list as it was with English, French and
/// Spanish alone (commit c27f9df, <c>Scoring/Data/escalation-en-fr-es.keywords</c>), on the same ~4 KB articles written
/// from the en/fr/es list's phrases (the news most feeds carry). The memory each compiled list holds is printed, and
/// the memory of the two gazetteers that place articles.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class LanguageListsBenchmarks
{
    private const int Articles = 16;
    private CompiledKeywordLists _enFrEs = null!;
    private CompiledKeywordLists _eleven = null!;
    private string[] _articles = [];

    [GlobalSetup]
    public void Setup()
    {
        Held(() => Alerts.Core.Places.Gazetteer.Default, "country gazetteer (names in eleven languages, cities)");
        Held(() => Alerts.Core.Places.PlaceGazetteer.Default, "place gazetteer (divisions and towns)");
        var document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scoring", "Data", "escalation-en-fr-es.keywords"));
        _enFrEs = Compile(() => CompiledKeywordLists.Compile(KeywordListParser.Parse(document)), "en/fr/es (c27f9df)");
        _eleven = Compile(() => CompiledKeywordLists.Compile(KeywordListParser.Parse(DefaultKeywordLists.All.Single().Value)), "eleven languages (default)");
        var terms = _enFrEs.Definitions.SelectMany(d => d.Signals).SelectMany(s => s.Rules).OfType<PhraseRule>()
            .SelectMany(p => p.Alternatives).Select(p => string.Join(' ', p.Tokens.Select(t => t.Text))).Distinct().ToList();
        _articles = [.. Enumerable.Range(0, Articles).Select(i => ScoringCorpus.Article(terms, i))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Articles)]
    public int EnglishFrenchSpanishLists() => ScoreAll(_enFrEs);

    [Benchmark(OperationsPerInvoke = Articles)]
    public int ElevenLanguageLists() => ScoreAll(_eleven);

    private int ScoreAll(CompiledKeywordLists lists)
    {
        var signals = 0;
        foreach (var article in _articles)
        {
            signals += KeywordScorer.Score(lists, null, article).Signals.Count;
        }

        return signals;
    }

    // Compiles a list and prints the memory it keeps (what stays reachable after a full collection).
    private static CompiledKeywordLists Compile(Func<CompiledKeywordLists> compile, string name) =>
        Held(compile, name, lists => $"{lists.Definitions.Sum(d => d.Signals.Count)} signals, ");

    // Loads something once and prints the memory it keeps.
    private static T Held<T>(Func<T> load, string name, Func<T, string>? describe = null)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loaded = load();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// {name}: {describe?.Invoke(loaded)}{(after - before) / 1024.0:N0} KB held");
        GC.KeepAlive(loaded);
        return loaded;
    }
}
