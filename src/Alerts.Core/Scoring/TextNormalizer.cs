using System.Globalization;
using System.Text;

namespace Alerts.Core.Scoring;

/// <summary>
/// The one normalization that keyword lists and articles share, so that what an admin writes and what a feed sends
/// meet: text is read as a reader sees it.
/// <list type="bullet">
/// <item>Compatibility forms fold to their plain letters (Unicode NFKC/NFKD): full-width and mathematical letters,
/// ligatures (ﬁ → fi, œ → oe), superscripts; then lower case and accents removed (é → e, ñ → n, ç → c), whether the
/// accent is precomposed or a combining mark after its letter (NFD text).</item>
/// <item>Invisible characters inside a word do not split it: format characters (zero-width space and joiners, soft
/// hyphen, word joiner, bidi controls, BOM) and combining marks such as variation selectors.</item>
/// <item>A word that mixes Latin letters with Cyrillic or Greek ones that look like Latin letters (a Cyrillic "е" in
/// "curfеw") is read with those letters as their Latin look-alikes, from Unicode's confusables data
/// (<c>Data/latin-confusables.tsv</c>); a word wholly in Cyrillic or Greek is left alone.</item>
/// <item>Arabic and Persian are folded as their search engines fold them: diacritics, tatweel and the zero-width
/// non-joiner skipped inside a word; alef forms (أ إ آ ٱ) are alef, alef maqsura and Persian yeh (ى ی) are yeh (ي),
/// Persian kaf (ک) is kaf (ك), teh marbuta (ة) is heh (ه); Arabic-Indic and Persian digits are 0-9. Turkish dotted
/// and dotless i are i.</item>
/// <item>Every other character that is not a letter or digit (apostrophes and quotes of every style, hyphens,
/// punctuation, spaces) is a token boundary.</item>
/// </list>
/// Lookup tables make the common case one array read per character.
/// </summary>
public static class TextNormalizer
{
    private const int MathStart = 0x1D400; // Mathematical Alphanumeric Symbols
    private const int MathEnd = 0x1D7FF;

    // 0 = boundary, expansion or skipped; otherwise the normalized character.
    private static readonly char[] MapTable = BuildTable(out ExpansionTable);

    // The letters of characters that become several (œ -> oe, ﬁ -> fi), "" for those skipped inside a word (format
    // characters, combining marks), null for the rest.
    private static readonly string?[] ExpansionTable;

    private static readonly char[] MathTable = BuildMathTable();

    private static readonly char[] LatinLookalike = BuildLookalikes();

    /// <summary>The whole mapping, for hot loops: index by character.</summary>
    internal static ReadOnlySpan<char> Table => MapTable;

    /// <summary>The normalized form of <paramref name="c"/>; '\0' when it separates tokens or is one of <see cref="Expansion"/>'s.</summary>
    public static char Map(char c) => MapTable[c];

    /// <summary>
    /// Letters that a character expands to (ligatures, ß, compatibility forms), "" for a character skipped inside a word
    /// (format characters, combining marks); null for ordinary characters.
    /// </summary>
    public static string? Expansion(char c) => ExpansionTable[c];

    /// <summary>
    /// The normalized letter of a supplementary-plane character (a mathematical letter or digit such as 𝐜 or 𝟓) given
    /// as its surrogate pair, or '\0'.
    /// </summary>
    internal static char MapPair(char high, char low)
    {
        var cp = char.ConvertToUtf32(high, low);
        return cp is >= MathStart and <= MathEnd ? MathTable[cp - MathStart] : '\0';
    }

    /// <summary>True when <paramref name="c"/> (already normalized) is a Cyrillic or Greek letter that looks like a Latin one.</summary>
    internal static bool MayLookLatin(char c) => c >= '\u0370' && c < '\u0530' && LatinLookalike[c - '\u0370'] != '\0';

    /// <summary>
    /// Folds the Cyrillic and Greek look-alikes of a token that also has a Latin letter into Latin, in place; false when
    /// the token has no Latin letter (or nothing to fold) and stays as it is.
    /// </summary>
    internal static bool FoldLookalikes(Span<char> token)
    {
        var latin = false;
        var other = false;
        foreach (var c in token)
        {
            latin |= c is >= 'a' and <= 'z';
            other |= MayLookLatin(c);
        }

        if (!latin || !other)
        {
            return false;
        }

        for (var i = 0; i < token.Length; i++)
        {
            if (MayLookLatin(token[i]))
            {
                token[i] = LatinLookalike[token[i] - '\u0370'];
            }
        }

        return true;
    }

