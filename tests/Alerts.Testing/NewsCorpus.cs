using System.Text;
using Alerts.Core.Places;

namespace Alerts.Testing;

/// <summary>
/// Generated news with the shape of the real thing, for measuring cost at scale: a 40,000-word vocabulary drawn with
/// Zipf frequencies (a few words in every article, most rare), 20,000 names (people, towns, groups) drawn the same way,
/// countries drawn from the gazetteer with Zipf weights (the busiest country has about a sixth of the news), numbers,
/// and a signal in a tenth of the articles. A retelling keeps the event's names, numbers and country and changes
/// about half of the words.
/// </summary>
public sealed class NewsCorpus
{
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ten", "sar", "vo", "ri", "dun", "pe", "sha", "gor", "li", "na", "bek", "tu", "ro", "zan", "mo", "fe", "ki",
        "bar", "del", "sto", "wen", "cha", "ple", "mun", "tra", "vis", "hol", "gan", "ber", "pri", "sol", "tem", "nor", "cla", "fin", "dro", "lux",
    ];

    private static readonly string[] SignalIds = ["curfew", "fatalities", "mass-arrests", "state-of-emergency", "live-fire", "coup", "internet-shutdown", "martial-law", "foreign-troops"];

    private readonly Random _random;
    private readonly Zipf _words;
    private readonly Zipf _names;
    private readonly Zipf _countries;
    private readonly string[] _vocabulary;
    private readonly string[] _nameList;
    private readonly string[] _countryCodes;

    public NewsCorpus(int seed)
    {
        _random = new Random(seed);
        _vocabulary = Distinct(40_000, 2, 4, capital: false);
        _nameList = Distinct(20_000, 2, 3, capital: true);
        _countryCodes = [.. Gazetteer.Default.Countries.Keys.Order(StringComparer.Ordinal)];
        Shuffle(_countryCodes);
        _words = new Zipf(_vocabulary.Length, 1.0);
        _names = new Zipf(_nameList.Length, 0.9);
        _countries = new Zipf(_countryCodes.Length, 1.0);
    }

    /// <summary>One event: its country, title, lead and signals.</summary>
    public sealed record Report(string Country, string Title, string Lead, string[] Signals);

    public Report Next()
    {
        var names = Enumerable.Range(0, 2 + _random.Next(3)).Select(_ => _nameList[_names.Sample(_random)]).ToArray();
        var numbers = Enumerable.Range(0, _random.Next(3)).Select(_ => (3 + _random.Next(500)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var signals = _random.NextDouble() < 0.1 ? new[] { SignalIds[_random.Next(SignalIds.Length)] } : [];
        var country = _countryCodes[_countries.Sample(_random)];
        return new Report(country, Sentence(8, []), Sentence(45, [.. names, .. numbers]), signals);
    }

    /// <summary>Another outlet's report of <paramref name="report"/>: the same country, names, numbers and signals, about half the words changed.</summary>
    public Report Retell(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with { Title = Reword(report.Title), Lead = Reword(report.Lead) };
    }

    private string Reword(string text) => string.Join(' ', text.Split(' ').Select(w => char.IsUpper(w[0]) || char.IsDigit(w[0]) || _random.Next(2) == 0 ? w : _vocabulary[_words.Sample(_random)]));

    private string Sentence(int words, string[] insert)
    {
        var parts = Enumerable.Range(0, words).Select(_ => _vocabulary[_words.Sample(_random)]).ToList();
        foreach (var token in insert)
        {
            parts.Insert(1 + _random.Next(parts.Count - 1), token); // never first: a name inside a sentence
        }

        return string.Join(' ', parts);
    }

    private string[] Distinct(int count, int min, int max, bool capital)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        while (seen.Count < count)
        {
            sb.Clear();
            var syllables = min + _random.Next(max - min + 1);
            for (var s = 0; s < syllables; s++)
            {
                sb.Append(Syllables[_random.Next(Syllables.Length)]);
            }

            if (capital)
            {
                sb[0] = char.ToUpperInvariant(sb[0]);
            }

            seen.Add(sb.ToString());
        }

        var list = seen.ToArray();
        Shuffle(list);
        return list;
    }

    private void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Ranks 0..n-1 drawn with probability proportional to 1/(rank+1)^s.</summary>
    private sealed class Zipf
    {
        private readonly double[] _cumulative;

        public Zipf(int n, double s)
        {
            _cumulative = new double[n];
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                total += 1 / Math.Pow(i + 1, s);
                _cumulative[i] = total;
            }

            for (var i = 0; i < n; i++)
            {
                _cumulative[i] /= total;
            }
        }

        public int Sample(Random random)
        {
            var i = Array.BinarySearch(_cumulative, random.NextDouble());
            return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
        }
    }
}
