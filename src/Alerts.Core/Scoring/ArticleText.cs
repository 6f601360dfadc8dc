namespace Alerts.Core.Scoring;

/// <summary>
/// An article normalized and tokenized once against a compiled vocabulary. Only tokens in the vocabulary and numbers
/// are recorded (as linked lists per term and per position), so nothing is allocated per token. Instances are pooled
/// per thread by <see cref="KeywordScorer"/>.
/// </summary>
internal sealed class ArticleText
{
    internal struct Position
    {
        public int Start;
        public int End;
        public int Sentence;
        public int Clause;
        public ArticleField Field;
    }

    internal struct Hit
    {
        public int Term;
        public int Pos;
        public int NextOfTerm;
        public int NextAtPos;
    }

    internal struct Sentence
    {
        public ArticleField Field;
        public int Start;
        public int End;
    }

    private const int MaxTokenLength = 64;
    private readonly char[] _token = new char[MaxTokenLength];
    private readonly uint[] _hashAt = new uint[MaxTokenLength + 1];
    private int[] _termHead = [];
    private int[] _termTail = [];
    private readonly List<int> _touched = [];

    public Position[] Positions = new Position[1024];
    public int PositionCount;
    public Hit[] Hits = new Hit[256];
    public int HitCount;
    public int[] PosHead = new int[1024];
    public (int Pos, double Value)[] Numbers = new (int, double)[32];
    public int NumberCount;

    /// <summary>Four-digit years (1900-2099) as written, with their positions: they frame a text in time.</summary>
    public (int Pos, int Year)[] Years = new (int, int)[8];
    public int YearCount;
    public Sentence[] Sentences = new Sentence[64];
    public int SentenceCount;
    public string Title = "";
    public string Content = "";

    public CompiledKeywordLists Lists = null!;

    public int TermHead(int term) => _termHead[term];

    public string FieldText(ArticleField field) => field == ArticleField.Title ? Title : Content;

    public void Load(CompiledKeywordLists lists, string title, string content)
    {
        Lists = lists;
        Title = title;
        Content = content;
        foreach (var t in _touched)
        {
            _termHead[t] = -1;
            _termTail[t] = -1;
        }

        _touched.Clear();
        if (_termHead.Length < lists.TermCount)
        {
            _termHead = new int[lists.TermCount];
            _termTail = new int[lists.TermCount];
            Array.Fill(_termHead, -1);
            Array.Fill(_termTail, -1);
        }

        PositionCount = HitCount = NumberCount = SentenceCount = YearCount = 0;
        Tokenize(title, ArticleField.Title);
        Tokenize(content, ArticleField.Content);
    }

    public IEnumerable<int> TouchedTerms => _touched;

    /// <summary>The terms that occur in the loaded text, each once.</summary>
    public List<int> Touched => _touched;

