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
    internal int[] PrefixLengths { get; private set; } = [];
    internal double[] NumberValues { get; private set; } = [];
    internal bool[] IsUnit { get; private set; } = [];

    /// <summary>Bloom filters over the FNV-1a hashes of exact words and of prefixes: most tokens are ruled out with one bit test.</summary>
    internal ulong[] ExactBloom { get; } = new ulong[BloomWords];
    internal ulong[] PrefixBloom { get; } = new ulong[BloomWords];

    internal const int BloomWords = 1024; // 65,536 bits
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

    /// <summary>For each term id, the (list, signal) pairs that use it, so only those signals are evaluated.</summary>
    internal (int List, int Signal)[][] TermSignals { get; }

    private readonly List<(string Text, bool Prefix)> _terms = [];

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
            Term(word, prefix: false);
        }

        var unitTerms = KeywordListParser.ParseBuiltIn(LanguageResources.Units).Select(p => Term(p.Tokens[0].Text, prefix: false)).ToHashSet();

        var termSignals = new List<HashSet<(int, int)>>();
        Lists = new CompiledList[definitions.Count];
        for (var l = 0; l < definitions.Count; l++)
        {
            var definition = definitions[l];
            var signals = new CompiledSignal[definition.Signals.Count];
            for (var s = 0; s < signals.Length; s++)
            {
                var signal = definition.Signals[s];
                var rules = signal.Rules.Select(Rule).ToArray();
                signals[s] = new CompiledSignal(signal, rules, signal.Excludes.Select(Phrase).ToArray(), signal.Reverses.Select(Phrase).ToArray());
                foreach (var term in rules.SelectMany(r => r.Phrases).SelectMany(p => p.Terms))
                {
                    while (termSignals.Count <= term)
                    {
                        termSignals.Add([]);
                    }

                    termSignals[term].Add((l, s));
                }
            }

            Lists[l] = new CompiledList(
                definition,
                signals,
                [.. builtInNegation, .. definition.Negation.Select(Phrase)],
                [.. builtInFraming, .. definition.Framing.Select(Phrase)]);
        }

        TermSignals = new (int, int)[_terms.Count][];
        for (var t = 0; t < _terms.Count; t++)
        {
            TermSignals[t] = t < termSignals.Count ? [.. termSignals[t]] : [];
        }

        PrefixLengths = [.. Prefix.Keys.Select(k => k.Length).Distinct().Order()];
        foreach (var word in Exact.Keys)
        {
            Set(ExactBloom, word);
        }

        foreach (var prefix in Prefix.Keys)
        {
            Set(PrefixBloom, prefix);
        }

        IsUnit = new bool[_terms.Count];
        foreach (var unit in unitTerms)
        {
            IsUnit[unit] = true;
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
        PhraseRule p => new CompiledRule(RuleKind.Phrase, p.Alternatives.Select(Phrase).ToArray(), [], 0, false, p.Unless.Select(Phrase).ToArray()),
        NearRule n => new CompiledRule(RuleKind.Near, n.Left.Select(Phrase).ToArray(), n.Right.Select(Phrase).ToArray(), n.Distance, n.AcrossSentences, n.Unless.Select(Phrase).ToArray()),
        QuantityRule q => new CompiledRule(RuleKind.Quantity, q.Terms.Select(Phrase).ToArray(), [], q.Minimum, false, q.Unless.Select(Phrase).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private CompiledPhrase Phrase(PhraseSpec spec) => new(spec.Tokens.Select(t => Term(t.Text, t.IsPrefix)).ToArray(), spec.Text);

    private int Term(string text, bool prefix)
    {
        var map = prefix ? Prefix : Exact;
        if (!map.TryGetValue(text, out var id))
        {
            id = _terms.Count;
            _terms.Add((text, prefix));
            map[text] = id;
        }

        return id;
    }
}

internal enum RuleKind
{
    Phrase,
    Near,
    Quantity,
}

internal sealed record CompiledPhrase(int[] Terms, string Text);

internal sealed record CompiledRule(RuleKind Kind, CompiledPhrase[] Left, CompiledPhrase[] Right, double Number, bool AcrossSentences, CompiledPhrase[] Unless)
{
    public IEnumerable<CompiledPhrase> Phrases => Left.Concat(Right);
}

internal sealed record CompiledSignal(SignalDefinition Definition, CompiledRule[] Rules, CompiledPhrase[] Excludes, CompiledPhrase[] Reverses);

internal sealed record CompiledList(KeywordListDefinition Definition, CompiledSignal[] Signals, CompiledPhrase[] Negation, CompiledPhrase[] Framing);
