using Alerts.Core.Scoring;

namespace Alerts.Core.Places;

/// <summary>A city or division an article names: the place, how much the article is about it, and the words that named it.</summary>
public sealed record PlaceMention(string Name, string Division, string Country, GeoKind Kind, double Latitude, double Longitude, int Population, double Score, IReadOnlyList<string> Mentions)
{
    /// <summary>"Goma, North Kivu", or a division's own name.</summary>
    public string Label => Kind == GeoKind.Division || Division.Length == 0 || Division == Name ? Name : Name + ", " + Division;
}

/// <summary>A place as stored with an article or an alert: "Goma" in "North Kivu", "CD", and where it is (unknown for a division without towns in the data).</summary>
public sealed record ArticlePlace(string Name, string Division, string Country, double? Latitude, double? Longitude)
{
    /// <summary>"Goma, North Kivu": the place and its division (a division alone is its own name).</summary>
    public string Label => Division.Length == 0 || Division == Name ? Name : Name + ", " + Division;

    public static ArticlePlace From(PlaceMention mention)
    {
        ArgumentNullException.ThrowIfNull(mention);
        return new ArticlePlace(mention.Name, mention.Kind == GeoKind.Division ? "" : mention.Division, mention.Country, Coordinate(mention.Latitude), Coordinate(mention.Longitude));
    }

    /// <summary>A coordinate rounded to 4 decimals (about 10 m), or null when unknown.</summary>
    public static double? Coordinate(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;
}

/// <summary>The countries of an article (main first) and its places below the country (those of the main country first).</summary>
public sealed record ArticlePlaces(IReadOnlyList<CountryMention> Countries, IReadOnlyList<PlaceMention> Places)
{
    /// <summary>The most specific place in the main country, if any.</summary>
    public PlaceMention? MainPlace => Places.Count > 0 && Countries.Count > 0 && Places[0].Country == Countries[0].Code ? Places[0] : null;

    /// <summary>The UN M49 sub-regions and regions of the countries ("Central Asia", "Asia"), none for a territory without them.</summary>
    public IEnumerable<string> Regions => Countries.SelectMany(c => new[] { c.SubRegion, c.Region }).Where(r => r.Length > 0).Distinct();
}

/// <summary>
/// Finds the places of an article below the country (<see cref="PlaceGazetteer"/>) on top of its countries
/// (<see cref="CountryDetector"/>), and lets them count for their country: "Curfew in Goma" is about DR Congo even when
/// the country is not named. A name needs a capital letter and is not read as a place when it belongs to a longer name
/// (a capitalized word before or after it: "Florence Pugh", "Pedro do Rosário", "Manchester United"). A one-word town is
/// read only with support: a locative word before it ("in", "à", "en", "near"), its country or division named in the
/// article, or a million inhabitants. Among places of one name (Tripoli, Valencia, Hyderabad, Santiago) the one in a
/// country the article names wins, then the one whose division is named, then the most populous.
/// </summary>
public static class PlaceDetector
{
    private const double CityWeight = 2;
    private const double DivisionWeight = 3;
    private const double TitleFactor = 2;
    private const int MillionCity = 1_000_000;

    /// <summary>A place's country named in apposition to it outranks every other reading of the name.</summary>
    private const double AppositionRank = 10;

    /// <summary>What a division named by another name of the article adds to the rank of a city in it.</summary>
    private const double NamedDivisionRank = 5;

    /// <summary>What a division of the city's own name adds: mostly enough to prefer the city to that division, far less than a country named.</summary>
    private const double OwnDivisionRank = 1;

    /// <summary>A town this large is read when named in the title or inside a sentence, without a locative word.</summary>
    private const int LargeTown = 50_000;

    /// <summary>Towns of one country named in one article that support one another.</summary>
    private const int ListedTowns = 3;

    /// <summary>A place named after a locative word ("in Goma", "near Van") is where things happen: it counts double.</summary>
    private const double CueFactor = 2;

