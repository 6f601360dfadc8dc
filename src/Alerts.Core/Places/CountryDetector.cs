using Alerts.Core.Scoring;

namespace Alerts.Core.Places;

/// <summary>A country found in an article: its score and the words that named it.</summary>
public sealed record CountryMention(string Code, string Name, string Region, string SubRegion, double Score, IReadOnlyList<string> Mentions)
{
    /// <summary>
    /// Not named by the article: its source's country (<see cref="SourceCountry"/>) or its language's
    /// (<see cref="Gazetteer.HomeCountries"/>), for an article that names none.
    /// </summary>
    public bool FromSource { get; init; }

    /// <summary>Named by its name or an adjective, not only by a city ("Hyderabad" alone does not name India: Pakistan has one too).</summary>
    public bool ByName { get; init; }

    /// <summary>Named by an adjective only, in an article that names no country otherwise ("the Egyptian club").</summary>
    public bool Lone { get; init; }
}

/// <summary>
/// Finds the countries an article is about, main country first. Place names weigh 3, capitals and cities 2,
/// demonyms and adjectives 1, and a mention in the title counts double; a lone adjective counts only when the article
/// names no other country. The longest name wins at each position
/// ("Papua New Guinea" over "Guinea", "South Sudan" over "Sudan"). Ambiguous names (Georgia the US state, Jordan or
/// Chad the person, turkey the bird, the river Niger, the Gulf of Guinea) are resolved from case and context.
/// </summary>
public static class CountryDetector
{
    private const double NameWeight = 3;
    private const double CityWeight = 2;
    private const double DemonymWeight = 1;
    private const double TitleFactor = 2;

    /// <summary>A country is reported when its mentions add up to at least this (one name or one city; not a lone demonym).</summary>
    private const double MinimumScore = 2;

    /// <summary>Phrases that contain a country name but do not mean the country.</summary>
    private static readonly string[][] NotPlaces = Split(
        "gulf of guinea", "guinea pig", "guinea pigs", "guinea worm", "guinea fowl", "new guinea", "niger river", "river niger",
        "jordan river", "river jordan", "new jersey", "latin america", "latin american", "latin americans", "south america",
        "south american", "north america", "north american", "central america", "central american", "indian ocean",
        "west indies", "native american", "native americans", "american samoa", "american samoan", "amerique latine",
        "amerique du sud", "amerique du nord", "amerique centrale", "ocean indien", "america latina", "latinoamerica",
        "sudamerica", "norteamerica", "centroamerica", "oceano indico", "air jordan", "turkey shoot", "cold turkey",
        "french fries", "french press", "swiss cheese", "turkish delight", "english channel", "chinese new year", "new south wales",
        "new mexico", "new england");

    /// <summary>Single words that name a country but also people, birds or US states: they need corroboration.</summary>
    private static readonly HashSet<string> Ambiguous = new(StringComparer.Ordinal)
    {
        "georgia", "jordan", "chad", "turkey", "america", "washington", "congo", "mali", "victoria", "lima",
        "kingston", "georgetown", "hamilton", "santiago", "valencia", "cordoba", "granada", "salvador", "indian", "indians",
    };

    /// <summary>Words that, in the same sentence, show an ambiguous name means something else.</summary>
    private static readonly Dictionary<string, string[]> Contra = new(StringComparer.Ordinal)
    {
        ["georgia"] = ["atlanta", "savannah", "augusta", "peach", "county", "governor", "senate", "bulldogs", "tech", "alabama", "florida", "carolina", "tennessee", "republican", "democrat", "democrats", "republicans"],
        ["turkey"] = ["thanksgiving", "roast", "recipe", "dinner", "stuffing", "pardon", "pardoned", "gravy", "feast", "poultry"],
        ["jordan"] = ["nba", "basketball", "bulls", "sneakers", "michael"],
        ["chad"] = ["nfl", "quarterback"],
        ["washington"] = ["state", "seattle", "spokane", "denzel", "george"],
    };

