using System.Buffers.Binary;
using Alerts.Core.Scoring;

namespace Alerts.Core.Stories;

/// <summary>
/// MinHash signature of an article's title and lead: the content words (stop words dropped, accents and case folded,
/// plurals trimmed) and numbers, plus the features of the event that do not depend on the language or the wording:
/// the names in the lead (capitalized words inside a sentence: people, places, groups), the numbers and the signals,
/// each counted several times so that two reports of one event in two languages, or two rewrites with other verbs,
/// still agree. Hashed with <see cref="Size"/> seeded hash functions; two signatures agree in about the weighted
/// Jaccard similarity of the feature sets. <see cref="BandKeys"/> are the LSH bands used to find candidates, scoped
/// to the article's main country so that reports of other countries are never candidates.
/// </summary>
public sealed class StorySignature
{
    /// <summary>Number of hash functions.</summary>
    public const int Size = 64;

    /// <summary>Rows per LSH band: 32 bands of 2 rows find pairs above about 0.3 similarity with high probability.</summary>
    public const int Rows = 2;

    /// <summary>Words of the lead used, after the title.</summary>
    public const int LeadWords = 60;

    private static readonly ulong[] Seeds = BuildSeeds();

    /// <summary>Whether a folded token is one of the English, French and Spanish function words signatures leave out (archive search too).</summary>
    public static bool IsStopWord(string token) => StopWords.Contains(token);

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        // English
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are",
        "was", "were", "be", "been", "has", "have", "had", "it", "its", "this", "that", "these", "those", "after", "before",
        "over", "into", "their", "his", "her", "they", "he", "she", "we", "said", "says", "say", "will", "would", "could",
        "not", "no", "new", "more", "than", "also", "about", "up", "out", "s", "t", "who", "which", "while", "amid", "during",
        "on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "according", "officials", "reported",
        // French
        "le", "la", "les", "un", "une", "des", "du", "de", "d", "l", "et", "ou", "en", "au", "aux", "dans", "par", "pour",
        "sur", "avec", "est", "sont", "a", "ont", "ete", "qui", "que", "qu", "se", "sa", "son", "ses", "leur", "leurs", "ce",
        "cette", "il", "elle", "ils", "elles", "n", "pas", "plus", "selon", "apres", "lundi", "mardi", "mercredi", "jeudi",
        "vendredi", "samedi", "dimanche",
        // Spanish
        "el", "los", "las", "y", "o", "en", "del", "al", "por", "para", "con", "es", "son", "fue", "fueron", "ha", "han",
        "que", "se", "su", "sus", "lo", "una", "unos", "unas", "segun", "tras", "lunes", "martes", "miercoles", "jueves",
        "viernes", "sabado", "domingo",
    };

    private readonly ulong[] _values;

    private StorySignature(ulong[] values) => _values = values;

    /// <summary>The minimum hash per function.</summary>
    public IReadOnlyList<ulong> Values => _values;

    /// <summary>How many times a name of the lead counts (people, places and groups carry across languages).</summary>
    internal const int NameWeight = 3;

    /// <summary>How many times a number counts.</summary>
    internal const int NumberWeight = 2;

    /// <summary>How many times a signal counts.</summary>
    internal const int SignalWeight = 2;

    /// <summary>Computes the signature of an article's words only (no signals).</summary>
    public static StorySignature Of(string? title, string? lead) => Of(title, lead, []);

    /// <summary>Computes the signature of an article: its words, names, numbers and <paramref name="signals"/>.</summary>
    public static StorySignature Of(string? title, string? lead, IEnumerable<string> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var words = Features(title, lead);
        foreach (var signal in signals)
        {
            AddWeighted(words, "\u00a7" + signal.TrimEnd(StoryEvent.DampedMark), SignalWeight); // damped or not, the same signal
        }

        var values = new ulong[Size];
        Array.Fill(values, ulong.MaxValue);
        foreach (var word in words)
        {
            var h = Fnv(word);
            for (var i = 0; i < Size; i++)
            {
                var v = Mix(h ^ Seeds[i]);
                if (v < values[i])
                {
                    values[i] = v;
                }
            }
        }

        return new StorySignature(values);
    }

    /// <summary>Rebuilds a signature from <see cref="ToBytes"/>.</summary>
    public static StorySignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size * 8)
        {
            throw new ArgumentException($"A signature is {Size * 8} bytes.", nameof(bytes));
        }

        var values = new ulong[Size];
        for (var i = 0; i < Size; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
        }

        return new StorySignature(values);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size * 8];
        for (var i = 0; i < Size; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), Values[i]);
        }

        return bytes;
    }

    /// <summary>Estimated Jaccard similarity: the share of hash functions on which the signatures agree.</summary>
    public double Similarity(StorySignature other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ReadOnlySpan<ulong> a = _values;
        ReadOnlySpan<ulong> b = other._values;
        var same = 0;
        for (var i = 0; i < a.Length; i++)
        {
            same += a[i] == b[i] && a[i] != ulong.MaxValue ? 1 : 0;
        }

        return (double)same / Size;
    }

    /// <summary>
    /// The LSH band keys within <paramref name="scope"/>, the article's main country or "none" ("KZ-b07-3fa9c2d1e0b4a6f2"):
    /// articles sharing one are candidates for the same story.
    /// </summary>
    public IReadOnlyList<string> BandKeys(string scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        var keys = new List<string>(Size / Rows);
        for (var b = 0; b < Size / Rows; b++)
        {
            if (Values[b * Rows] == ulong.MaxValue)
            {
                continue; // no words at all
            }

            ulong h = 14695981039346656037;
            for (var r = 0; r < Rows; r++)
            {
                h = Mix(h ^ Values[(b * Rows) + r]);
            }

            keys.Add($"{scope}-b{b:D2}-{h:x16}");
        }

        return keys;
    }

    /// <summary>The normalized content words and numbers of the title and the first <see cref="LeadWords"/> words of the lead.</summary>
    internal static HashSet<string> Features(string? title, string? lead)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        title ??= "";
        Add(words, TextNormalizer.Tokens(title.Length <= ArticleMessageText.MaxTitleCharacters ? title : title[..ArticleMessageText.MaxTitleCharacters]), int.MaxValue);
        // The lead's first words only: a few hundred characters are enough for sixty words (a run of spaces is not).
        lead ??= "";
        var head = lead.Length <= LeadWords * 40 ? lead : lead[..(LeadWords * 40)];
        Add(words, TextNormalizer.Tokens(head), LeadWords);
        foreach (var word in words.Where(w => char.IsAsciiDigit(w[0])).ToList())
        {
            AddWeighted(words, word, NumberWeight);
        }

        foreach (var name in Names(head))
        {
            AddWeighted(words, "\u00b6" + name, NameWeight);
        }

        return words;
    }

    /// <summary>
    /// The folded names of a lead: capitalized words that do not begin a sentence (a headline capitalizes every word,
    /// so titles give none), stop words and short words left out.
    /// </summary>
    internal static IEnumerable<string> Names(string text)
    {
        var sentenceStart = true;
        for (var i = 0; i < text.Length;)
        {
            if (!char.IsLetter(text[i]))
            {
                var c = text[i];
                if (c is '.' or '!' or '?' or ':' or ';' or '"' or '\u00ab' or '\u201c' or '\u2014' or '\n')
                {
                    sentenceStart = true;
                }
                else if (char.IsDigit(c))
                {
                    sentenceStart = false;
                }

                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || char.GetUnicodeCategory(text[i]) is System.Globalization.UnicodeCategory.NonSpacingMark))
            {
                i++;
            }

            if (!sentenceStart && char.IsUpper(text[start]) && i - start >= 3)
            {
                foreach (var token in TextNormalizer.Tokens(text[start..i]))
                {
                    if (token.Length >= 3 && !StopWords.Contains(token))
                    {
                        yield return Stem(token);
                    }
                }
            }

            sentenceStart = false;
        }
    }

    private static void AddWeighted(HashSet<string> words, string feature, int weight)
    {
        words.Add(feature);
        for (var k = 1; k < weight; k++)
        {
            words.Add(feature + "#" + k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // Light stemming so that "protest", "protests" and "protesters" meet half-way.
    private static string Stem(string token) =>
        token.Length > 5 && token.EndsWith("ers", StringComparison.Ordinal) ? token[..^3]
            : token.Length > 4 && token.EndsWith('s') ? token[..^1]
            : token;

    private static void Add(HashSet<string> words, List<string> tokens, int max)
    {
        foreach (var token in tokens.Take(max))
        {
            if (StopWords.Contains(token) || (token.Length < 3 && !char.IsAsciiDigit(token[0])))
            {
                continue;
            }

            words.Add(Stem(token));
        }
    }

    private static ulong Fnv(string s)
    {
        ulong h = 14695981039346656037;
        foreach (var c in s)
        {
            h = (h ^ c) * 1099511628211;
        }

        return h;
    }

    private static ulong Mix(ulong x)
    {
        // SplitMix64 finalizer: a strong 64-bit mix.
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9;
        x ^= x >> 27;
        x *= 0x94d049bb133111eb;
        x ^= x >> 31;
        return x;
    }

    private static ulong[] BuildSeeds()
    {
        var seeds = new ulong[Size];
        ulong state = 0x9E3779B97F4A7C15;
        for (var i = 0; i < Size; i++)
        {
            state += 0x9E3779B97F4A7C15;
            seeds[i] = Mix(state);
        }

        return seeds;
    }
}
