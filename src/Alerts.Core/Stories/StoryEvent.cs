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

    /// <summary>
    /// Shared evidence from which two reports are the same event (see <see cref="Compare"/>: a place 1.5 or 1, a name or
    /// a number of 10 or more 1, a smaller number 1/2, a rare signal 1, another signal 1/2).
    /// </summary>
    public const double MinEvidence = 2;

    /// <summary>Least Jaccard similarity of the features for the same event.</summary>
    public const double MinOverlap = 0.1;

    private const string Name = "n:";
    private const string Place = "p:";
    private const string Number = "d:";
    private const string Signal = "s:";

    // Marks a capital or largest city (one the country gazetteer counts): where many of a country's events happen; and
    // any other town.
    private const string MajorCity = "=";
    private const string Town = "+";

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

    /// <summary>Places of the main country an article's event features carry (the first few, and a town's division).</summary>
    private const int MaxPlaces = 3;

    /// <summary>
    /// The places of <paramref name="places"/> in its main country, by the name they are stored under whatever the
    /// language ("Lattaquié" and "Latakia" are "latakia"), each town with its division ("goma", "north kivu"): what
    /// <see cref="Of"/> adds as place features.
    /// </summary>
    public static string[] PlaceKeys(ArticlePlaces places)
    {
        ArgumentNullException.ThrowIfNull(places);
        if (places.Countries.Count == 0)
        {
            return [];
        }

        var main = places.Countries[0].Code;
        var counted = PlaceGazetteer.Default.CountedCities;
        return places.Places.Where(p => p.Country == main).Take(MaxPlaces)
            .SelectMany(p => p.Kind == GeoKind.City && p.Division.Length > 0 ? new[] { (p.Name, p.Kind), (p.Division, GeoKind.Division) } : [(p.Name, p.Kind)])
            .Select(p => (Key: PlaceGazetteer.Key(p.Item1), p.Item2))
            .Where(p => p.Key.Length > 0)
            .Select(p => (p.Item2 != GeoKind.City ? "" : counted.Contains(main + ":" + p.Key) ? MajorCity : Town) + p.Key)
            .Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The features of an article: names of its lead (of its title when there is no lead), its places below the country
    /// (<see cref="PlaceKeys"/>), numbers, signals.
    /// </summary>
    public static string[] Of(string? title, string? lead, IEnumerable<string> signals, IEnumerable<string>? places = null)
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
            // "Caracas" trimmed as a plural is "caraca": still the city.
            if (!NotNames.Contains(name) && !country.Contains(name) && !country.Contains(name + "s"))
            {
                Add((city.Contains(name) ? Place + name : city.Contains(name + "s") ? Place + name + "s" : Name + name));
            }
        }

        foreach (var place in places ?? [])
        {
            Add(Place + place.Replace(' ', '-'));
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

    /// <summary>What marks a signal found only damped (history, drills, films, anniversaries): "coup~".</summary>
    public const char DampedMark = '~';

    /// <summary>
    /// The signals of a scored article as stories take them: every signal found, those found only damped marked with
    /// <see cref="DampedMark"/>. A damped signal still says what a report tells (a shooting "on the anniversary"), so it is
    /// shared evidence like a frequent signal; it never counts as a rare signal ("since the 2021 coup").
    /// </summary>
    public static string[] SignalsOf(Scoring.ScoreResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Signals.Select(s => s.Evidence.Any(e => e.DampedBy is null) ? s.Id : s.Id + DampedMark)];
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
        var (evidence, overlap, _, _, _) = Share(a, b);
        return (evidence, overlap);
    }

    /// <summary>
    /// <see cref="Compare"/>, whether a shared signal is one a country rarely sees on one day (found undamped in both),
    /// whether a signal is shared that at least one report found undamped, and the evidence of the shared place.
    /// </summary>
    private static (double Evidence, double Overlap, bool RareShared, bool SignalShared, double Place) Share(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            return (0, 0, false, false, 0);
        }

        // A signal found damped in one report and undamped in the other is one shared signal, of ordinary weight.
        var set = Keyed(a);
        var others = Keyed(b);

        var shared = 0;
        var evidence = 0.0;
        var place = 0.0;
        var rare = false;
        var signal = false;
        foreach (var (feature, dampedB) in others)
        {
            if (set.TryGetValue(feature, out var dampedA))
            {
                shared++;
                // One place however it is named (a town, its division) counts once: 1.5 for a town outside the capital
                // and largest cities (with one more piece of evidence it is the same event; alone, a flood and a shooting
                // in Goma are two), 1 for those or a division, where much of a country's news happens. A rare signal 1,
                // another signal or a number below 10 (three dead, five provinces: common to many reports) 1/2. A name or
                // a larger number: 1.
                if (feature.StartsWith(Place, StringComparison.Ordinal))
                {
                    place = Math.Max(place, Major(feature) ? 1 : feature.StartsWith(Place + Town, StringComparison.Ordinal) ? 1.5 : 1);
                    continue;
                }

                var isSignal = feature.StartsWith(Signal, StringComparison.Ordinal);
                var isRare = isSignal && !dampedA && !dampedB && RareSignals.Contains(feature);
                rare |= isRare;
                signal |= isSignal && !(dampedA && dampedB); // found undamped by at least one report
                evidence += isSignal ? (isRare ? 1 : 0.5)
                    : feature.StartsWith(Number, StringComparison.Ordinal) && feature.Length == Number.Length + 1 ? 0.5
                    : 1;
            }
        }

        evidence += place;

        // Two reports placed in different towns or divisions of the country are two events, whatever else they share.
        if (place == 0 && Specific(a) && Specific(b))
        {
            return (0, 0, false, false, 0);
        }

        return (evidence, (double)shared / (set.Count + others.Count - shared), rare, signal, place);
    }

    // The features as compared ("s:coup" for "s:coup~"), each with whether it is a signal found only damped (not when
    // the list also has it undamped).
    private static Dictionary<string, bool> Keyed(IReadOnlyList<string> features)
    {
        var keyed = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            var damped = feature.Length > 0 && feature[^1] == DampedMark && feature.StartsWith(Signal, StringComparison.Ordinal);
            var key = damped ? feature[..^1] : feature;
            keyed[key] = keyed.TryGetValue(key, out var before) ? before && damped : damped;
        }

        return keyed;
    }

    // Signals a country sees rarely on one day: two reports of a coup in one country within days are one coup. Deaths,
    // arrests and shooting are reported of many events at once.
    private static readonly HashSet<string> RareSignals = new(StringComparer.Ordinal)
    {
        Signal + "coup", Signal + "martial-law", Signal + "internet-shutdown", Signal + "state-of-emergency", Signal + "curfew", Signal + "foreign-troops",
    };

    // Placed below the country, elsewhere than in its capital or largest cities.
    private static bool Specific(IReadOnlyList<string> features) => features.Any(f => f.StartsWith(Place, StringComparison.Ordinal) && !Major(f));

    // A place feature for a capital or a largest city: marked so by the place layer, or a city the lead's words name ("p:dhaka").
    private static bool Major(string feature) =>
        feature.StartsWith(Place + MajorCity, StringComparison.Ordinal) || PlaceWords.Value.City.Contains(feature[Place.Length..]);

    /// <summary>
    /// How well the features say one event: their overlap when the shared evidence and the overlap are enough, else 0
    /// (also for a story stored before it had features).
    /// </summary>
    /// <remarks>
    /// Within <see cref="RareSignalWindow"/> of the story's start, one shared signal a country sees rarely (a coup, martial
    /// law, an internet shutdown, a curfew, a state of emergency, foreign troops) is enough, unless the reports are
    /// placed in different towns: an Arabic report of Bolivia's coup attempt shares no name with an English one. Within
    /// <see cref="EarlyWindow"/>, a shared place and a shared signal are (with the overlap of <see cref="MinOverlap"/>).
    /// With the reports' word <paramref name="similarity"/> of <see cref="PartialSimilarity"/> or more, evidence of
    /// <see cref="PartialEvidence"/> is at any time in the window. <paramref name="apart"/> is the time from the story's
    /// start (<see cref="TimeSpan.MaxValue"/> for reports with no country: none of these rules is for them).
    /// </remarks>
    public static double Agreement(IReadOnlyList<string>? a, IReadOnlyList<string> b, TimeSpan apart, double similarity = 0)
    {
        if (a is null)
        {
            return 0;
        }

        var (evidence, overlap, rare, signal, place) = Share(a, b);
        if (evidence >= MinEvidence && overlap >= MinOverlap)
        {
            return overlap;
        }

        // One rare signal near the story's start; within hours of the start, the place and a signal (two young men shot
        // dead in Conakry, and a deadly protest in a Conakry suburb three hours later; a blast in Kabul and arrests there
        // share no signal and stay two); or words and event each agreeing in part (a rewrite: "Mass arrests in Dhaka after
        // deadly clashes at opposition rally" and "Bangladesh police arrest hundreds of opposition activists after rally
        // clashes").
        return (apart.Duration() <= RareSignalWindow && evidence > 0 && rare)
            || (apart.Duration() <= EarlyWindow && place > 0 && signal && overlap >= MinOverlap)
            || (similarity >= PartialSimilarity && evidence >= PartialEvidence)
            ? Math.Max(overlap, MinOverlap)
            : 0;
    }

    /// <summary>Word similarity (<see cref="StorySignature.Similarity"/>) that, with <see cref="PartialEvidence"/>, makes one event.</summary>
    public const double PartialSimilarity = 0.15;

    /// <summary>Shared event evidence that, with <see cref="PartialSimilarity"/>, makes one event.</summary>
    public const double PartialEvidence = 1.5;

    /// <summary>How near a story's start a report joins it on the evidence of the event alone, without its words.</summary>
    public static readonly TimeSpan EarlyWindow = TimeSpan.FromHours(12);

    /// <summary>How near a story's start one shared rare signal joins a report to it.</summary>
    public static readonly TimeSpan RareSignalWindow = TimeSpan.FromHours(24);

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
