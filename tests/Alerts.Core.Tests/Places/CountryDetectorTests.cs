using Alerts.Core.Places;
using Xunit.Abstractions;

namespace Alerts.Core.Tests.Places;

public class CountryDetectorTests(ITestOutputHelper output)
{
    private static IEnumerable<(string Expected, string Title, string Content)> Cases() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Places", "cases.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .Select(f => (f[0], f[1], f[2]));

    [Fact]
    public void Detect_LabelledCases_MeetPrecisionAndRecallForTheMainCountry()
    {
        int expectedCount = 0, predictedCount = 0, correct = 0, total = 0;
        var errors = new List<string>();
        foreach (var (expected, title, content) in Cases())
        {
            total++;
            var found = CountryDetector.Detect(title, content);
            var main = found.Count > 0 ? found[0].Code : "-";
            expectedCount += expected == "-" ? 0 : 1;
            predictedCount += main == "-" ? 0 : 1;
            if (main == expected && expected != "-")
            {
                correct++;
            }
            else if (main != expected)
            {
                errors.Add($"{title}: expected {expected}, got {main}");
            }
        }

        var precision = (double)correct / predictedCount;
        var recall = (double)correct / expectedCount;
        output.WriteLine($"{total} cases; main country precision {precision:P1}, recall {recall:P1}");
        errors.ForEach(output.WriteLine);
        Assert.True(total >= 150);
        Assert.True(precision >= 0.95 && recall >= 0.95, $"precision {precision:P1}, recall {recall:P1}: {string.Join("; ", errors)}");
    }

    [Fact]
    public void Gazetteer_CoversEveryUnMemberAndObserver()
    {
        string[] un =
        [
            "AF", "AL", "DZ", "AD", "AO", "AG", "AR", "AM", "AU", "AT", "AZ", "BS", "BH", "BD", "BB", "BY", "BE", "BZ", "BJ", "BT", "BO", "BA", "BW", "BR", "BN",
            "BG", "BF", "BI", "CV", "KH", "CM", "CA", "CF", "TD", "CL", "CN", "CO", "KM", "CG", "CR", "CI", "HR", "CU", "CY", "CZ", "KP", "CD", "DK", "DJ", "DM",
            "DO", "EC", "EG", "SV", "GQ", "ER", "EE", "SZ", "ET", "FJ", "FI", "FR", "GA", "GM", "GE", "DE", "GH", "GR", "GD", "GT", "GN", "GW", "GY", "HT", "HN",
            "HU", "IS", "IN", "ID", "IR", "IQ", "IE", "IL", "IT", "JM", "JP", "JO", "KZ", "KE", "KI", "KW", "KG", "LA", "LV", "LB", "LS", "LR", "LY", "LI", "LT",
            "LU", "MG", "MW", "MY", "MV", "ML", "MT", "MH", "MR", "MU", "MX", "FM", "MC", "MN", "ME", "MA", "MZ", "MM", "NA", "NR", "NP", "NL", "NZ", "NI", "NE",
            "NG", "MK", "NO", "OM", "PK", "PW", "PA", "PG", "PY", "PE", "PH", "PL", "PT", "QA", "KR", "MD", "RO", "RU", "RW", "KN", "LC", "VC", "WS", "SM", "ST",
            "SA", "SN", "RS", "SC", "SL", "SG", "SK", "SI", "SB", "SO", "ZA", "SS", "ES", "LK", "SD", "SR", "SE", "CH", "SY", "TJ", "TH", "TL", "TG", "TO", "TT",
            "TN", "TR", "TM", "TV", "UG", "UA", "AE", "GB", "TZ", "US", "UY", "UZ", "VU", "VE", "VN", "YE", "ZM", "ZW", "VA", "PS",
        ];

        var countries = Gazetteer.Default.Countries;

        Assert.Equal(195, un.Length);
        Assert.All(un, code => Assert.True(countries.ContainsKey(code), code));
        Assert.All(countries.Values, c => Assert.False(string.IsNullOrEmpty(c.Region) || string.IsNullOrEmpty(c.SubRegion), c.Code));
    }

    [Theory]
    [InlineData("Central Asia", new[] { "KG", "KZ", "TJ", "TM", "UZ" })]
    [InlineData("Western Africa", new[] { "BF", "ML", "NE", "NG", "SN" })]
    public void InRegion_ListsTheSubRegion(string region, string[] someMembers) =>
        Assert.Superset(someMembers.ToHashSet(), Gazetteer.Default.InRegion(region).Select(c => c.Code).ToHashSet());

    [Fact]
    public void Detect_ReportsRegionsAndOtherCountriesAfterTheMainOne()
    {
        var found = CountryDetector.Detect("Kazakhstan asks allies for help", "Russian troops arrived in Almaty. Moscow said the mission would be short.");

        Assert.Equal(["KZ", "RU"], found.Select(c => c.Code));
        Assert.Equal(("Asia", "Central Asia"), (found[0].Region, found[0].SubRegion));
        Assert.Contains("Almaty", found[0].Mentions);
    }

