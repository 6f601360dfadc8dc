using Alerts.Core.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alerts.Benchmarks.Scoring;

/// <summary>
/// What detecting an article's language adds to scoring it: <see cref="LanguageDetector.Detect"/> against
/// <see cref="KeywordScorer.Score"/> with the default lists (the baseline), on the same sixteen ~4 KB articles.
/// </summary>
[MemoryDiagnoser]
public class LanguageDetectionBenchmarks
{
    private const int Articles = 16;
    private string[] _articles = [];

    [GlobalSetup]
    public void Setup()
    {
        var terms = ScoringCorpus.Terms(1000);
        _articles = [.. Enumerable.Range(0, Articles).Select(i => ScoringCorpus.Article(terms, i))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Articles)]
    public int Score_DefaultLists()
    {
        var signals = 0;
        foreach (var article in _articles)
        {
            signals += KeywordScorer.Score(DefaultKeywordLists.Compiled, "Report", article).Signals.Count;
        }

        return signals;
    }

    [Benchmark(OperationsPerInvoke = Articles)]
    public int Detect_Language()
    {
        var english = 0;
        foreach (var article in _articles)
        {
            english += LanguageDetector.Detect("Report", article)?.Code == "en" ? 1 : 0;
        }

        return english;
    }
}
