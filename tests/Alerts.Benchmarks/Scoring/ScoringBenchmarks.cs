using System.Buffers;
using System.Text.RegularExpressions;
using Alerts.Core.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alerts.Benchmarks.Scoring;

/// <summary>
/// Full scoring of ~4 KB articles against what a developer would pick instead, all over the same terms: (a) one
/// compiled, case-insensitive Regex alternation (backtracking), (a') the same pattern with
/// <see cref="RegexOptions.NonBacktracking"/>, (b) a bare SearchValues&lt;string&gt; scan that only counts literal
/// hits, and (c) a whole-word Aho-Corasick count. "Default" uses the shipped lists.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private const int Articles = 16;
    private string[] _articles = [];
    private CompiledKeywordLists _lists = null!;
    private Regex _regex = null!;
    private Regex _nonBacktracking = null!;
    private SearchValues<string> _searchValues = null!;
    private WholeWordAhoCorasick _ahoCorasick = null!;

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

        // The non-backtracking engine builds its automaton lazily; thousands of alternatives need a larger limit than
        // the default (the runtime reads it from this AppContext setting).
        AppContext.SetData("REGEX_NONBACKTRACKING_MAX_AUTOMATA_SIZE", 50_000_000);
        _nonBacktracking = new Regex(_regex.ToString(), RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        _ahoCorasick = new WholeWordAhoCorasick(terms);

        // The baselines must find what the alternation finds (the automaton also counts overlapping terms).
        var (regex, nonBacktracking, aho) = (_regex.Count(_articles[0]), _nonBacktracking.Count(_articles[0]), _ahoCorasick.Count(_articles[0]));
        if (regex == 0 || nonBacktracking != regex || aho < regex)
        {
            throw new InvalidOperationException($"Baselines disagree on the first article: Regex {regex}, NonBacktracking {nonBacktracking}, Aho-Corasick {aho}.");
        }
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
    public int Regex_NonBacktracking()
    {
        var hits = 0;
        foreach (var article in _articles)
        {
            hits += _nonBacktracking.Count(article);
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Articles)]
    public int AhoCorasick_WholeWordCount()
    {
        var hits = 0;
        foreach (var article in _articles)
        {
            hits += _ahoCorasick.Count(article);
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