    /// <summary>Capitalized words after a name that still show a place ("Jordan Valley", "Chad Basin", "Georgia's government").</summary>
    internal static readonly HashSet<string> PlaceFollowers = new(StringComparer.Ordinal)
    {
        "valley", "river", "basin", "republic", "government", "army", "king", "queen", "president", "prime", "minister",
        "ministry", "state", "border", "lake", "city", "province", "region", "capital", "forces", "police", "parliament",
    };

    /// <summary>Mentions kept per country (five distinct ones are shown).</summary>
    private const int MaxMentions = 50;

    /// <summary>Detects the countries of an article, main first.</summary>
    public static IReadOnlyList<CountryMention> Detect(string? title, string? content, Gazetteer? gazetteer = null)
    {
        gazetteer ??= Gazetteer.Default;
        var scores = new Dictionary<string, (double Score, int First, List<string> Mentions, bool Firm, bool PlainCongo, bool ByName)>(StringComparer.Ordinal);
        var position = 0;
        var ambiguousNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new HashSet<string>(StringComparer.Ordinal);
        title ??= "";
        content ??= "";
        Scan(gazetteer, title.Length <= Scoring.ArticleMessageText.MaxTitleCharacters ? title : title[..Scoring.ArticleMessageText.MaxTitleCharacters], titleField: true, scores, ambiguousNames, words, ref position);
        foreach (var (start, length) in Scoring.TextChunks.Split(content, Scoring.KeywordScorer.ChunkCharacters))
        {
            // A piece at a time: the tokens of one piece in memory, not those of a whole (possibly huge) text.
            Scan(gazetteer, length == content.Length ? content : content.Substring(start, length), titleField: false, scores, ambiguousNames, words, ref position);
        }

        // A country named only ambiguously ("Georgia") is dropped when the article elsewhere shows the other meaning
        // (Atlanta, a governor, Thanksgiving), unless something unambiguous (Tbilisi, "Georgian") confirmed it.
        foreach (var (code, name) in ambiguousNames)
        {
            if (scores.TryGetValue(code, out var s) && !s.Firm && Contra.TryGetValue(name, out var contra) && contra.Any(words.Contains))
            {
                scores.Remove(code);
            }
        }

        // Plain "Congo" means the Republic of the Congo when only its cities are named, else the DRC.
        if (scores.TryGetValue("CD", out var cd) && !cd.Firm && cd.PlainCongo && scores.TryGetValue("CG", out var cg) && cg.Firm)
        {
            scores["CG"] = (cg.Score + cd.Score, Math.Min(cg.First, cd.First), [.. cg.Mentions, .. cd.Mentions], true, false, cg.ByName || cd.ByName);
            scores.Remove("CD");
        }

        // A territory named with the state it belongs to, and at least half as often ("France deploys troops to quell New
        // Caledonia unrest"): the report is about the territory, which takes the state's weight and comes first.
        foreach (var (territory, state) in Gazetteer.Sovereigns)
        {
            if (scores.TryGetValue(territory, out var t) && t.Firm && scores.TryGetValue(state, out var s) && t.Score * 2 >= s.Score)
            {
                scores[territory] = t with { Score = t.Score + s.Score, First = Math.Min(t.First, s.First) };
            }
        }

        var found = scores
            .Where(kv => kv.Value.Score >= MinimumScore && (kv.Value.Firm || kv.Value.Score >= NameWeight))
            .OrderByDescending(kv => kv.Value.Score)
            .ThenBy(kv => kv.Value.First)
            .Select(kv => Mention(gazetteer, kv.Key, kv.Value.Score, kv.Value.Mentions) with { ByName = kv.Value.ByName })
            .ToList();
        if (found.Count > 0)
        {
            return found;
        }

        // Nothing reaches the threshold: an adjective ("the Egyptian club", "the affected Turkish regions"), when the article
        // names no other country, places it; of two as often, the first ("the Egyptian club ... its Swiss coach").
        return scores.Where(kv => kv.Value.Firm).OrderByDescending(kv => kv.Value.Score).ThenBy(kv => kv.Value.First)
            .Select(kv => Mention(gazetteer, kv.Key, kv.Value.Score, kv.Value.Mentions) with { ByName = true, Lone = true }).Take(1).ToList();
    }

