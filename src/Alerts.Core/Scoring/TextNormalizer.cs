using System.Globalization;
using System.Text;

namespace Alerts.Core.Scoring;

/// <summary>
/// The one normalization that keyword lists and articles share: lower case, accents removed (é→e, ñ→n, ç→c, œ→oe),
/// and every character that is not a letter or digit (apostrophes and quotes of every style, hyphens, punctuation)
/// treated as a token boundary. A lookup table makes it one array read per character.
/// </summary>
public static class TextNormalizer
{
    // 0 = boundary; otherwise the normalized character. Expansions (œ, æ, ß) are handled separately.
    private static readonly char[] MapTable = BuildTable();

    /// <summary>The whole mapping, for hot loops: index by character.</summary>
    internal static ReadOnlySpan<char> Table => MapTable;

    /// <summary>The normalized form of <paramref name="c"/>, or '\0' when it separates tokens.</summary>
    public static char Map(char c) => MapTable[c];

    /// <summary>Two-character expansions for ligatures and ß; null for ordinary characters.</summary>
    public static string? Expansion(char c) => c switch
    {
        'œ' or 'Œ' => "oe",
        'æ' or 'Æ' => "ae",
        'ß' or 'ẞ' => "ss",
        _ => null,
    };

    /// <summary>Splits <paramref name="text"/> into normalized tokens (allocating; for lists and tests, not the hot path).</summary>
    public static List<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (Expansion(c) is { } expansion)
            {
                sb.Append(expansion);
                continue;
            }

            var mapped = MapTable[c];
            if (mapped == '\0')
            {
                if (sb.Length > 0)
                {
                    tokens.Add(sb.ToString());
                    sb.Clear();
                }
            }
            else
            {
                sb.Append(mapped);
            }
        }

        if (sb.Length > 0)
        {
            tokens.Add(sb.ToString());
        }

        return tokens;
    }

    private static char[] BuildTable()
    {
        var table = new char[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            if (char.IsSurrogate(c) || !char.IsLetterOrDigit(c))
            {
                continue; // boundary
            }

            var lower = char.ToLowerInvariant(c);
            var decomposed = lower.ToString().Normalize(NormalizationForm.FormD);
            var baseChar = lower;
            foreach (var d in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
                {
                    baseChar = d;
                    break;
                }
            }

            table[i] = baseChar switch
            {
                'ø' => 'o',
                'đ' => 'd',
                'ł' => 'l',
                'ı' => 'i',
                _ => baseChar,
            };
        }

        return table;
    }
}
