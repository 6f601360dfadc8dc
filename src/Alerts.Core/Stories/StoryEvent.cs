using System.Globalization;
using Alerts.Core.Places;
using Alerts.Core.Scoring;

namespace Alerts.Core.Stories;

/// <summary>
/// What identifies an event whatever the language or the wording of a report: the names in its lead (people, groups,
/// places below the country), its numbers and its signals. Two reports of one event in English and French share
/// "Bazoum", "Niamey" and "coup" while sharing almost no words; two reports of different events in one country share
/// at most the country's name, which is left out (the story's country is already the same), with role words such as
/// "President" or "Minister". A story keeps the features of its articles (the first <see cref="MaxFeatures"/>).
/// </summary>
public static class StoryEvent
{
    /// <summary>Most features kept per story.</summary>
    public const int MaxFeatures = 64;

    /// <summary>Shared evidence from which two reports are the same event (a name, a city or a number counts 1, a signal 1/2).</summary>
    public const double MinEvidence = 2;

    /// <summary>Least Jaccard similarity of the features for the same event.</summary>
    public const double MinOverlap = 0.1;

    private const string Name = "n:";
    private const string Place = "p:";
    private const string Number = "d:";
    private const string Signal = "s:";

    // Capitalized words that are roles, institutions, agencies or calendar words, not names of one event.
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "president", "presidente", "presidential", "vice", "minister", "ministre", "ministro", "ministry", "ministere", "ministerio",
        "prime", "premier", "primer", "general", "colonel", "coronel", "captain", "capitaine", "capitan", "major", "lieutenant",
        "army", "armee", "ejercito", "police", "policia", "government", "gouvernement", "gobierno", "parliament", "parlement",
        "parlamento", "congress", "congres", "congreso", "senate", "senat", "senado", "court", "cour", "corte", "tribunal",
        "state", "etat", "estado", "republic", "republique", "republica", "national", "nationale", "nacional", "union", "council",
        "conseil", "consejo", "assembly", "assemblee", "asamblea", "united", "nations", "unies", "unidas", "security", "securite",
        "seguridad", "defense", "defence", "defensa", "interior", "interieur", "foreign", "affairs", "affaires", "exteriores",
        "reuters", "afp", "efe", "associated", "press", "bbc", "cnn", "news", "agence", "agencia", "photo", "video", "live",
        "breaking", "urgent", "update", "north", "south", "east", "west", "nord", "sud", "est", "ouest", "norte", "sur", "este",
        "oeste", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
        "decembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
        "noviembre", "diciembre", "the", "les", "los", "las", "une", "des", "del", "por", "pour", "with", "avec", "con",
        "mr", "mrs", "ms", "dr", "sr", "sra", "mme", "mlle", "said", "dit", "dijo", "but", "mais", "pero", "and", "et",
    };

    private static readonly Lazy<(HashSet<string> Country, HashSet<string> City)> PlaceWords = new(BuildPlaceWords);

    /// <summary>The features of an article: names of its lead (of its title when there is no lead), numbers, signals.</summary>
    public static string[] Of(string? title, string? lead, IEnumerable<string> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var text = string.IsNullOrWhiteSpace(lead) ? title ?? "" : lead;
        var head = text.Length <= StorySignature.LeadWords * 40 ? text : text[..(StorySignature.LeadWords * 40)];
        var (country, city) = PlaceWords.Value;
        var features = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string feature)
        {
            if (features.Count < MaxFeatures && seen.Add(feature))
            {
                features.Add(feature);
            }
        }

        foreach (var name in StorySignature.Names(head).Concat(TitleCased(title) ? [] : StorySignature.Names(title ?? "")))
        {
            if (!NotNames.Contains(name) && !country.Contains(name))
            {
                Add((city.Contains(name) ? Place : Name) + name);
            }
        }

        foreach (var token in TextNormalizer.Tokens(((title ?? "") + " " + head).Trim()))
        {
            // Numbers in digits or words ("seven", "siete", "sept" are one feature), years left out.
            var value = char.IsAsciiDigit(token[0]) && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var digits) ? digits
                : LanguageResources.NumberWords.TryGetValue(token, out var word) && word == Math.Floor(word) && word < int.MaxValue ? (int)word
                : 0;
            if (value >= 3 && !(token.Length == 4 && value is >= 1900 and <= 2100))
            {
                Add(Number + value.ToString(CultureInfo.InvariantCulture));
            }
        }

        foreach (var signal in signals)
        {
            Add(Signal + signal);
        }

        return [.. features];
    }

    /// <summary>A headline in title case ("Curfew Declared In Capital") capitalizes every word: its capitals show no names.</summary>
    private static bool TitleCased(string? title)
    {
        var words = (title ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 4 && char.IsLetter(w[0])).ToList();
        return words.Count == 0 || words.Count(w => char.IsUpper(w[0])) * 2 > words.Count;
    }

    /// <summary>The features of <paramref name="story"/> with those of a joining article added (up to <see cref="MaxFeatures"/>).</summary>
    public static IReadOnlyList<string> Merge(IReadOnlyList<string>? story, IReadOnlyList<string> article)
    {
        ArgumentNullException.ThrowIfNull(article);
        if (story is null || story.Count == 0)
        {
            return article;
        }

        var merged = story.ToList();
        foreach (var feature in article)
        {
            if (merged.Count >= MaxFeatures)
            {
                break;
            }

            if (!merged.Contains(feature, StringComparer.Ordinal))
            {
                merged.Add(feature);
            }
        }

        return merged.Count == story.Count ? story : merged;
    }

    /// <summary>How much two feature lists share: the weighted evidence and the Jaccard similarity.</summary>
    public static (double Evidence, double Overlap) Compare(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            return (0, 0);
        }

        var set = new HashSet<string>(a, StringComparer.Ordinal);
        var shared = 0;
        var evidence = 0.0;
        foreach (var feature in b.Distinct(StringComparer.Ordinal))
        {
            if (set.Contains(feature))
            {
                shared++;
                evidence += feature.StartsWith(Signal, StringComparison.Ordinal) ? 0.5 : 1;
            }
        }

        var union = set.Count + b.Distinct(StringComparer.Ordinal).Count() - shared;
        return (evidence, (double)shared / union);
    }

    /// <summary>
    /// How well the features say one event: their overlap when the shared evidence and the overlap are enough, else 0
    /// (also for a story stored before it had features).
    /// </summary>
    public static double Agreement(IReadOnlyList<string>? a, IReadOnlyList<string> b)
    {
        if (a is null)
        {
            return 0;
        }

        var (evidence, overlap) = Compare(a, b);
        return evidence >= MinEvidence && overlap >= MinOverlap ? overlap : 0;
    }

    private static (HashSet<string> Country, HashSet<string> City) BuildPlaceWords()
    {
        var country = new HashSet<string>(StringComparer.Ordinal);
        var city = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Gazetteer.Default.ByFirstToken.Values.SelectMany(e => e))
        {
            (entry.Kind == PlaceKind.City ? city : country).UnionWith(entry.Tokens.Where(t => t.Length >= 3));
        }

        city.ExceptWith(country);
        return (country, city);
    }
}
