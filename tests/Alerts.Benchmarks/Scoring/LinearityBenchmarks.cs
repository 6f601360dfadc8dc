using System.Text;
using Alerts.Core.Feeds;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Alerts.Benchmarks.Scoring;

/// <summary>
/// Time per megabyte on hostile text, which feeds choose: each benchmark processes 10 MB, as 1,000 texts of 10 KB (the
/// baseline of its category), 10 of 1 MB, or one of 10 MB. Linear work gives a ratio near 1 for every size; the text
/// repeats crisis sentences full of matches, negations, reversals, numbers and place names (scoring, places,
/// signatures), or runs of '&lt;' that start no tag, entities and deep nesting (HTML to text).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LinearityBenchmarks
{
    private const int Total = 10_000_000;
    private static readonly CompiledKeywordLists Lists = DefaultKeywordLists.Compiled;
    private readonly Dictionary<int, string> _text = [];
    private readonly Dictionary<int, string> _html = [];

    [GlobalSetup]
    public void Setup()
    {
        foreach (var size in new[] { 10_000, 100_000, 1_000_000, Total })
        {
            _text[size] = Repeat("Police fired on protesters in Almaty, not lifted; the curfew was not lifted as 300 were killed. Chad Smith said troops from Russia arrived. ", size);
            _html[size] = Repeat("<p>Toll rises to <10 as >5 hurt &amp; <b><i>a < b</i></b> &lt;unclosed <span>", size);
        }
    }

    private static string Repeat(string unit, int chars)
    {
        var sb = new StringBuilder(chars + unit.Length);
        while (sb.Length < chars)
        {
            sb.Append(unit);
        }

        return sb.ToString(0, chars);
    }

    private int Score(int size)
    {
        var signals = 0;
        for (var i = 0; i < Total / size; i++)
        {
            signals += KeywordScorer.Score(Lists, "Curfew", _text[size]).Signals.Count;
        }

        return signals;
    }

    private int Places(int size)
    {
        var found = 0;
        for (var i = 0; i < Total / size; i++)
        {
            found += CountryDetector.Detect("Report", _text[size]).Count;
        }

        return found;
    }

    private int Signature(int size)
    {
        var bands = 0;
        for (var i = 0; i < Total / size; i++)
        {
            bands += StorySignature.Of(_text[size], _text[size]).BandKeys("KZ").Count;
        }

        return bands;
    }

    private int Html(int size)
    {
        var length = 0;
        for (var i = 0; i < Total / size; i++)
        {
            length += HtmlText.ToText(_html[size]).Length;
        }

        return length;
    }

    [BenchmarkCategory("Scoring"), Benchmark(Baseline = true)]
    public int Score_10KB_x1000() => Score(10_000);

    [BenchmarkCategory("Scoring"), Benchmark]
    public int Score_100KB_x100() => Score(100_000);

    [BenchmarkCategory("Scoring"), Benchmark]
    public int Score_1MB_x10() => Score(1_000_000);

    [BenchmarkCategory("Scoring"), Benchmark]
    public int Score_10MB_x1() => Score(Total);

    [BenchmarkCategory("Places"), Benchmark(Baseline = true)]
    public int Places_10KB_x1000() => Places(10_000);

    [BenchmarkCategory("Places"), Benchmark]
    public int Places_10MB_x1() => Places(Total);

    [BenchmarkCategory("Signature"), Benchmark(Baseline = true)]
    public int Signature_10KB_x1000() => Signature(10_000);

    [BenchmarkCategory("Signature"), Benchmark]
    public int Signature_10MB_x1() => Signature(Total);

    [BenchmarkCategory("HtmlToText"), Benchmark(Baseline = true)]
    public int Html_10KB_x1000() => Html(10_000);

    [BenchmarkCategory("HtmlToText"), Benchmark]
    public int Html_100KB_x100() => Html(100_000);

    [BenchmarkCategory("HtmlToText"), Benchmark]
    public int Html_1MB_x10() => Html(1_000_000);

    [BenchmarkCategory("HtmlToText"), Benchmark]
    public int Html_10MB_x1() => Html(Total);
}
