namespace Alerts.Benchmarks.Scoring;

/// <summary>
/// The textbook baseline for "which of these thousands of phrases occur in this text", built as one would for speed:
/// an Aho-Corasick automaton over the lower-cased terms compiled to a full transition table (a DFA: one array read per
/// character, no failure-link walks at search time), counting the matches that start and end at word boundaries. No
/// normalization beyond lower case, no rules: a count of whole-word hits.
/// </summary>
internal sealed class WholeWordAhoCorasick
{
    private readonly ushort[] _symbol = new ushort[char.MaxValue + 1]; // character → alphabet index (0: any other)
    private readonly int _alphabet;
    private readonly int[] _delta; // state × symbol → state
    private readonly int[][] _lengths; // lengths of the terms that end in each state, through output links

    public WholeWordAhoCorasick(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var words = terms.Select(t => t.ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var next = 1;
        foreach (var c in words.SelectMany(w => w).Distinct())
        {
            _symbol[c] = (ushort)next;
            _symbol[char.ToUpperInvariant(c)] = (ushort)next++;
        }

        _alphabet = next;

        // The trie, then breadth-first failure links folded into the transition table.
        var trie = new List<int[]> { NewRow() };
        var ends = new List<List<int>> { new() };
        foreach (var word in words)
        {
            var state = 0;
            foreach (var c in word)
            {
                var s = _symbol[c];
                if (trie[state][s] <= 0)
                {
                    trie[state][s] = trie.Count;
                    trie.Add(NewRow());
                    ends.Add([]);
                }

                state = trie[state][s];
            }

            ends[state].Add(word.Length);
        }

        var count = trie.Count;
        _delta = new int[count * _alphabet];
        _lengths = new int[count][];
        var fail = new int[count];
        var queue = new Queue<int>();
        _lengths[0] = [];
        for (var s = 0; s < _alphabet; s++)
        {
            var child = trie[0][s];
            _delta[s] = child > 0 ? child : 0;
            if (child > 0)
            {
                fail[child] = 0;
                queue.Enqueue(child);
            }
        }

        while (queue.TryDequeue(out var state))
        {
            _lengths[state] = [.. ends[state], .. _lengths[fail[state]]];
            for (var s = 0; s < _alphabet; s++)
            {
                var child = trie[state][s];
                if (child > 0)
                {
                    fail[child] = _delta[(fail[state] * _alphabet) + s];
                    _delta[(state * _alphabet) + s] = child;
                    queue.Enqueue(child);
                }
                else
                {
                    _delta[(state * _alphabet) + s] = _delta[(fail[state] * _alphabet) + s];
                }
            }
        }

        int[] NewRow() => new int[_alphabet];
    }

    /// <summary>Whole-word matches of any term in <paramref name="text"/>, case ignored.</summary>
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hits = 0;
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            state = _delta[(state * _alphabet) + _symbol[text[i]]];
            var lengths = _lengths[state];
            if (lengths.Length == 0 || (i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])))
            {
                continue;
            }

            foreach (var length in lengths)
            {
                var start = i - length + 1;
                if (start == 0 || !char.IsLetterOrDigit(text[start - 1]))
                {
                    hits++;
                }
            }
        }

        return hits;
    }
}