    [Theory]
    [InlineData("France sends gendarmes and blocks a video app as riots spread in New Caledonia", "Unrest in Noumea left four dead; France declared a state of emergency in its Pacific territory, France's interior minister said.", "NC", "FR")]
    [InlineData("Denmark and Greenland at odds over the offer", "Danish officials said Denmark would keep talking with Nuuk.", "GL", "DK")]
    [InlineData("Estados Unidos envía generadores a Puerto Rico tras el apagón", "El gobierno de Estados Unidos dijo que la red eléctrica de la isla tardará semanas en recuperarse.", "PR", "US")]
    public void Detect_ATerritoryNamedWithItsState_ComesFirst(string title, string content, string territory, string state) =>
        Assert.Equal([territory, state], CountryDetector.Detect(title, content).Select(c => c.Code).Take(2));

    [Fact]
    public void Detect_ATerritoryMentionedInPassing_DoesNotTakeTheState()
    {
        var found = CountryDetector.Detect("France raises its pension age", "The French government said France must act. Unions across France, from Lyon to Marseille and as far as Martinique, called strikes.");

        Assert.Equal("FR", found[0].Code);
    }

    [Fact]
    public void Detect_LoneDemonym_CountsLessThanAPlaceName()
    {
        Assert.Equal("DE", CountryDetector.Detect("", "A French diplomat commented in Berlin.").Single().Code);
        Assert.Equal("FR", CountryDetector.Detect("", "A diplomat in Paris commented.").Single().Code);
    }

    [Theory]
    [InlineData("A French diplomat commented.", "FR")]
    [InlineData("Der Streit im ägyptischen Klub geht weiter.", "EG")] // German adjective (i18n-nationality)
    [InlineData("Il presidente ucraino ha parlato alla nazione.", "UA")] // Italian adjective
    [InlineData("Depremden etkilenen Suriyeliler kamplarda kalıyor.", "SY")] // Turkish -li plural, by rule
    [InlineData("A French diplomat met a German colleague.", "FR")] // two adjectives, as often: the first
    [InlineData("A German colleague met two French diplomats and a French minister.", "FR")] // the more frequent
    public void Detect_LoneDemonym_PlacesAnArticleThatNamesNoCountry(string content, string? code)
    {
        Assert.Equal(code, CountryDetector.Detect("", content).SingleOrDefault()?.Code);
    }

    [Fact]
    public void Detect_Acronyms_AreCaseSensitive()
    {
        Assert.Equal("US", CountryDetector.Detect("", "The US imposed sanctions.").Single().Code);
        Assert.Empty(CountryDetector.Detect("", "Let us see what the car dealers say."));
    }

    [Theory]
    [InlineData("Комендантский час в Казахстане", "Власти ввели режим чрезвычайного положения.", "KZ")] // Russian locative
    [InlineData("Протести в Іраку", "У Багдаді сили безпеки відкрили вогонь.", "IQ")] // Ukrainian case form
    [InlineData("Ausgangssperre in Kasachstan", "Die Regierung verhängte den Ausnahmezustand.", "KZ")]
    [InlineData("Coprifuoco in Kazakistan", "Il governo ha dichiarato lo stato di emergenza.", "KZ")]
    [InlineData("Toque de recolher no Irã", "Protestos se espalham por várias cidades.", "IR")] // Brazilian form
    [InlineData("Kazakistan'da sokağa çıkma yasağı", "Hükümet olağanüstü hal ilan etti.", "KZ")] // suffix after the apostrophe
    [InlineData("حظر التجول في العراق", "أعلنت الحكومة حالة الطوارئ.", "IQ")]
    [InlineData("مظاهرات والعراق", "احتجاجات واسعة.", "IQ")] // a clitic written onto the name
    [InlineData("اعتراضات در ایران", "نیروهای امنیتی به معترضان شلیک کردند.", "IR")]
    public void CountryNames_InTheOtherEightLanguages_NameTheCountry(string title, string content, string code) =>
        Assert.Equal(code, CountryDetector.Detect(title, content) is [var main, ..] ? main.Code : null);

    [Theory]
    [InlineData("Протесты в Минске", "Милиция разогнала демонстрантов.", "BY")] // a capital, in its locative
    [InlineData("МВД Беларуси сообщило о задержаниях", "Акции прошли в нескольких городах.", "BY")] // a feminine soft sign
    [InlineData("Комендантська година у Києві", "Рух транспорту зупинено.", "UA")] // Київ: Києві
    [InlineData("Столкновения в Бишкеке", "Власти ввели войска в столицу.", "KG")]
    [InlineData("اعتراضات در تهران", "نیروهای امنیتی معترضان را بازداشت کردند.", "IR")]
    [InlineData("احتجاجات في طهران", "اعتقلت قوات الأمن العشرات.", "IR")]
    [InlineData("Proteste in Teheran", "Die Polizei nahm Dutzende fest.", "IR")]
    [InlineData("Protestolar İstanbul'da sürüyor", "Polis çok sayıda kişiyi gözaltına aldı.", "TR")]
    public void Cities_InTheOtherEightLanguages_NameTheirCountry(string title, string content, string code) =>
        Assert.Equal(code, CountryDetector.Detect(title, content) is [var main, ..] ? main.Code : null);