    private void Tokenize(string text, ArticleField field)
    {
        // Hot loop: locals only (no ref parameters, no field writes per character) so the JIT keeps them in registers.
        Span<char> token = _token;
        Span<uint> hashAt = _hashAt;
        ReadOnlySpan<char> chars = text;
        var table = TextNormalizer.Table;
        var sentence = StartSentence(field, 0);
        var clause = 0;
        var length = 0;
        var start = -1;
        var numeric = false;
        var sentencePending = false;
        var hash = CompiledKeywordLists.HashSeed;
        var letters = 0; // every letter of the token OR-ed: at or above U+0370, a Greek or Cyrillic letter may be a Latin look-alike
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var mapped = table[c];
            if (mapped == '\0')
            {
                if (TextNormalizer.Expansion(c) is { } expansion)
                {
                    if (expansion.Length == 0)
                    {
                        continue; // a format character or combining mark: neither splits a word nor is part of it
                    }

                    // Ligatures and ß expand to two letters (œ -> oe).
                    if (start < 0)
                    {
                        start = i;
                        length = 0;
                        hash = CompiledKeywordLists.HashSeed;
                        letters = 0;
                    }

                    numeric = false;
                    foreach (var e in expansion)
                    {
                        if ((uint)length < MaxTokenLength)
                        {
                            hash = CompiledKeywordLists.HashStep(hash, e);
                            token[length] = e;
                            hashAt[++length] = hash;
                        }
                    }

                    continue;
                }

                if (!char.IsHighSurrogate(c) || i + 1 >= chars.Length || (mapped = TextNormalizer.MapPair(c, chars[i + 1])) == '\0')
                {
                    goto Boundary;
                }

                // A mathematical letter or digit (𝐜𝐮𝐫𝐟𝐞𝐰) is its plain letter; other supplementary characters separate words.
                i++;
            }

            if (start < 0)
            {
                if (sentencePending)
                {
                    Sentences[sentence].End = i;
                    sentence = StartSentence(field, i);
                    sentencePending = false;
                }

                start = char.IsLowSurrogate(chars[i]) ? i - 1 : i;
                length = 0;
                hash = CompiledKeywordLists.HashSeed;
                numeric = true;
                letters = 0;
            }

            numeric &= char.IsAsciiDigit(mapped); // Arabic-Indic and Persian digits are mapped to 0-9
            letters |= mapped;
            if ((uint)length < MaxTokenLength)
            {
                hash = CompiledKeywordLists.HashStep(hash, mapped);
                token[length] = mapped;
                hashAt[++length] = hash;
            }
            else
            {
                length = MaxTokenLength + 1; // too long to be a term
            }

            continue;

        Boundary:
            // Thousands and decimal separators inside a number ("2,300", "1.500", "2 300" with a narrow space).
            if (start >= 0 && numeric && (c is ',' or '.' or '\u202F' or '\u00A0' or '\u066B' or '\u066C') && i + 1 < chars.Length && char.IsAsciiDigit(TextNormalizer.Map(chars[i + 1])))
            {
                continue;
            }

            if (start >= 0)
            {
                EndToken(text, start, i, length, numeric, letters >= 0x370, field, sentence, clause);
                start = -1;
            }

            switch (c)
            {
                case '.' or '!' or '?' or '…' or '\n' or '\r' or '\u061F' or '\u06D4': // and the Arabic question mark, the Urdu full stop
                    sentencePending = true;
                    clause++;
                    break;
                case ',' or ';' or ':' or '—' or '–' or '(' or ')' or '"' or '«' or '»' or '“' or '”' or '\u060C' or '\u061B': // and the Arabic comma and semicolon
                    clause++;
                    break;
            }
        }

        if (start >= 0)
        {
            EndToken(text, start, text.Length, length, numeric, letters >= 0x370, field, sentence, clause);
        }