    /// <summary>Splits <paramref name="text"/> into normalized tokens (allocating; for lists and tests, not the hot path).</summary>
    public static List<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length;)
        {
            var read = LettersAt(text, i, out var letter, out var letters);
            if (read == 0)
            {
                if (sb.Length > 0)
                {
                    tokens.Add(Finish(sb));
                }

                i++;
                continue;
            }

            if (letters is null)
            {
                sb.Append(letter);
            }
            else
            {
                sb.Append(letters);
            }

            i += read;
        }

        if (sb.Length > 0)
        {
            tokens.Add(Finish(sb));
        }

        return tokens;
    }

    /// <summary>
    /// The normalized letters of one token of source text (its characters from a token's start to its end) into
    /// <paramref name="into"/>: the count, or -1 when the span holds a boundary or does not fit.
    /// </summary>
    internal static int Normalize(ReadOnlySpan<char> token, Span<char> into)
    {
        var n = 0;
        for (var i = 0; i < token.Length;)
        {
            var read = LettersAt(token, i, out var letter, out var letters);
            if (read == 0)
            {
                return -1; // a boundary (or a number's separator) inside: no single word
            }

            if (letters is null ? n == into.Length : n + letters.Length > into.Length)
            {
                return -1;
            }

            if (letters is null)
            {
                into[n++] = letter;
            }
            else
            {
                letters.CopyTo(into[n..]);
                n += letters.Length;
            }

            i += read;
        }

        FoldLookalikes(into[..n]);
        return n;
    }

    /// <summary>
    /// What the character at <paramref name="i"/> reads as: one <paramref name="letter"/>, or several (or none, for a
    /// character skipped inside a word) as <paramref name="letters"/>. Returns the characters it takes (2 for a
    /// mathematical letter's surrogate pair), 0 at a token boundary.
    /// </summary>
    private static int LettersAt(ReadOnlySpan<char> text, int i, out char letter, out string? letters)
    {
        var c = text[i];
        letter = MapTable[c];
        letters = null;
        if (letter != '\0')
        {
            return 1;
        }

        letters = ExpansionTable[c];
        if (letters is not null)
        {
            return 1;
        }

        return char.IsHighSurrogate(c) && i + 1 < text.Length && (letter = MapPair(c, text[i + 1])) != '\0' ? 2 : 0;
    }

    private static string Finish(StringBuilder sb)
    {
        Span<char> token = sb.Length <= 256 ? stackalloc char[sb.Length] : new char[sb.Length];
        sb.CopyTo(0, token, sb.Length);
        sb.Clear();
        FoldLookalikes(token);
        return token.ToString();
    }

    private static char[] BuildTable(out string?[] expansions)
    {
        var table = new char[char.MaxValue + 1];
        expansions = new string?[char.MaxValue + 1];
        expansions['œ'] = expansions['Œ'] = "oe";
        expansions['æ'] = expansions['Æ'] = "ae";
        expansions['ß'] = expansions['ẞ'] = "ss";
        for (var i = 0; i < char.MaxValue; i++)
        {
            var c = (char)i;
            if (char.IsSurrogate(c) || expansions[i] is not null)
            {
                continue; // boundary, or already an expansion
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            {
                expansions[i] = ""; // skipped inside a word
                continue;
            }

            if (!char.IsLetterOrDigit(c))
            {
                continue; // boundary
            }

            var letters = Letters(c.ToString());
            if (letters.Length == 1)
            {
                table[i] = letters[0];
            }
            else if (letters.Length > 1)
            {
                expansions[i] = letters;
            }
            else
            {
                table[i] = char.ToLowerInvariant(c);
            }
        }

        FoldArabicScript(table, expansions);
        return table;
    }

    /// <summary>
    /// Arabic and Persian as their readers and search engines read them: the tatweel (kashida) is skipped inside a word
    /// (diacritics and the zero-width non-joiner already are, as marks and format characters; hamza forms of alef
    /// decompose to alef); alef wasla is alef; alef maqsura and Persian yeh are yeh; Persian kaf is kaf; teh marbuta and
    /// heh with yeh above are heh; Arabic-Indic and Persian digits are digits 0-9.
    /// </summary>
    private static void FoldArabicScript(char[] table, string?[] expansions)
    {
        expansions[0x0640] = ""; // tatweel
        table[0x0640] = '\0';
        table[0x0671] = '\u0627'; // ٱ → ا
        table[0x0649] = table[0x06CC] = table[0x06D0] = '\u064A'; // ى ی ې → ي
        table[0x06A9] = table[0x06AA] = '\u0643'; // ک ڪ → ك
        table[0x0629] = table[0x06C0] = table[0x06C1] = '\u0647'; // ة ۀ ہ → ه
        for (var d = 0; d < 10; d++)
        {
            table[0x0660 + d] = table[0x06F0 + d] = (char)('0' + d);
        }
    }

    /// <summary>The plain letters of <paramref name="s"/>: compatibility decomposition, lower case, marks dropped.</summary>
    private static string Letters(string s)
    {
        string decomposed;
        try
        {
            decomposed = s.Normalize(NormalizationForm.FormKD).ToLowerInvariant().Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            return "";
        }

        var sb = new StringBuilder(decomposed.Length);
        foreach (var d in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(d);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            if (!char.IsLetterOrDigit(d))
            {
                return ""; // decomposes into something that is no word (a fraction, a symbol): read as it is
            }

            sb.Append(d switch
            {
                'ø' => 'o',
                'đ' => 'd',
                'ł' => 'l',
                'ı' => 'i',
                _ => d,
            });
        }

        return sb.ToString();
    }

    private static char[] BuildMathTable()
    {
        var table = new char[MathEnd - MathStart + 1];
        for (var cp = MathStart; cp <= MathEnd; cp++)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            var letters = Letters(char.ConvertFromUtf32(cp));
            table[cp - MathStart] = letters.Length == 1 ? letters[0] : '\0';
        }

        return table;
    }

    /// <summary>Cyrillic and Greek lower-case letters whose confusable prototype is one Latin letter, from the data file.</summary>
    private static char[] BuildLookalikes()
    {
        var table = new char['\u0530' - '\u0370'];
        using var stream = typeof(TextNormalizer).Assembly.GetManifestResourceStream("Alerts.Core.Scoring.Data.latin-confusables.tsv")
            ?? throw new InvalidOperationException("The latin-confusables.tsv resource is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split('\t');
            var from = (char)int.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var to = (char)int.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mapped = MapTable[from];
            if (mapped is >= '\u0370' and < '\u0530' && to is >= 'a' and <= 'z')
            {
                table[mapped - '\u0370'] = to;
            }
        }

        return table;
    }
}
