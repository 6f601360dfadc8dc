using System.Text.Json;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Xunit.Abstractions;

namespace Alerts.Core.Tests.Places;

public class PlaceDetectorTests(ITestOutputHelper output)
{
    private sealed record Case(string Id, string Kind, string Lang, string Title, string Lead, string Country, string Place, string Admin1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static List<Case> Cases() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Places", "places.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<Case>(l, Json)!)];

    // "Rakhine State" and "Rakhine", "Kherson Oblast" and "Kherson": one place.
    private static string Key(string name) =>
        string.Join(' ', TextNormalizer.Tokens(name).Where(t => t is not ("state" or "region" or "province" or "oblast" or "governorate" or "department" or "county" or "district")));

    [Fact]
    public void LabelledCases_MainCountryAndPlace()
    {
        var cases = Cases();
        var country = 0;
        var place = 0;
        foreach (var c in cases)
        {
            var found = PlaceDetector.Detect(c.Title, c.Lead);
            var gotCountry = found.Countries.Count > 0 ? found.Countries[0].Code : "";
            var main = found.MainPlace;
            var placeRight = c.Place.Length == 0
                ? main is null
                : main is not null && PlaceGazetteer.Default.KeysFor(c.Place).Select(Key).ToHashSet() is var keys
                    && (keys.Contains(Key(main.Name)) || (main.Kind == GeoKind.City && keys.Contains(Key(main.Division))));
            country += gotCountry == c.Country ? 1 : 0;
            place += placeRight ? 1 : 0;
            if (gotCountry != c.Country || !placeRight)
            {
                output.WriteLine($"{c.Id} {c.Kind,-12} want {c.Country} {c.Place} got {gotCountry} {main?.Label} [{string.Join(", ", found.Places.Select(p => p.Label + " " + p.Country))}] {c.Title}");
            }
        }

        output.WriteLine($"{cases.Count} cases: main country {(double)country / cases.Count:0.000}, place {(double)place / cases.Count:0.000}");
        Assert.Equal(240, cases.Count);
        // Measured 0.958 and 0.929 (0.950 before a city of two countries went to the named one and a division of a
        // city's own name stopped outweighing a named country; 0.846 and 0.813 before the divisions' and cities' names in other languages, a city
        // the country detector knows no longer counting as its country named, organisations' names and a country in
        // apposition; the country detector alone: 0.779). What misses: ambiguous towns whose other places do not
        // outweigh a larger namesake, towns not in the data, and countries named beside the place.
        Assert.True((double)country / cases.Count >= 0.95, $"main country {(double)country / cases.Count:0.000}");
        Assert.True((double)place / cases.Count >= 0.92, $"place {(double)place / cases.Count:0.000}");
    }

    [Fact]
    public void CountryCases_ThePlaceLayerKeepsEveryMainCountryTheCountryDetectorGetsRight()
    {
        var cases = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Places", "cases.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .ToList();
        var lost = new List<string>();
        var right = 0;
        foreach (var f in cases)
        {
            var countryOnly = CountryDetector.Detect(f[1], f[2]).Select(c => c.Code).FirstOrDefault() ?? "-";
            var withPlaces = PlaceDetector.Detect(f[1], f[2]).Countries.Select(c => c.Code).FirstOrDefault() ?? "-";
            right += withPlaces == f[0] ? 1 : 0;
            // Cases labelled "-" guard against a wrong country ("Georgia governor ... Atlanta" is not Georgia the country);
            // with places, the US state Georgia makes them US stories, which they are.
            if (countryOnly == f[0] && withPlaces != f[0] && (f[0] != "-" || withPlaces == "GE"))
            {
                lost.Add($"{f[1]}: expected {f[0]}, got {withPlaces}");
            }
        }

        output.WriteLine($"{cases.Count} country cases, {right} right with the place layer");
        Assert.True(cases.Count >= 150);
        Assert.Empty(lost);
    }

    [Fact]
    public void Detect_PersonNamesAndOrdinaryWords_AreNoPlaces()
    {
        Assert.Empty(PlaceDetector.Detect("", "The actress Florence Pugh spoke to reporters.").Places);
        Assert.Empty(PlaceDetector.Detect("", "Police said the union would split.").Places);
        Assert.Empty(PlaceDetector.Detect("", "A statement by Pedro do Rosário was read out.").Places);
        // A town whose name goes on after a particle is another town: Praia a Mare is in Calabria, not Cape Verde.
        Assert.DoesNotContain(PlaceDetector.Detect("", "Il sindaco di Praia a Mare ha firmato l'ordinanza.").Countries, c => c.Code == "CV");
        Assert.Equal("CV", PlaceDetector.Detect("", "The government in Praia said so.").Countries[0].Code);
        Assert.Equal("IT", PlaceDetector.Detect("", "I treni da Roma a Bari sono fermi.").Countries[0].Code);
        Assert.Equal("Goma, North Kivu", PlaceDetector.Detect("Curfew in Goma", "Shelling hit the outskirts overnight.").MainPlace?.Label);
        Assert.Equal("CD", PlaceDetector.Detect("Curfew in Goma", "Shelling hit the outskirts overnight.").Countries[0].Code);
    }

    [Fact]
    public void PlaceGazetteer_KnowsTownsAndDivisionsByName()
    {
        var places = PlaceGazetteer.Default;

        Assert.True(places.Knows("Goma"));
        Assert.True(places.Knows("north kivu"));
        Assert.True(places.Knows("Rakhine State"));
        Assert.False(places.Knows("Gotham City"));
        Assert.False(places.Knows("Police")); // a town in Poland, and an ordinary word: left out
        Assert.Equal("rakhine", PlaceGazetteer.Key("Rakhine State"));
    }

    [Theory]
    [InlineData("Sgominato traffico di droga", "Arresti tra Siena e la costa.", "IT")] // an Italian locative
    [InlineData("Incendio nella notte", "Le fiamme sono divampate nella città di Siena.", "IT")] // a place noun and its particle
    [InlineData("Unwetter", "Schwere Schäden bei Passau und in Regensburg.", "DE")] // German locatives
    [InlineData("Chuvas fortes", "Alagamentos em Petrópolis deixam desabrigados.", "BR")] // a Portuguese one
    public void Towns_AfterALocativeInTheOtherLatinScriptLanguages_PlaceTheArticle(string title, string content, string code) =>
        Assert.Equal(code, PlaceDetector.Detect(title, content).Countries is [var main, ..] ? main.Code : null);

    [Fact]
    public void ThreeTownsOfOneCountry_SupportOneAnother()
    {
        // No locative and no country named: a list of towns of one country places the article there; one alone does not.
        var listed = PlaceDetector.Detect("Operazione antidroga", "Perquisizioni: Siena, Grosseto, Varese e Treviso.");
        var alone = PlaceDetector.Detect("Operazione antidroga", "Perquisizioni: Grosseto.");

        Assert.Equal("IT", listed.Countries is [var main, ..] ? main.Code : null);
        Assert.True(listed.Places.Count >= 3);
        Assert.Empty(alone.Countries);
    }

    [Theory]
    [InlineData("Real Madrid supporters in Tangier collect aid", "A supporters' club in Tangier collects blankets after the floods.", "MA")]
    [InlineData("Air France cancels flights to Denpasar", "Air France and other carriers cancelled flights to Denpasar after the eruption.", "ID")]
    [InlineData("British Red Cross appeal as floods hit Blantyre", "The British Red Cross launched an appeal after floods destroyed homes in Blantyre.", "MW")]
    [InlineData("Saint-Louis : une digue contre l'érosion", "L'Agence française de développement finance une digue à Saint-Louis.", "SN")]
    public void Detect_AnOrganisationNamedAfterAPlace_DoesNotPlaceTheArticle(string title, string content, string code)
    {
        Assert.Equal(code, PlaceDetector.Detect(title, content).Countries[0].Code);
    }

    [Theory]
    [InlineData("Incendios en Santa Cruz: Brasil y Paraguay envían aviones", "Los incendios arrasan el departamento de Santa Cruz, en Bolivia. Brasil y Paraguay enviaron aviones.", "BO")]
    [InlineData("Sismo sacude Machala y se siente en Perú y Colombia", "El terremoto dañó viviendas de Machala, en el sur de Ecuador. Se sintió en Perú y en Colombia.", "EC")]
    public void Detect_ACountryInAppositionToAPlace_SaysWhereItIs(string title, string content, string code)
    {
        Assert.Equal(code, PlaceDetector.Detect(title, content).Countries[0].Code);
    }

    [Theory]
    [InlineData("Hamas says talks stalled", "Hamas officials said the talks had stalled.", "DE")] // once an alternate name of Hamm
    [InlineData("State Duma approves the bill", "The State Duma approved the bill on Tuesday.", "SY")] // Douma
    [InlineData("Prozess eröffnet", "Der Name des Täters wurde nicht genannt.", "BE")] // Namur
    [InlineData("Yunus said the vote would be held", "Yunus said the vote would be held in February.", "PS")] // Khan Yunis
    [InlineData("Anthony Albanese ha parlato", "Anthony Albanese ha parlato ai giornalisti.", "AL")] // an Italian adjective and a surname
    public void Detect_WordsAndNamesThatAreAlsoPlaceNames_AreNotThosePlaces(string title, string content, string notCode)
    {
        Assert.DoesNotContain(PlaceDetector.Detect(title, content).Countries, c => c.Code == notCode);
    }

    [Fact]
    public void Detect_ACityOfTwoCountries_IsTheNamedCountrysAndTheOtherIsNotMentioned()
    {
        // Tripoli is Libya's capital and the country detector's; "Lebanese" and "the northern city" say Lebanon's. Libya's
        // district of Tripoli, named by the same word, does not support Libya's city.
        var found = PlaceDetector.Detect("Lebanese soldiers patrol Tripoli after a night of clashes", "The Lebanese army sent troops to the northern city of Tripoli, where gunmen fought overnight.");

        Assert.Equal(["LB"], found.Countries.Select(c => c.Code));
        Assert.Equal(("Tripoli", "LB"), (found.MainPlace!.Name, found.MainPlace.Country));
    }

    [Fact]
    public void Detect_ACityOfItsOwnDivision_IsTheCityAndOutweighsNoNamedCountry()
    {
        var sylhet = PlaceDetector.Detect("Floods cut off Sylhet", "Rivers burst their banks around Sylhet overnight.").MainPlace!;
        var florida = PlaceDetector.Detect("Hurricane warning issued for the Florida coast", "Forecasters expect the storm to reach Florida on Friday.").MainPlace!;

        Assert.Equal(("Sylhet", GeoKind.City, "BD"), (sylhet.Name, sylhet.Kind, sylhet.Country));
        Assert.Equal("US", florida.Country); // not Florida, Uruguay, a city in a division of its own name
    }

    [Theory]
    [InlineData("Lima amanece sin transporte público", "Los choferes cumplen un paro contra las extorsiones en la capital.", "PE")] // a city the country detector does not count alone
    [InlineData("Paro de transportistas en Lima", "Los conductores paralizaron la ciudad tras el asesinato de un chofer en Independencia.", "PE")] // a strike, not Bhutan's Paro
    public void Detect_ACityAtTheHeadOfAHeadline_PlacesTheArticle(string title, string content, string code)
    {
        Assert.Equal([code], PlaceDetector.Detect(title, content).Countries.Select(c => c.Code));
    }

    [Theory]
    [InlineData("Gipfel", "Der Kanzler sprach in Berlin am Montag mit Journalisten.", "DE")]
    [InlineData("Visita", "Il ministro è stato accolto a Kiev da Zelensky.", "UA")]
    [InlineData("Talks", "In Kabul a Taliban spokesman said the talks were over.", "AF")]
    [InlineData("Treni fermi", "I treni da Roma a Bari sono fermi.", "IT")]
    public void Detect_APlaceFollowedByAParticleAndAName_IsStillThatPlace(string title, string content, string code)
    {
        Assert.Equal(code, PlaceDetector.Detect(title, content).Countries[0].Code);
    }

    [Fact]
    public void Detect_ALowerCaseWordAfterAComma_IsNoCountryInApposition()
    {
        Assert.Equal("RU", PlaceDetector.Detect("Talks in Moscow", "In Moscow, officials told us the talks had failed.").Countries[0].Code);
    }

    [Fact]
    public void Detect_ACountryBeforeAnotherSentencesRedCross_IsStillTheCountry()
    {
        Assert.Equal("MA", PlaceDetector.Detect("Earthquake kills 2,000 in Morocco, Red Crescent says", "Rescuers dug through rubble. Red Crescent teams arrived.").Countries[0].Code);
    }

    [Fact]
    public void Detect_ALoneAdjective_GivesWayToTheSourcesDomain()
    {
        var found = PlaceDetector.Detect("Furto in centro", "Arrestati due cittadini albanesi di 30 anni.", url: "https://cronaca.example.it/a", language: "it");

        Assert.Equal("IT", found.Countries[0].Code);
        Assert.True(found.Countries[0].FromSource);
        Assert.Equal("AL", PlaceDetector.Detect("Furto in centro", "Arrestati due cittadini albanesi.").Countries[0].Code); // nothing else: the adjective
    }
}