    /// <summary>A country with its score and the first distinct words that named it (a code the gazetteer lacks is its own name).</summary>
    internal static CountryMention Mention(Gazetteer gazetteer, string code, double score, IEnumerable<string> mentions)
    {
        var country = gazetteer.Countries.TryGetValue(code, out var c) ? c : new Country(code, code, "", "");
        return new CountryMention(country.Code, country.Name, country.Region, country.SubRegion, score, mentions.Distinct().Take(5).ToArray());
    }

    internal readonly record struct Token(string Norm, int Start, int End, bool Capital, bool Upper, int Sentence, bool SentenceStart);

    private static void Scan(
        Gazetteer gazetteer,
        string text,
        bool titleField,
        Dictionary<string, (double Score, int First, List<string> Mentions, bool Firm, bool PlainCongo, bool ByName)> scores,
        Dictionary<string, string> ambiguousNames,
        HashSet<string> words,
        ref int position)
    {
        var tokens = t_tokens ??= [];
        tokens.Clear();
        Tokenize(text, tokens); // one list per thread, reused piece after piece
        HashSet<(int Sentence, string Word)>? contraWords = null; // built on first need, once per text
        foreach (var token in tokens)
        {
            words.Add(token.Norm);
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var skip = NotPlaceLength(tokens, i);
            if (skip > 0)
            {
                i += skip - 1;
                continue;
            }

            if (!gazetteer.ByFirstToken.TryGetValue(tokens[i].Norm, out var candidates))
            {
                continue;
            }

            foreach (var entry in candidates)
            {
                if (!Matches(tokens, i, entry))
                {
                    continue;
                }

                var len = entry.Tokens.Length;
                if (OrganisationName(text, tokens, i, len))
                {
                    i += len - 1;
                    break; // "Air France", "Real Madrid", "the British Red Cross", "l'Agence française de développement"
                }

                if (entry.Kind == PlaceKind.City && ContinuedByParticle(text, tokens, i, i + len))
                {
                    i += len - 1;
                    break; // "Praia a Mare", "Santiago de Compostela": another town's name
                }

                var ambiguous = len == 1 && Ambiguous.Contains(entry.Tokens[0]);
                if (ambiguous && (LooksLikePerson(tokens, i) || HasContra(tokens, i, entry.Tokens[0], ref contraWords)))
                {
                    i += len - 1;
                    break;
                }

                // A headline's adjective is most often its subject ("Ukrainian president declares martial law"): it weighs
                // as a city there.
                var weight = entry.Kind switch
                {
                    PlaceKind.Name => NameWeight,
                    PlaceKind.City => CityWeight,
                    _ => titleField ? CityWeight : DemonymWeight,
                } * (titleField ? TitleFactor : 1);
                if (ambiguous)
                {
                    weight /= 2; // counts, but needs company to lead
                    ambiguousNames[entry.Code] = entry.Tokens[0];
                }

                var plainCongo = entry.Code == "CD" && entry.Tokens is ["congo"];
                var written = text[tokens[i].Start..tokens[i + len - 1].End];
                if (scores.TryGetValue(entry.Code, out var s))
                {
                    if (s.Mentions.Count < MaxMentions)
                    {
                        s.Mentions.Add(written);
                    }

                    scores[entry.Code] = (s.Score + weight, s.First, s.Mentions, s.Firm || (!ambiguous && !plainCongo), s.PlainCongo || plainCongo, s.ByName || entry.Kind != PlaceKind.City);
                }
                else
                {
                    scores[entry.Code] = (weight, position + i, [written], !ambiguous && !plainCongo, plainCongo, entry.Kind != PlaceKind.City);
                }

                i += len - 1;
                break;
            }
        }

        position += tokens.Count;
    }

    internal static bool Matches(List<Token> tokens, int i, PlaceEntry entry)
    {
        if (i + entry.Tokens.Length > tokens.Count)
        {
            return false;
        }

        for (var k = 0; k < entry.Tokens.Length; k++)
        {
            var t = tokens[i + k];
            if (t.Norm != entry.Tokens[k] || (k > 0 && t.Sentence != tokens[i].Sentence) || (entry.Acronym && !t.Upper))
            {
                return false;
            }
        }

        return !entry.Capitalized || tokens[i].Capital;
    }

