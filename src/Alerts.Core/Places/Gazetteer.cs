using Alerts.Core.Scoring;

namespace Alerts.Core.Places;

/// <summary>A country or territory: ISO 3166-1 alpha-2 code, English name, UN M49 region and sub-region.</summary>
public sealed record Country(string Code, string Name, string Region, string SubRegion)
{
    /// <summary>The French name (the first in the gazetteer's French column).</summary>
    public string NameFr { get; init; } = Name;

    /// <summary>The Spanish name.</summary>
    public string NameEs { get; init; } = Name;

    /// <summary>The names in pt, de, it, tr, ru, uk, ar and fa, by language (country-names.tsv).</summary>
    public IReadOnlyDictionary<string, string> OtherNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The name in <paramref name="language"/> (any of the eleven; English for another or a missing one).</summary>
    public string NameIn(string? language) => language switch
    {
        "fr" => NameFr,
        "es" => NameEs,
        null or "en" => Name,
        _ => OtherNames.GetValueOrDefault(language, Name),
    };
}

/// <summary>How a gazetteer entry names its country, which decides how much a mention weighs.</summary>
public enum PlaceKind
{
    Name,
    City,
    Demonym,
}

/// <summary>One way of naming a country: a normalized token sequence with the case rules of its written form.</summary>
public sealed record PlaceEntry(string Code, PlaceKind Kind, string[] Tokens, string Written)
{
    /// <summary>Written in capitals ("DRC", "UAE", "US"): the text must be in capitals too.</summary>
    public bool Acronym { get; } = Written.Count(char.IsLetter) >= 2 && Written.Where(char.IsLetter).All(char.IsUpper);

    /// <summary>Written with a capital ("Turkey", "Chad"): the text's first letter must be a capital too.</summary>
    public bool Capitalized { get; } = Written.Length > 0 && char.IsUpper(Written[0]);
}

/// <summary>
/// Every UN member and observer state and the common territories (data files in Places/Data): names in English, French
/// and Spanish, demonyms and adjectives, capitals and largest cities, and M49 regions. Loaded once; immutable.
/// </summary>
public sealed class Gazetteer
{
    private static readonly Lazy<Gazetteer> Shared = new(Load);

    private readonly Lazy<Dictionary<string, Country?>> _byName;

    private readonly Dictionary<string, List<string>> _otherNames;