    // Words after a place that keep it a place ("Florida Gulf coast", "Gaza Strip", "Kherson Oblast", "Juba airport").
    private static readonly HashSet<string> GeoFollowers = new(StringComparer.Ordinal)
    {
        "gulf", "coast", "strip", "bay", "peninsula", "panhandle", "keys", "valley", "river", "basin", "lake", "mountains", "hills",
        "oblast", "region", "province", "state", "county", "district", "governorate", "airport", "port", "harbour", "harbor",
        "city", "town", "metro", "highway", "road", "border", "crossing", "camp", "delta", "plain", "plains", "desert",
    };
    private const int MaxMentions = 5;

    private static readonly HashSet<string> Locatives = new(StringComparer.Ordinal)
    {
        "in", "at", "near", "from", "outside", "around", "across", "into", "toward", "towards", "for", "to", "a", "en", "dans",
        "pres", "vers", "sur", "pour", "desde", "hacia", "cerca", "entre", "sobre", "para",
        "em", "na", "nas", "nos", "perto", "ate", // Portuguese ("no" is English too often)
        "im", "bei", "nahe", "nach", "aus", "um", // German
        "nel", "nella", "nei", "negli", "presso", "vicino", "tra", "fra", // Italian
    };

    // "the city of", "la ville de", "la ciudad de": the next name is a place.
    private static readonly HashSet<string> PlaceNouns = new(StringComparer.Ordinal)
    {
        "city", "town", "village", "province", "region", "state", "district", "ville", "commune", "localite", "ciudad",
        "localidad", "municipio", "pueblo", "provincia", "region", "departamento", "estado", "capital", "port", "puerto",
        "cidade", "citta", "comune", "regione", "stadt", "gemeinde", "landkreis", "kreis", "bundesland",
    };

    // "Gobierno de Chiapas", "Gouverneur du Nord-Kivu": an institution before a particle, not a first name.
    private static readonly HashSet<string> Institutions = new(StringComparer.Ordinal)
    {
        "government", "governor", "gouvernement", "gouverneur", "gobierno", "gobernador", "governo", "university", "universite",
        "universidad", "prefecture", "prefet", "mairie", "alcaldia", "alcalde", "maire", "mayor", "province", "provincia",
        "region", "state", "estado", "etat", "district", "department", "departement", "departamento", "port", "puerto",
        "bishop", "archbishop", "eveque", "obispo", "diocese", "diocesis", "battle", "bataille", "batalla", "siege", "sitio",
    };

    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal) { "de", "do", "da", "dos", "das", "van", "von", "bin", "ibn", "del", "di", "du" };

    /// <summary>
    /// Detects the countries and the places of an article. One that names no country is placed in the country of its
    /// <paramref name="url"/>'s domain, when it has one (<see cref="SourceCountry"/>), else in the country where most
    /// speakers of its <paramref name="language"/> live, when one country has at least half of them
    /// (<see cref="Gazetteer.HomeCountries"/>: a Turkish report of "1,418 detained at the protests" that names no place is
    /// Turkish domestic news); either is marked <see cref="CountryMention.FromSource"/>. Both come before a lone adjective
    /// (<see cref="CountryMention.Lone"/>), which places the article when neither does. Pass a language only when it is
    /// declared or clearly detected (<see cref="LanguageDetector.Confident"/>).
    /// </summary>
    public static ArticlePlaces Detect(string? title, string? content, PlaceGazetteer? places = null, Gazetteer? gazetteer = null, string? url = null, string? language = null)
    {
        gazetteer ??= Gazetteer.Default;
        var named = Named(title, content, places ?? PlaceGazetteer.Default, gazetteer);
        // A lone adjective ("un cittadino albanese" on an Italian site) says less than the source's domain or language.
        if (named.Countries.Count > 0 && !(named.Countries is [{ Lone: true }] && named.Places.Count == 0))
        {
            return named;
        }

        var (code, why) = SourceCountry.Of(url, gazetteer) is { } source ? (source, "source: " + new Uri(url!).Host)
            : language is not null && gazetteer.HomeCountries.TryGetValue(language, out var home) ? (home, "language: " + language)
            : (null, "");
        return code is null ? named : named with { Countries = [CountryDetector.Mention(gazetteer, code, 0, [why]) with { FromSource = true }] };
    }

