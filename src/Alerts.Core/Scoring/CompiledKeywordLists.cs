using System.Collections.Frozen;
namespace Alerts.Core.Scoring;

/// <summary>
/// One or more keyword lists compiled together: a shared vocabulary of normalized tokens (exact words and prefixes),
/// and for each signal its rules as arrays of term ids. Compile once, score many articles; immutable and thread-safe.
/// </summary>
public sealed class CompiledKeywordLists
{
    internal Dictionary<string, int> Exact { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, int> Prefix { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ExactLookup { get; }
    internal Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> PrefixLookup { get; }
    internal double[] NumberValues { get; private set; } = [];
    internal bool[] IsUnit { get; private set; } = [];
    internal bool[] IsMonth { get; private set; } = [];

    /// <summary>Bloom filters over the FNV-1a hashes of exact words and of prefixes: most tokens are ruled out with one bit test.</summary>
    internal ulong[] ExactBloom { get; } = new ulong[BloomWords];
    internal ulong[] PrefixBloom { get; } = new ulong[BloomWords];

    internal const int BloomWords = 1024; // 65,536 bits

    /// <summary>
    /// For each two-letter start, the lengths of the prefixes that begin with it, as bits (bit n: a prefix of n letters):
    /// a token tests only those, and most tokens none, after one array read.
    /// </summary>
    internal ulong[] PrefixLengthsByStart { get; } = new ulong[1 << 16];

    internal static int StartKey(char first, char second) => ((first & 0xFF) << 8) | (second & 0xFF);
    internal const uint HashSeed = 2166136261;

    internal static uint HashStep(uint hash, char c) => (hash ^ c) * 16777619;

    internal static bool Test(ulong[] bloom, uint hash) => (bloom[(hash >> 6) & (BloomWords - 1)] & (1UL << (int)(hash & 63))) != 0;

    private static void Set(ulong[] bloom, string text)
    {
        var hash = HashSeed;
        foreach (var c in text)
        {
            hash = HashStep(hash, c);
        }

        bloom[(hash >> 6) & (BloomWords - 1)] |= 1UL << (int)(hash & 63);
    }
    internal int TermCount => _terms.Count;
    internal CompiledList[] Lists { get; }

    /// <summary>For each term id, the global indexes of the rules anchored on it, so only those rules are evaluated.</summary>
    internal int[][] TermRules { get; }

    /// <summary>For each global rule index, the global index of its signal.</summary>
    internal int[] RuleSignal { get; }

    /// <summary>Number of signals over all lists; a signal's global index is its list's offset plus its index.</summary>
    internal int SignalCount { get; }

    internal int[] SignalOffsets { get; }

    private readonly List<(string Text, bool Prefix)> _terms = [];
    private readonly Dictionary<(string, bool), int> _ids = [];

    private CompiledKeywordLists(IReadOnlyList<KeywordListDefinition> definitions)
    {
        ExactLookup = Exact.GetAlternateLookup<ReadOnlySpan<char>>();
        PrefixLookup = Prefix.GetAlternateLookup<ReadOnlySpan<char>>();
        var negation = KeywordListParser.ParseBuiltIn(LanguageResources.Negation);
        var framing = KeywordListParser.ParseBuiltIn(LanguageResources.Framing);
        var builtInNegation = negation.Select(Phrase).ToArray();
        var builtInFraming = framing.Select(Phrase).ToArray();
        foreach (var word in LanguageResources.NumberWords.Keys)
        {
            Index(Term(word, prefix: false));
        }

        var unitTerms = KeywordListParser.ParseBuiltIn(LanguageResources.Units).Select(p => Index(Term(p.Tokens[0].Text, prefix: false))).ToHashSet();
        var monthTerms = KeywordListParser.ParseBuiltIn(LanguageResources.Months).Select(p => Index(Term(p.Tokens[0].Text, prefix: false))).ToHashSet();

        var termRules = new List<HashSet<int>>();
        var ruleSignal = new List<int>();
        var signalCount = 0;
        SignalOffsets = new int[definitions.Count];
        Lists = new CompiledList[definitions.Count];
        for (var l = 0; l < definitions.Count; l++)
        {
            var definition = definitions[l];
            var signals = new CompiledSignal[definition.Signals.Count];
            SignalOffsets[l] = signalCount;
            for (var s = 0; s < signals.Length; s++)
            {
                var signal = definition.Signals[s];
                var rules = new CompiledRule[signal.Rules.Count];
                for (var r = 0; r < rules.Length; r++)
                {
                    rules[r] = Rule(signal.Rules[r]) with { Index = ruleSignal.Count };
                    ruleSignal.Add(signalCount);

                    // A rule can only match where an anchor of its (left) phrases occurs: index rules by those anchors.
                    foreach (var term in rules[r].Left.Select(p => p.Terms[p.Anchor]))
                    {
                        while (termRules.Count <= term)
                        {
                            termRules.Add([]);
                        }

                        termRules[term].Add(rules[r].Index);
                    }
                }

                signals[s] = new CompiledSignal(signal, rules, new PhraseSet([.. signal.Excludes.Select(Phrase)]), new PhraseSet([.. signal.Reverses.Select(Phrase)]), new PhraseSet([.. signal.ArticleExcludes.Select(Phrase)]), signalCount);
                signalCount++;
            }

            Lists[l] = new CompiledList(
                definition,
                signals,
                new PhraseSet([.. builtInNegation, .. definition.Negation.Select(Phrase)]),
                new PhraseSet([.. builtInFraming, .. definition.Framing.Select(Phrase)]));
        }

        TermRules = new int[_terms.Count][];
        for (var t = 0; t < _terms.Count; t++)
        {
            TermRules[t] = t < termRules.Count ? [.. termRules[t]] : [];
        }

        RuleSignal = [.. ruleSignal];
        SignalCount = signalCount;

        foreach (var word in Exact.Keys)
        {
            Set(ExactBloom, word);
        }

        foreach (var prefix in Prefix.Keys)
        {
            Set(PrefixBloom, prefix);
            PrefixLengthsByStart[StartKey(prefix[0], prefix[1])] |= 1UL << Math.Min(prefix.Length, 63);
        }

        IsUnit = new bool[_terms.Count];
        foreach (var unit in unitTerms)
        {
            IsUnit[unit] = true;
        }

        IsMonth = new bool[_terms.Count];
        foreach (var month in monthTerms)
        {
            IsMonth[month] = true;
        }

        NumberValues = new double[_terms.Count];
        for (var t = 0; t < _terms.Count; t++)
        {
            NumberValues[t] = !_terms[t].Prefix && LanguageResources.NumberWords.TryGetValue(_terms[t].Text, out var value) ? value : double.NaN;
        }
    }

    /// <summary>The lists compiled here, in order.</summary>
    public IReadOnlyList<KeywordListDefinition> Definitions => Lists.Select(l => l.Definition).ToArray();

    /// <summary>Number of distinct terms (words and prefixes) in the vocabulary.</summary>
    public int VocabularySize => _terms.Count;

    /// <summary>Compiles <paramref name="definitions"/> into one vocabulary.</summary>
    public static CompiledKeywordLists Compile(params IReadOnlyList<KeywordListDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return new CompiledKeywordLists(definitions);
    }

    private CompiledRule Rule(RuleDefinition rule) => rule switch
    {
        PhraseRule p => new CompiledRule(RuleKind.Phrase, p.Alternatives.Select(Phrase).ToArray(), [], 0, false, p.Unless.Select(Phrase).ToArray(), p.Decisive),
        NearRule n => new CompiledRule(RuleKind.Near, n.Left.Select(Phrase).ToArray(), n.Right.Select(Phrase).ToArray(), n.Distance, n.AcrossSentences, n.Unless.Select(Phrase).ToArray(), n.Decisive),
        QuantityRule q => new CompiledRule(RuleKind.Quantity, q.Terms.Select(Phrase).ToArray(), [], q.Minimum, false, q.Unless.Select(Phrase).ToArray(), q.Decisive),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private CompiledPhrase Phrase(PhraseSpec spec)
    {
        // Anchor on the longest word: it is the rarest in running text, so the fewest occurrences are tried.
        var anchor = 0;
        for (var i = 1; i < spec.Tokens.Count; i++)
        {
            if (spec.Tokens[i].Text.Length > spec.Tokens[anchor].Text.Length)
            {
                anchor = i;
            }
        }

        var terms = spec.Tokens.Select(t => Term(t.Text, t.IsPrefix)).ToArray();
        Index(terms[anchor]); // only anchors are looked up while tokenizing; other words are checked in place
        return new(terms, spec.Text, anchor);
    }

    private int Term(string text, bool prefix)
    {
        if (!_ids.TryGetValue((text, prefix), out var id))
        {
            id = _terms.Count;
            _terms.Add((text, prefix));
            _ids[(text, prefix)] = id;
        }

        return id;
    }

    /// <summary>Makes the tokenizer record occurrences of <paramref name="term"/>.</summary>
    private int Index(int term)
    {
        var (text, prefix) = _terms[term];
        (prefix ? Prefix : Exact).TryAdd(text, term);
        return term;
    }

    /// <summary>The normalized text of a term and whether it is a prefix.</summary>
    internal (string Text, bool Prefix) TermSpec(int term) => _terms[term];
}

internal enum RuleKind
{
    Phrase,
    Near,
    Quantity,
}

internal sealed record CompiledPhrase(int[] Terms, string Text, int Anchor);

internal sealed record CompiledRule(RuleKind Kind, CompiledPhrase[] Left, CompiledPhrase[] Right, double Number, bool AcrossSentences, CompiledPhrase[] Unless, bool Decisive)
{
    /// <summary>The rule's index over all lists.</summary>
    public int Index { get; init; }

    public IEnumerable<CompiledPhrase> Phrases => Left.Concat(Right);
}

internal sealed record CompiledSignal(SignalDefinition Definition, CompiledRule[] Rules, PhraseSet Excludes, PhraseSet Reverses, PhraseSet ArticleExcludes, int Index);

internal sealed record CompiledList(KeywordListDefinition Definition, CompiledSignal[] Signals, PhraseSet Negation, PhraseSet Framing);

/// <summary>
/// Phrases (a signal's exclusions or reversals, a list's negation or framing cues) with their positions by anchor term:
/// the scorer tries only the phrases whose anchor occurs in the text, so lists in many languages cost an article what
/// its own words touch, not the number of phrases every language adds.
/// </summary>
internal sealed class PhraseSet
{
    public PhraseSet(CompiledPhrase[] phrases)
    {
        All = phrases;
        ByAnchor = phrases.Select((phrase, i) => (Anchor: phrase.Terms[phrase.Anchor], Index: i)).GroupBy(p => p.Anchor)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Index).ToArray());
    }

    /// <summary>The phrases, in the list's order.</summary>
    public CompiledPhrase[] All { get; }

    /// <summary>The number of phrases.</summary>
    public int Length => All.Length;

    /// <summary>Anchor term -> the indexes (ascending) of the phrases anchored on it.</summary>
    public FrozenDictionary<int, int[]> ByAnchor { get; }
}