    [Theory]
    [InlineData("مناورة للجيش اللبناني", "نفذ الجيش اللبناني تدريبات بالذخيرة الحية.", "LB")] // an Arabic nisba adjective, twice
    [InlineData("الرئيس الكوري الجنوبي يعلن الأحكام العرفية", "قال الرئيس الكوري الجنوبي إن القرار مؤقت.", "KR")] // a two-word name's adjectives
    [InlineData("Иранские силовики задержали десятки человек", "Иранский суд вынес приговоры.", "IR")] // Russian adjectives
    [InlineData("Протести в Новій Каледонії", "Влада запровадила надзвичайний стан.", "NC")] // both words in their case
    [InlineData("Беспорядки в Новой Каледонии", "Власти ввели чрезвычайное положение.", "NC")]
    [InlineData("Bodenoffensive im Südlibanon", "Die Truppen rückten in der Nacht in den Südlibanon vor.", "LB")] // a German compound
    [InlineData("رئیس جمهور کره‌جنوبی حکومت نظامی اعلام کرد", "پارلمان تشکیل جلسه داد.", "KR")] // joined by a half-space
    [InlineData("سرکوب معترضان", "نیروهای امنیتی جمهوری اسلامی به معترضان شلیک کردند.", "IR")]
    [InlineData("Kämpfe im Südsudan", "Die Lage im Südsudan verschärft sich.", "SS")] // South Sudan's own name, not Sudan's compound
    [InlineData("Заявление Армии обороны Израиля", "Представитель Армии обороны Израиля сообщил о ракетном обстреле.", "IL")] // masculine -ь
    [InlineData("Unruhen in Syrien", "Die Armee setzte Panzer ein.", "SY")] // the name before the package's ", Arabische Republik"
    public void AdjectivesAndCaseForms_InTheOtherEightLanguages_NameTheCountry(string title, string content, string code) =>
        Assert.Equal(code, CountryDetector.Detect(title, content) is [var main, ..] ? main.Code : null);

    [Theory]
    [InlineData("بحث الوضع المالي", "ناقش البرلمان الوضع المالي للحكومة.")] // "financial", not Mali
    [InlineData("گزارش مالی شرکت", "وضعیت مالی شرکت بهتر شد.")]
    [InlineData("جلسه دوشنبه برگزار شد", "نمایندگان درباره بودجه گفتگو کردند.")] // "Monday", not Dushanbe
    [InlineData("گزارش شبکه الجزیره", "خبرنگاران از منطقه گزارش دادند.")] // Al Jazeera, not Algiers
    [InlineData("تقرير ديلي ميل", "نشرت الصحيفة مقالاً مطولاً.")] // the Daily Mail, not Dili
    public void CommonWords_ThatAreAlsoCities_NameNoCountry(string title, string content) =>
        Assert.Empty(CountryDetector.Detect(title, content));

    [Theory]
    [InlineData("گفتگوها در عمان", "نمایندگان دو طرف در عمان دیدار کردند.", "JO")] // Arabic "عمّان" (Amman) reads as Persian "عمان" (Oman)
    [InlineData("Unruhen in Nordirland", "Die Polizei setzte Wasserwerfer ein.", "IE")] // Northern Ireland is not Ireland
    public void FormsThatNameTwoCountries_NameNeither(string title, string content, string notThis) =>
        Assert.DoesNotContain(CountryDetector.Detect(title, content), c => c.Code == notThis);

    [Fact]
    public void NamesForDisplay_AreOneName_WithoutTheDatasQualifiers()
    {
        var names = Gazetteer.Default.Countries.Values.SelectMany(c => new[] { "pt", "de", "it", "tr", "ru", "uk", "ar", "fa" }.Select(l => (c.Code, Language: l, Name: c.NameIn(l)))).ToList();

        Assert.DoesNotContain(names, n => n.Name.Contains(',', StringComparison.Ordinal) || n.Name.Contains('\u060C', StringComparison.Ordinal));
        Assert.Equal("Syrien", Gazetteer.Default.Countries["SY"].NameIn("de"));
        Assert.Equal("Тайвань", Gazetteer.Default.Countries["TW"].NameIn("ru"));
        Assert.Equal("Südsudan", Gazetteer.Default.Countries["SS"].NameIn("de"));
    }

    [Theory]
    [InlineData("KZ", "ru", "Казахстан")]
    [InlineData("RU", "ru", "Россия")] // the everyday name, not the official one
    [InlineData("IQ", "ar", "العراق")]
    [InlineData("US", "tr", "ABD")]
    [InlineData("DE", "de", "Deutschland")]
    [InlineData("KZ", "fr", "Kazakhstan")]
    [InlineData("KZ", "xx", "Kazakhstan")] // English for a language without names
    public void NameIn_EveryLanguage_GivesTheNameForDisplay(string code, string language, string name) =>
        Assert.Equal(name, Gazetteer.Default.Countries[code].NameIn(language));
}