    private Gazetteer(Dictionary<string, Country> countries, Dictionary<string, List<PlaceEntry>> byFirstToken, Dictionary<string, List<string>> otherNames)
    {
        Countries = countries;
        _otherNames = otherNames;
        _byName = new(IndexNames);
        ByFirstToken = byFirstToken.ToDictionary(kv => kv.Key, kv => kv.Value.OrderByDescending(e => e.Tokens.Length).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The built-in gazetteer.</summary>
    public static Gazetteer Default => Shared.Value;

    public IReadOnlyDictionary<string, Country> Countries { get; }

    /// <summary>Entries by their first normalized token, longest first, so that "Papua New Guinea" wins over "Guinea".</summary>
    internal IReadOnlyDictionary<string, PlaceEntry[]> ByFirstToken { get; }

    /// <summary>
    /// The country <paramref name="text"/> names: an ISO 3166 code ("TD", any case) or a name in English, French or
    /// Spanish, case and accents ignored ("Chad", "tchad", "Côte d'Ivoire"), or any name the detector knows for it
    /// ("DR Congo"); null when it names none or several.
    /// </summary>
    public Country? FindCountry(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length == 2 && Countries.TryGetValue(text.ToUpperInvariant(), out var byCode))
        {
            return byCode;
        }

        if (_byName.Value.TryGetValue(NameKey(text), out var named) && named is not null)
        {
            return named;
        }

        var detected = CountryDetector.Detect(text, null, this);
        return detected.Count == 1 ? Countries.GetValueOrDefault(detected[0].Code) : null;
    }

    /// <summary>
    /// The country whose name in any of the eleven languages <paramref name="text"/> is, exactly (case and accents ignored):
    /// no codes and no detection, for reading search words.
    /// </summary>
    public Country? FindName(string text) => _byName.Value.GetValueOrDefault(NameKey(text ?? ""));

    /// <summary>A name as the detector reads it (<see cref="TextNormalizer.Tokens"/>: case, accents and apostrophes ignored).</summary>
    private static string NameKey(string text) => string.Join(' ', TextNormalizer.Tokens(text));

    /// <summary>Every country's names in the eleven languages (with their case forms); a name two countries share maps to null.</summary>
    private Dictionary<string, Country?> IndexNames()
    {
        var index = new Dictionary<string, Country?>(StringComparer.Ordinal);
        foreach (var country in Countries.Values)
        {
            foreach (var key in new[] { country.Name, country.NameFr, country.NameEs }.Concat(_otherNames.GetValueOrDefault(country.Code) ?? []).Select(NameKey).Distinct(StringComparer.Ordinal))
            {
                index[key] = index.TryGetValue(key, out var other) && other != country ? null : country;
            }
        }

        return index;
    }

    /// <summary>Every country whose region or sub-region is <paramref name="name"/> (case-insensitive), e.g. "Central Asia".</summary>
    public IEnumerable<Country> InRegion(string name) =>
        Countries.Values.Where(c => string.Equals(c.Region, name, StringComparison.OrdinalIgnoreCase) || string.Equals(c.SubRegion, name, StringComparison.OrdinalIgnoreCase));

    private static Gazetteer Load()
    {
        var countries = new Dictionary<string, Country>(StringComparer.Ordinal);
        var entries = new Dictionary<string, List<PlaceEntry>>(StringComparer.Ordinal);
        var assembly = typeof(Gazetteer).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".tsv", StringComparison.Ordinal) && n.Contains(".Places.", StringComparison.Ordinal)))
        {
            foreach (var (f, lineNo) in DataRows.Read(resource))
            {
                if (f.Length != 8)
                {
                    throw new InvalidDataException($"{resource}:{lineNo}: expected 8 tab-separated fields, found {f.Length}.");
                }

                var code = f[0];
                countries[code] = new Country(code, f[3].Split('|')[0], f[1], f[2]) { NameFr = f[4].Split('|')[0], NameEs = f[5].Split('|')[0] };
                Add(entries, code, PlaceKind.Name, f[3], f[4], f[5]);
                Add(entries, code, PlaceKind.Demonym, f[6]);
                Add(entries, code, PlaceKind.City, f[7]);
            }
        }

        // Their names, adjectives and cities in the other eight languages (eng/places/names.mjs), with case forms and
        // clitics, and the name for display. A form that reads the same as another country's (Arabic "عمّان", Amman,
        // is Persian "عمان", Oman, once marks and letter forms are folded) names neither and is left out.
        var rows = new List<(string[] Fields, (string Name, string Key)[] Names)>();
        var claimed = entries.Values.SelectMany(e => e).GroupBy(e => string.Join(' ', e.Tokens)).ToDictionary(g => g.Key, g => g.Select(e => e.Code).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (f, lineNo) in DataRows.Read("Alerts.Core.CountryNames.country-names.tsv"))
        {
            if (f.Length != 4 || !countries.ContainsKey(f[0]) || f[2] is not ("display" or "name" or "demonym" or "city"))
            {
                throw new InvalidDataException($"country-names.tsv:{lineNo}: expected a known country code, a language, display, name, demonym or city, and names.");
            }

            var names = f[2] == "display" ? [] : f[3].Split('|').Select(n => (Name: n, Key: NameKey(n))).ToArray();
            foreach (var (_, key) in names)
            {
                if (!claimed.TryGetValue(key, out var codes))
                {
                    claimed[key] = codes = new HashSet<string>(StringComparer.Ordinal);
                }

                codes.Add(f[0]);
            }

            rows.Add((f, names));
        }

        var otherNames = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var displayNames = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (f, all) in rows)
        {
            if (f[2] == "display")
            {
                if (!displayNames.TryGetValue(f[0], out var byLanguage))
                {
                    displayNames[f[0]] = byLanguage = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                byLanguage[f[1]] = f[3];
                continue;
            }

            var names = all.Where(n => claimed[n.Key].Count == 1).Select(n => n.Name).ToArray();
            Add(entries, f[0], f[2] switch { "city" => PlaceKind.City, "demonym" => PlaceKind.Demonym, _ => PlaceKind.Name }, names);
            if (f[2] == "name")
            {
                if (!otherNames.TryGetValue(f[0], out var list))
                {
                    otherNames[f[0]] = list = [];
                }

                list.AddRange(names);
            }
        }

        foreach (var (code, names) in displayNames)
        {
            countries[code] = countries[code] with { OtherNames = names };
        }

        return new Gazetteer(countries, entries, otherNames);
    }

    private static void Add(Dictionary<string, List<PlaceEntry>> entries, string code, PlaceKind kind, params string[] fields)
    {
        foreach (var written in fields.SelectMany(f => f.Split('|')).Select(w => w.Trim()).Where(w => w.Length > 0 && w != "-").Distinct())
        {
            // "Victoria, Seychelles" keeps its qualifier: the bare name is too ambiguous to count.
            var name = written;
            var tokens = TextNormalizer.Tokens(name).ToArray();
            if (tokens.Length == 0)
            {
                continue;
            }

            if (!entries.TryGetValue(tokens[0], out var list))
            {
                entries[tokens[0]] = list = [];
            }

            if (!list.Exists(e => e.Code == code && e.Tokens.SequenceEqual(tokens) && e.Written == name))
            {
                list.Add(new PlaceEntry(code, kind, tokens, name));
            }
        }
    }
}
