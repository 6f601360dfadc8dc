using System.Globalization;
using System.Text;

namespace Alerts.Benchmarks.Scoring;

/// <summary>Generated keyword lists of a given size, and ~4 KB articles that mention some of their terms.</summary>
internal static class ScoringCorpus
{
    private static readonly string[] Filler =
    [
        "Officials in the capital said talks with opposition leaders would continue next week.",
        "The central bank left interest rates unchanged, citing uncertainty about food prices.",
        "Residents queued for fuel on Tuesday as deliveries to the northern provinces were delayed.",
        "A spokesperson for the ministry declined to comment on the reports, saying a statement would follow.",
        "Aid agencies warned that the harvest could be the smallest in a decade after months of drought.",
        "Students gathered outside the university to demand the reinstatement of a dismissed professor.",
    ];

    /// <summary>Distinct made-up terms of one to three words, spelled like real words (syllables of common letters).</summary>
    public static List<string> Terms(int count)
    {
        var terms = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var words = 1 + (i % 3);
            var sb = new StringBuilder();
            for (var w = 0; w < words; w++)
            {
                if (w > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(Word((i * 7) + (w * 104729)));
            }

            terms.Add(sb.ToString());
        }

        return terms;
    }

    /// <summary>A keyword list with the terms spread over 10 signals (phrases of up to 25 alternatives).</summary>
    public static string List(IReadOnlyList<string> terms)
    {
        var sb = new StringBuilder("list: generated\nthresholds: watch 2, warning 4, critical 12\n");
        var perSignal = (terms.Count + 9) / 10;
        for (var s = 0; s < 10; s++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"signal: s{s}\n  label: Signal {s}\n  weight: 3\n");
            foreach (var chunk in terms.Skip(s * perSignal).Take(perSignal).Chunk(25))
            {
                sb.Append("  phrase: ").AppendJoin(" | ", chunk).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>About <paramref name="bytes"/> of text with a handful of the terms (and of the default signals) in it.</summary>
    public static string Article(IReadOnlyList<string> terms, int seed, int bytes = 4096)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(bytes + 200);
        while (sb.Length < bytes)
        {
            sb.Append(Filler[random.Next(Filler.Length)]).Append(' ');
            if (random.Next(6) == 0)
            {
                sb.Append("Witnesses said ").Append(terms[random.Next(terms.Count)]).Append(" was reported near the border. ");
            }
        }

        sb.Append("Police said at least 40 people were arrested and a curfew was imposed.");
        return sb.ToString();
    }

    private const string Consonants = "bcdfglmnprstv";
    private const string Vowels = "aeiou";

    private static string Word(int n)
    {
        // Three or four consonant-vowel syllables: "tavore", "misolen"; distinct for distinct n.
        var sb = new StringBuilder();
        n = Math.Abs(n) + 2000;
        while (n > 0)
        {
            sb.Append(Consonants[n % Consonants.Length]);
            n /= Consonants.Length;
            sb.Append(Vowels[n % Vowels.Length]);
            n /= Vowels.Length;
        }

        return sb.Append('n').ToString();
    }
}