    /// <summary>
    /// The places of an article as the scorer finds them, for the tools that show or group articles outside it (`alerts
    /// score`, `alerts stories`, the console's article test, the measuring tools): the feed's <paramref name="declaredLanguage"/>
    /// checked against the text (<see cref="LanguageDetector.Confident"/>).
    /// </summary>
    public static ArticlePlaces ForArticle(string? title, string? content, string? url, string? declaredLanguage) =>
        Detect(title, content, url: url, language: LanguageDetector.Confident(declaredLanguage, title, content));

    private static ArticlePlaces Named(string? title, string? content, PlaceGazetteer places, Gazetteer gazetteer)
    {
        var countries = CountryDetector.Detect(title, content, gazetteer);
        var found = new Dictionary<GeoName, Found>();
        title ??= "";
        content ??= "";
        var tokens = new List<CountryDetector.Token>();
        Scan(places, gazetteer, title.Length <= ArticleMessageText.MaxTitleCharacters ? title : title[..ArticleMessageText.MaxTitleCharacters], true, tokens, found);
        foreach (var (start, length) in TextChunks.Split(content, KeywordScorer.ChunkCharacters))
        {
            Scan(places, gazetteer, length == content.Length ? content : content.Substring(start, length), false, tokens, found);
        }

        if (found.Count == 0)
        {
            return new ArticlePlaces(countries, []);
        }

        // Countries the article names (by name or adjective): a city the country detector knows ("Hyderabad") is one of
        // the places weighed here, not a country named.
        var named = countries.Where(c => c.ByName).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var main = countries.Count > 0 && countries[0].ByName ? countries[0].Code : null;
        var nameCountries = found.Keys.Select(n => n.Places.Select(p => p.Country).ToHashSet(StringComparer.Ordinal)).ToList();
        var mentions = new List<PlaceMention>();
        var counted = new HashSet<PlaceMention>(ReferenceEqualityComparer.Instance);
        // A division supports a city in it when another name of the article names it; a city whose own name is its
        // division's (Sylhet) is only preferred to that division: Tripoli, Libya's city, is not supported by Tripoli,
        // Libya's district, when the article says "Lebanese" and "the northern city of Tripoli".
        var divisionNames = found.Keys.SelectMany(n => n.Places.Where(p => p.Kind == GeoKind.Division).Select(p => (p.Country, p.Name)).Distinct())
            .CountBy(d => d).ToDictionary(kv => kv.Key, kv => kv.Value);
        var bests = found.ToDictionary(kv => kv.Key, kv => kv.Key.Places.MaxBy(p => Rank(p, named, main, DivisionSupport(kv.Key, p), nameCountries) + (kv.Value.Apposed.Contains(p.Country) ? AppositionRank : 0))!);
        double DivisionSupport(GeoName name, GeoPlace city)
        {
            var own = name.Places.Any(p => p.Kind == GeoKind.Division && p.Country == city.Country && p.Name == city.Division) ? 1 : 0;
            return divisionNames.GetValueOrDefault((city.Country, city.Division)) > own ? NamedDivisionRank : own * OwnDivisionRank;
        }
        // Three or more towns of one country support one another ("between Siena, Grosseto and Parma"): a list of places.
        var listed = bests.Values.GroupBy(p => p.Country).Where(g => g.Count() >= ListedTowns).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, f) in found)
        {
            var best = bests[name];
            // A division is read alone when it has towns in the data (not one of Slovenia's 200 small municipalities).
            var supported = name.Tokens.Length > 1 || (best.Kind == GeoKind.Division && best.Population > 0) || f.Cue || named.Contains(best.Country)
                || divisionNames.ContainsKey((best.Country, best.Division)) || best.Population >= LargeTown || listed.Contains(best.Country);
            if (!supported || (f.OnlySentenceStart && !f.Cue && !named.Contains(best.Country) && best.Population < MillionCity))
            {
                continue;
            }

            // Named after a locative word, or with its country in apposition, a place is where things happen: double; both,
            // four times ("en Santa Cruz ... Santa Cruz, en Bolivia").
            var weight = f.Weight * (best.Kind == GeoKind.Division ? DivisionWeight : CityWeight) * (f.Cue ? CueFactor : 1)
                * (f.Apposed.Contains(best.Country) ? CueFactor : 1);
            mentions.Add(new PlaceMention(best.Name, best.Division, best.Country, best.Kind, best.Latitude, best.Longitude, best.Population, weight, f.Written));
            // Counted once: a city the country detector knows has already counted for its country, when it found it.
            if (places.CountedCities.Contains(best.Country + ":" + string.Join(' ', name.Tokens)) && countries.Any(c => c.Code == best.Country))
            {
                counted.Add(mentions[^1]);
            }
        }

        // Places count for their country: a town the article is about outweighs a country it mentions in passing. A country
        // found only by a city that is placed in another country here ("Tripoli" with "Lebanese") is not mentioned at all.
        var scores = countries
            .Where(c => c.ByName || !c.Mentions.All(w => mentions.Any(m => m.Country != c.Code && m.Mentions.Contains(w, StringComparer.OrdinalIgnoreCase))))
            .ToDictionary(c => c.Code, c => c, StringComparer.Ordinal);
        foreach (var group in mentions.Where(m => !counted.Contains(m)).GroupBy(m => m.Country, StringComparer.Ordinal))
        {
            var added = group.Sum(m => m.Score);
            scores[group.Key] = scores.TryGetValue(group.Key, out var c)
                ? c with { Score = c.Score + added, Mentions = [.. c.Mentions, .. group.SelectMany(m => m.Mentions)] }
                : CountryDetector.Mention(gazetteer, group.Key, added, group.SelectMany(m => m.Mentions));
        }

        var order = countries.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        var merged = scores.Values.OrderByDescending(c => c.Score).ThenBy(c => order.GetValueOrDefault(c.Code, int.MaxValue)).ToList();
        var top = merged.Count > 0 ? merged[0].Code : null;
        // The main country's places first; a city before the division it lies in when both are named ("Valencia" and "Carabobo").
        var namedDivisions = mentions.Where(m => m.Kind == GeoKind.Division).Select(m => (m.Country, m.Name)).ToHashSet();
        var sorted = mentions
            .OrderByDescending(m => m.Country == top)
            .ThenByDescending(m => m.Kind == GeoKind.City && namedDivisions.Contains((m.Country, m.Division)))
            .ThenByDescending(m => m.Score)
            .ThenByDescending(m => m.Kind == GeoKind.City)
            .ThenByDescending(m => m.Population)
            .ToList();
        return new ArticlePlaces(merged, sorted);
    }

    private static double Rank(GeoPlace place, HashSet<string> named, string? main, double divisionSupport, List<HashSet<string>> nameCountries)
    {
        var rank = Math.Log10(place.Population + 10);
        if (named.Contains(place.Country))
        {
            rank += place.Country == main ? 6 : 4;
        }

        if (place.Kind == GeoKind.City)
        {
            rank += divisionSupport;
        }

        // Other names of the article that can be in the same country (Juliaca and Puno; Aleppo and Idlib).
        rank += nameCountries.Count(c => c.Contains(place.Country)) > 1 ? 2 : 0;
        return rank;
    }

    private sealed class Found
    {
        public double Weight { get; set; }

        public bool Cue { get; set; }

        public bool OnlySentenceStart { get; set; } = true;

        /// <summary>Countries named in apposition to the place: "Santa Cruz, en Bolivia".</summary>
        public HashSet<string> Apposed { get; } = new(StringComparer.Ordinal);

        public List<string> Written { get; } = [];
    }

    private static void Scan(PlaceGazetteer places, Gazetteer gazetteer, string text, bool title, List<CountryDetector.Token> tokens, Dictionary<GeoName, Found> found)
    {
        tokens.Clear();
        CountryDetector.Tokenize(text, tokens);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].Capital || !places.ByFirstToken.TryGetValue(tokens[i].Norm, out var names))
            {
                continue;
            }

            foreach (var name in names)
            {
                var len = name.Tokens.Length;
                if (!CountryDetector.Matches(tokens, i, name.Tokens) || PartOfLongerName(text, tokens, i, len)
                    || CountryDetector.ContinuedByParticle(text, tokens, i, i + len))
                {
                    continue;
                }

                if (!found.TryGetValue(name, out var f))
                {
                    found[name] = f = new Found();
                }

                f.Weight += title ? TitleFactor : 1;
                f.Cue |= i > 0 && tokens[i - 1].Sentence == tokens[i].Sentence
                    && (Locatives.Contains(tokens[i - 1].Norm) || PlaceNouns.Contains(tokens[i - 1].Norm)
                        || (i > 1 && tokens[i - 1].Norm is "of" or "de" or "di" or "do" or "da" && PlaceNouns.Contains(tokens[i - 2].Norm)));
                f.OnlySentenceStart &= tokens[i].SentenceStart && !title;
                Apposed(gazetteer, text, tokens, i + len, name, f.Apposed);
                if (f.Written.Count < MaxMentions)
                {
                    f.Written.Add(text[tokens[i].Start..tokens[i + len - 1].End]);
                }

                i += len - 1;
                break;
            }
        }
    }

    /// <summary>Words after a place and a comma that may come before the country it is in ("in the south of", "en la provincia argentina de").</summary>
    private const int AppositionWords = 6;

    /// <summary>
    /// A country named right after a place and a comma, in the same sentence, that has a place of that name: "Santa Cruz,
    /// en Bolivia", "Machala, en el sur de Ecuador", "Posadas, en la provincia argentina de Misiones". It says where the
    /// place is.
    /// </summary>
    private static void Apposed(Gazetteer gazetteer, string text, List<CountryDetector.Token> tokens, int end, GeoName name, HashSet<string> apposed)
    {
        if (end >= tokens.Count || end == 0 || tokens[end].Sentence != tokens[end - 1].Sentence || !text.AsSpan(tokens[end - 1].End, tokens[end].Start - tokens[end - 1].End).Contains(','))
        {
            return;
        }

        for (var k = end; k < Math.Min(tokens.Count, end + AppositionWords) && tokens[k].Sentence == tokens[end].Sentence; k++)
        {
            if (!gazetteer.ByFirstToken.TryGetValue(tokens[k].Norm, out var entries))
            {
                continue;
            }

            foreach (var entry in entries)
            {
                // Written as the country detector reads it: "us" is not the US, "Chad" needs its capital.
                if (entry.Kind != PlaceKind.City && CountryDetector.Matches(tokens, k, entry) && name.Places.Any(p => p.Country == entry.Code))
                {
                    apposed.Add(entry.Code);
                    return;
                }
            }
        }
    }

    /// <summary>
    /// "Florence Pugh", "Paris Hilton", "Pedro do Rosário", "Manchester United": a capitalized neighbour that is not a place
    /// word, with nothing but a space between them.
    /// </summary>
    private static bool PartOfLongerName(string text, List<CountryDetector.Token> tokens, int i, int len)
    {
        var t = tokens[i];
        if (i > 0 && tokens[i - 1].Sentence == t.Sentence)
        {
            var before = tokens[i - 1];
            // "Siena, Grosseto, Varese": names a comma parts are a list of places, not one name.
            if (before.Capital && !before.SentenceStart && !before.Upper && !Locatives.Contains(before.Norm) && !PlaceNouns.Contains(before.Norm)
                && !Institutions.Contains(before.Norm) && CountryDetector.Adjacent(text, before, t))
            {
                return true;
            }

            if (Particles.Contains(before.Norm) && !before.Capital && i > 1 && tokens[i - 2].Sentence == t.Sentence && tokens[i - 2].Capital
                && !tokens[i - 2].Upper && !PlaceNouns.Contains(tokens[i - 2].Norm) && !Institutions.Contains(tokens[i - 2].Norm))
            {
                return true;
            }
        }

        var end = i + len;
        return end < tokens.Count && tokens[end].Sentence == t.Sentence && tokens[end].Capital && !tokens[end].Upper
            && !CountryDetector.PlaceFollowers.Contains(tokens[end].Norm) && !PlaceNouns.Contains(tokens[end].Norm) && !GeoFollowers.Contains(tokens[end].Norm)
            && CountryDetector.Adjacent(text, tokens[end - 1], tokens[end]); // "Goma, North Kivu" is two places
    }
}