        Sentences[sentence].End = text.Length;
    }

    private int StartSentence(ArticleField field, int start)
    {
        if (SentenceCount == Sentences.Length)
        {
            Array.Resize(ref Sentences, Sentences.Length * 2);
        }

        Sentences[SentenceCount] = new Sentence { Field = field, Start = start, End = start };
        return SentenceCount++;
    }

    private void EndToken(string text, int start, int end, int length, bool numeric, bool lookalike, ArticleField field, int sentence, int clause)
    {
        if (PositionCount == Positions.Length)
        {
            Array.Resize(ref Positions, Positions.Length * 2);
            Array.Resize(ref PosHead, PosHead.Length * 2);
        }

        var pos = PositionCount++;
        Positions[pos] = new Position { Start = start, End = end, Sentence = sentence, Clause = clause, Field = field };
        PosHead[pos] = -1;
        if (length > MaxTokenLength)
        {
            return;
        }

        if (numeric)
        {
            var raw = text.AsSpan(start, end - start);
            var value = ParseNumber(raw);
            if (value is { } v && (end >= text.Length || text[end] is not ('%' or '\u066A')))
            {
                AddNumber(pos, v);
            }
            else if (value is null && raw.Length == 4)
            {
                AddYear(pos, ((raw[0] - '0') * 1000) + ((raw[1] - '0') * 100) + ((raw[2] - '0') * 10) + (raw[3] - '0'));
            }

            return;
        }

        var token = _token.AsSpan(0, length);
        if (lookalike && TextNormalizer.FoldLookalikes(token))
        {
            // A Latin word with Cyrillic or Greek look-alikes in it ("curfеw"): its hashes again, of the Latin letters.
            var hash = CompiledKeywordLists.HashSeed;
            for (var k = 0; k < length; k++)
            {
                hash = CompiledKeywordLists.HashStep(hash, token[k]);
                _hashAt[k + 1] = hash;
            }
        }

        if (CompiledKeywordLists.Test(Lists.ExactBloom, _hashAt[length]) && Lists.ExactLookup.TryGetValue(token, out var exact))
        {
            AddHit(exact, pos);
            var number = Lists.NumberValues[exact];
            if (!double.IsNaN(number))
            {
                AddNumber(pos, number);
            }
        }

        if (length < 2)
        {
            return;
        }

        // Only the lengths of the prefixes that start with the token's first two letters, and no longer than it.
        var lengths = Lists.PrefixLengthsByStart[CompiledKeywordLists.StartKey(token[0], token[1])] & (length >= 63 ? ulong.MaxValue : (2UL << length) - 1);
        while (lengths != 0)
        {
            var prefixLength = System.Numerics.BitOperations.TrailingZeroCount(lengths);
            lengths &= lengths - 1;
            // Bit 63 stands for every length from 63 up (prefixes that long are rare; tokens stop at MaxTokenLength).
            for (var n = prefixLength; n <= (prefixLength == 63 ? length : prefixLength); n++)
            {
                if (CompiledKeywordLists.Test(Lists.PrefixBloom, _hashAt[n]) && Lists.PrefixLookup.TryGetValue(token[..n], out var prefix))
                {
                    AddHit(prefix, pos);
                }
            }
        }
    }

    private void AddHit(int term, int pos)
    {
        if (HitCount == Hits.Length)
        {
            Array.Resize(ref Hits, Hits.Length * 2);
        }

        var index = HitCount++;
        Hits[index] = new Hit { Term = term, Pos = pos, NextOfTerm = -1, NextAtPos = PosHead[pos] };
        PosHead[pos] = index;
        if (_termHead[term] < 0)
        {
            _termHead[term] = index;
            _touched.Add(term);
        }
        else
        {
            Hits[_termTail[term]].NextOfTerm = index;
        }

        _termTail[term] = index;
    }

    private void AddYear(int pos, int year)
    {
        if (YearCount == Years.Length)
        {
            Array.Resize(ref Years, Years.Length * 2);
        }

        Years[YearCount++] = (pos, year);
    }

    private void AddNumber(int pos, double value)
    {
        if (NumberCount == Numbers.Length)
        {
            Array.Resize(ref Numbers, Numbers.Length * 2);
        }

        Numbers[NumberCount++] = (pos, value);
    }

    /// <summary>"2,300" and "2.300" and "2 300" are 2300; "2.5" is 2.5; four-digit years (1900-2099) are not quantities.</summary>
    internal static double? ParseNumber(ReadOnlySpan<char> raw)
    {
        double value = 0;
        var groupDigits = -1; // digits since the last separator; -1 before any separator
        var lastSeparatorValue = 0.0;
        var digits = 0;
        foreach (var written in raw)
        {
            var c = TextNormalizer.Map(written); // ٣ and ۳ are 3
            if (char.IsAsciiDigit(c))
            {
                value = (value * 10) + (c - '0');
                digits++;
                if (groupDigits >= 0)
                {
                    groupDigits++;
                }
            }
            else
            {
                lastSeparatorValue = value;
                groupDigits = 0;
            }
        }

        if (groupDigits > 0 && groupDigits != 3)
        {
            // a decimal separator: 2.5 -> 2 + 5/10
            value = lastSeparatorValue + ((value - (lastSeparatorValue * Math.Pow(10, groupDigits))) / Math.Pow(10, groupDigits));
        }

        if (groupDigits < 0 && digits == 4 && value is >= 1900 and <= 2099)
        {
            return null;
        }

        return value;
    }

    /// <summary>
    /// True when the number at <paramref name="pos"/> is no count of people: a unit follows it ("30 days", "5 km"), or a
    /// month name stands next to it ("29 juin", "June 29").
    /// </summary>
    public bool IsNoCount(int pos) =>
        NeighbourIs(pos, pos + 1, Lists.IsUnit) || NeighbourIs(pos, pos + 1, Lists.IsMonth) || NeighbourIs(pos, pos - 1, Lists.IsMonth);

    private bool NeighbourIs(int pos, int neighbour, bool[] kind)
    {
        if (neighbour < 0 || neighbour >= PositionCount || Positions[neighbour].Sentence != Positions[pos].Sentence)
        {
            return false;
        }

        for (var h = PosHead[neighbour]; h >= 0; h = Hits[h].NextAtPos)
        {
            if (kind[Hits[h].Term])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the number at <paramref name="pos"/> counts years ago: "50 years ago", "hace 50 años", "voilà 50 ans",
    /// "il y a 50 ans".
    /// </summary>
    public bool YearsAgo(int pos)
    {
        if (!TokenIs(pos + 1, pos, LanguageResources.YearUnits))
        {
            return false;
        }

        if (TokenIs(pos + 2, pos, LanguageResources.AgoAfter))
        {
            return true;
        }

        foreach (var words in LanguageResources.AgoBefore)
        {
            var all = true;
            for (var k = 0; k < words.Length && all; k++)
            {
                all = TokenIs(pos - words.Length + k, pos, [words[k]]);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the token at <paramref name="at"/>, in the sentence of <paramref name="pos"/>, reads as one of <paramref name="words"/>.</summary>
    private bool TokenIs(int at, int pos, string[] words)
    {
        if (at < 0 || at >= PositionCount || Positions[at].Sentence != Positions[pos].Sentence)
        {
            return false;
        }

        var p = Positions[at];
        Span<char> letters = stackalloc char[MaxTokenLength];
        var n = TextNormalizer.Normalize(FieldText(p.Field).AsSpan(p.Start, p.End - p.Start), letters);
        if (n < 0)
        {
            return false;
        }

        foreach (var word in words)
        {
            if (letters[..n].SequenceEqual(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when term <paramref name="term"/> occurs at position <paramref name="pos"/>.</summary>
    public bool HasTermAt(int term, int pos)
    {
        for (var h = PosHead[pos]; h >= 0; h = Hits[h].NextAtPos)
        {
            if (Hits[h].Term == term)
            {
                return true;
            }
        }

        // Not an indexed term: compare the token's normalized text.
        var (expected, prefix) = Lists.TermSpec(term);
        var p = Positions[pos];
        Span<char> letters = stackalloc char[MaxTokenLength];
        var n = TextNormalizer.Normalize(FieldText(p.Field).AsSpan(p.Start, p.End - p.Start), letters);
        if (n < 0)
        {
            return false; // a number with separators, or too long to be a term
        }

        var word = letters[..n];
        return prefix ? word.StartsWith(expected) : word.SequenceEqual(expected);
    }

    /// <summary>Occurrences of a phrase as (first, last) positions, within one sentence.</summary>
    public void FindPhrase(CompiledPhrase phrase, List<(int First, int Last)> into)
    {
        var terms = phrase.Terms;
        var anchor = phrase.Anchor;
        for (var h = _termHead[terms[anchor]]; h >= 0; h = Hits[h].NextOfTerm)
        {
            var first = Hits[h].Pos - anchor;
            var last = first + terms.Length - 1;
            if (first < 0 || last >= PositionCount || Positions[last].Sentence != Positions[first].Sentence)
            {
                continue;
            }

            var ok = true;
            for (var k = 0; k < terms.Length && ok; k++)
            {
                ok = k == anchor || HasTermAt(terms[k], first + k);
            }

            if (ok)
            {
                into.Add((first, last));
            }
        }
    }
}
