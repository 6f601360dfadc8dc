using Alerts.Core.Scoring;

namespace Alerts.Core.Tests.Scoring;

/// <summary>
/// The language of an article from its words. Sentences written for these tests; the real-news figures come from
/// eng/devset (published text kept outside the repository).
/// </summary>
public sealed class LanguageDetectorTests
{
    [Theory]
    [InlineData("en", "Curfew declared in the capital", "The government said that the curfew was imposed after two days of protests, and that soldiers were sent to the main square.")]
    [InlineData("fr", "Couvre-feu dans la capitale", "Le gouvernement a déclaré que le couvre-feu était imposé après deux jours de manifestations et que des soldats ont été envoyés sur la place.")]
    [InlineData("es", "Toque de queda en la capital", "El gobierno dijo que el toque de queda fue impuesto tras dos días de protestas y que los soldados fueron enviados a la plaza.")]
    [InlineData("pt", "Toque de recolher na capital", "O governo disse que o toque de recolher foi imposto após dois dias de protestos e que os soldados foram enviados para a praça.")]
    [InlineData("de", "Ausgangssperre in der Hauptstadt", "Die Regierung sagte, die Ausgangssperre sei nach zwei Tagen der Proteste verhängt worden und Soldaten seien auf den Platz geschickt worden.")]
    [InlineData("it", "Coprifuoco nella capitale", "Il governo ha detto che il coprifuoco è stato imposto dopo due giorni di proteste e che i soldati sono stati inviati nella piazza.")]
    [InlineData("tr", "Başkentte sokağa çıkma yasağı", "Hükümet, iki günlük protestoların ardından sokağa çıkma yasağı ilan edildiğini ve askerlerin meydana gönderildiğini söyledi.")]
    [InlineData("ru", "Комендантский час в столице", "Правительство заявило, что комендантский час был введен после двух дней протестов и что в центр города были направлены солдаты.")]
    [InlineData("uk", "Комендантська година у столиці", "Уряд заявив, що комендантську годину було запроваджено після двох днів протестів і що на площу відправили військових.")]
    [InlineData("ar", "حظر تجول في العاصمة", "قالت الحكومة إن حظر التجول فرض بعد يومين من الاحتجاجات وإن الجنود أرسلوا إلى الساحة الرئيسية في المدينة.")]
    [InlineData("fa", "حکومت نظامی در پایتخت", "دولت اعلام کرد که پس از دو روز اعتراض، منع رفت و آمد برقرار شد و سربازان به میدان اصلی شهر فرستاده شدند.")]
    public void Detect_AShortReport_InEachLanguage(string language, string title, string content)
    {
        var detected = LanguageDetector.Detect(title, content);

        Assert.Equal(language, detected?.Code);
        Assert.InRange(detected!.Value.Confidence, 0.2, 1); // Spanish and Portuguese share many words: a clear win, not a landslide
    }

    [Fact]
    public void Detect_NoWordsInAKnownScript_IsNull()
    {
        Assert.Null(LanguageDetector.Detect("2026 — 14:30", "  12 / 7 "));
        Assert.Null(LanguageDetector.Detect(null, "戒严令已经宣布"));
    }

    [Fact]
    public void Detect_ReadsAtMostTheFirstCharacters_SoHostileLengthCostsNothingMore()
    {
        var huge = "the curfew was lifted and " + new string('x', 5_000_000);

        Assert.Equal("en", LanguageDetector.Detect("Report", huge)?.Code);
    }
}