    // Capitalized words that, right before a country, a city or an adjective, make it an organisation's name: airlines
    // ("Air France", "Royal Air Maroc"), clubs ("Real Madrid"), broadcasters, banks and agencies.
    private static readonly HashSet<string> OrganisationHeads = new(StringComparer.Ordinal)
    {
        "air", "airways", "airlines", "real", "atletico", "sporting", "olympique", "radio", "tele", "banque", "bank", "banco", "agence", "agencia",
    };

    // Words after an adjective that make it an organisation's name: "the British Red Cross", "la Croix-Rouge française" is
    // read from the other side ("croix rouge" before the adjective).
    private static readonly string[][] OrganisationTails = [["red", "cross"], ["red", "crescent"], ["croix", "rouge"], ["cruz", "roja"], ["media", "luna"], ["croissant", "rouge"]];

    /// <summary>A name inside an organisation's: "Air France", "Real Madrid", "British Red Cross", "Croix-Rouge française".</summary>
    private static bool OrganisationName(string text, List<Token> tokens, int i, int len)
    {
        var t = tokens[i];
        if (i > 0 && tokens[i - 1].Sentence == t.Sentence && tokens[i - 1].Capital && OrganisationHeads.Contains(tokens[i - 1].Norm)
            && Adjacent(text, tokens[i - 1], t))
        {
            return true;
        }

        // The tail right after the name or right before it, in the same sentence, with only spaces or a hyphen between.
        foreach (var tail in OrganisationTails)
        {
            var after = i + len;
            if (after < tokens.Count && Matches(tokens, after, tail) && tokens[after].Sentence == t.Sentence && Joined(text, tokens[after - 1].End, tokens[after].Start))
            {
                return true;
            }

            var before = i - tail.Length;
            if (before >= 0 && Matches(tokens, before, tail) && tokens[before].Sentence == t.Sentence && Joined(text, tokens[i - 1].End, t.Start))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The words <paramref name="words"/> (normalized) from token <paramref name="i"/> on, within one sentence.</summary>
    internal static bool Matches(List<Token> tokens, int i, string[] words)
    {
        if (i + words.Length > tokens.Count)
        {
            return false;
        }

        for (var k = 0; k < words.Length; k++)
        {
            if (tokens[i + k].Norm != words[k] || tokens[i + k].Sentence != tokens[i].Sentence)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Only spaces between two words ("Paris  Hilton"), no comma or other mark ("Siena,Grosseto").</summary>
    internal static bool Adjacent(string text, Token first, Token second) => text.AsSpan(first.End, second.Start - first.End).IsWhiteSpace();

    // Only spaces or one hyphen between two words ("British Red Cross", "Croix-Rouge française").
    private static bool Joined(string text, int from, int to) => to >= from && text.AsSpan(from, to - from).Trim() is { Length: 0 } or "-";

    // Lower-case words that join a town's name to the rest of it: "Praia a Mare", "Santiago de Compostela", "Frankfurt am Main".
    private static readonly HashSet<string> NameParticles = new(StringComparer.Ordinal) { "a", "al", "am", "de", "del", "des", "di", "do", "da", "dos", "das", "du", "sur", "upon" };

    // Names of towns and divisions that go on after a particle (GeoNames/continued-names.tsv, eng/places/generate.mjs).
    private static readonly Lazy<HashSet<string>> ContinuedNames = new(() =>
        DataRows.Read("Alerts.Core.GeoNames.continued-names.tsv").Select(r => string.Join(' ', TextNormalizer.Tokens(r.Fields[0]))).ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// The name at <paramref name="start"/>..<paramref name="end"/> goes on, after a lower-case particle, into the name of
    /// another town or division the data knows ("Praia a Mare", "Santiago de Compostela", "Rio Grande do Sul"), with
    /// only spaces between: it is that other place, not this one. "Berlin am Montag" and "da Roma a Bari" are not names.
    /// </summary>
    internal static bool ContinuedByParticle(string text, List<Token> tokens, int start, int end)
    {
        if (end + 1 >= tokens.Count || end == 0 || !NameParticles.Contains(tokens[end].Norm))
        {
            return false;
        }

        var (particle, next) = (tokens[end], tokens[end + 1]);
        if (particle.Sentence != tokens[end - 1].Sentence || next.Sentence != particle.Sentence || particle.Capital || !next.Capital
            || !Adjacent(text, tokens[end - 1], particle) || !Adjacent(text, particle, next))
        {
            return false;
        }

        var key = new System.Text.StringBuilder();
        for (var k = start; k <= end + 1; k++)
        {
            key.Append(k > start ? " " : "").Append(tokens[k].Norm);
        }

        return ContinuedNames.Value.Contains(key.ToString());
    }

    /// <summary>"Michael Jordan", "Chad Smith", "Washington Post": a capitalized neighbour that is not a place word.</summary>
    private static bool LooksLikePerson(List<Token> tokens, int i)
    {
        var t = tokens[i];
        if (i > 0 && tokens[i - 1].Sentence == t.Sentence && tokens[i - 1].Capital && !tokens[i - 1].SentenceStart && !tokens[i - 1].Upper)
        {
            return true;
        }

        return i + 1 < tokens.Count && tokens[i + 1].Sentence == t.Sentence && tokens[i + 1].Capital && !tokens[i + 1].Upper
            && !PlaceFollowers.Contains(tokens[i + 1].Norm) && tokens[i + 1].Norm != "s";
    }

    /// <summary>A word that argues against the place in the same sentence ("Chad" near "Smith"); each sentence's such words are indexed once.</summary>
    private static bool HasContra(List<Token> tokens, int i, string name, ref HashSet<(int Sentence, string Word)>? contraWords)
    {
        if (!Contra.TryGetValue(name, out var words))
        {
            return false;
        }

        if (contraWords is null)
        {
            contraWords = [];
            foreach (var t in tokens)
            {
                if (AllContraWords.Contains(t.Norm))
                {
                    contraWords.Add((t.Sentence, t.Norm));
                }
            }
        }

        var sentence = tokens[i].Sentence;
        foreach (var word in words)
        {
            if (contraWords.Contains((sentence, word)))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> AllContraWords = new(Contra.Values.SelectMany(w => w), StringComparer.Ordinal);

    private static readonly Dictionary<string, string[][]> NotPlacesByFirstWord =
        NotPlaces.GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Length).ToArray(), StringComparer.Ordinal);

    private static int NotPlaceLength(List<Token> tokens, int i)
    {
        if (!NotPlacesByFirstWord.TryGetValue(tokens[i].Norm, out var phrases))
        {
            return 0;
        }

        foreach (var phrase in phrases)
        {
            if (i + phrase.Length > tokens.Count)
            {
                continue;
            }

            var k = 1;
            while (k < phrase.Length && tokens[i + k].Norm == phrase[k])
            {
                k++;
            }

            if (k == phrase.Length)
            {
                return phrase.Length;
            }
        }

        return 0;
    }

    [ThreadStatic]
    private static List<Token>? t_tokens;

    internal static void Tokenize(string text, List<Token> tokens)
    {
        var sentence = 0;
        var sentenceStart = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (TextNormalizer.Map(c) == '\0' && TextNormalizer.Expansion(c) is null)
            {
                if (c is '.' or '!' or '?' or '\n' or '…' or ':')
                {
                    // "U.S." is no sentence end: a single capital letter before the dot.
                    var abbreviation = c == '.' && i >= 1 && char.IsUpper(text[i - 1]) && (i < 2 || !char.IsLetter(text[i - 2]));
                    if (!abbreviation)
                    {
                        sentence++;
                        sentenceStart = true;
                    }
                }

                i++;
                continue;
            }

            var start = i;
            var upper = true;
            while (i < text.Length && (TextNormalizer.Map(text[i]) != '\0' || TextNormalizer.Expansion(text[i]) is not null))
            {
                upper &= !char.IsLetter(text[i]) || char.IsUpper(text[i]);
                i++;
            }

            var norm = string.Concat(TextNormalizer.Tokens(text[start..i]));
            tokens.Add(new Token(norm, start, i, char.IsUpper(text[start]), upper && char.IsLetter(text[start]), sentence, sentenceStart));
            sentenceStart = false;
        }
    }

    private static string[][] Split(params string[] phrases) => phrases.Select(p => p.Split(' ')).ToArray();
}
