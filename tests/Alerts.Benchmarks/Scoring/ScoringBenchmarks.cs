using System.Buffers;
using System.Text.RegularExpressions;
using Alerts.Core.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alerts.Benchmarks.Scoring;

/// <summary>
/// Full scoring of ~4 KB articles against (a) one compiled, case-insensitive Regex alternation of the same terms and
/// (b) a bare SearchValues&lt;string&gt; scan that only counts literal hits. "Default" uses the shipped lists.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private const int Articles = 16;
    private string[] _articles = [];
    private CompiledKeywordLists _lists = null!;
    private Regex _regex = null!;
    private SearchValues<string> _searchValues = null!;

    [Params("default", "1000", "5000")]
    public string Terms { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        List<string> terms;
        if (Terms == "default")
        {
            _lists = DefaultKeywordLists.Compiled;
            terms = _lists.Definitions.SelectMany(d => d.Signals).SelectMany(s => s.Rules)
                .SelectMany(r => r switch
                {
                    PhraseRule p => p.Alternatives,
                    NearRule n => n.Left.Concat(n.Right),
                    QuantityRule q => q.Terms,
                    _ => [],
                })
                .Select(p => string.Join(' ', p.Tokens.Select(t => t.Text)))
                .Distinct()
                .ToList();
        }
        else
        {
            terms = ScoringCorpus.Terms(int.Parse(Terms, System.Globalization.CultureInfo.InvariantCulture));
            _lists = CompiledKeywordLists.Compile(KeywordListParser.Parse(ScoringCorpus.List(terms)));
        }

        _articles = Enumerable.Range(0, Articles).Select(i => ScoringCorpus.Article(terms, i)).ToArray();
        _regex = new Regex(@"\b(?:" + string.Join('|', terms.Select(Regex.Escape)) + @")\b", RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        _searchValues = SearchValues.Create(terms.ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Bytes of UTF-16 text per operation, to turn times into MB/s.</summary>
    public int TextBytes => _articles.Sum(a => a.Length * 2);

    [Benchmark(Baseline = true, OperationsPerInvoke = Articles)]
    public int Regex_Alternation()
    {
        var hits = 0;
        foreach (var article in _articles)
        {
            hits += _regex.Count(article);
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Articles)]
    public int SearchValues_CountHits()
    {
        var hits = 0;
        foreach (var article in _articles)
        {
            var span = article.AsSpan();
            int at;
            while ((at = span.IndexOfAny(_searchValues)) >= 0)
            {
                hits++;
                span = span[(at + 1)..];
            }
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Articles)]
    public int KeywordScorer_FullScore()
    {
        var signals = 0;
        foreach (var article in _articles)
        {
            signals += KeywordScorer.Score(_lists, "Report", article).Signals.Count;
        }

        return signals;
    }
}

/// <summary>Compiling a list: parse and compile 5,000 terms, against parsing alone.</summary>
[MemoryDiagnoser]
public class ListCompileBenchmarks
{
    private string _document = "";

    [GlobalSetup]
    public void Setup() => _document = ScoringCorpus.List(ScoringCorpus.Terms(5000));

    [Benchmark(Baseline = true)]
    public KeywordListDefinition Parse_5000Terms() => KeywordListParser.Parse(_document);

    [Benchmark]
    public CompiledKeywordLists ParseAndCompile_5000Terms() => CompiledKeywordLists.Compile(KeywordListParser.Parse(_document));
}
