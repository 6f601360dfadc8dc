using System.Text.RegularExpressions;
using Alerts.Core.Scoring;
using Alerts.Core.Texts;

namespace Alerts.Core.Tests.Texts;

public partial class TextCatalogTests
{
    public static TheoryData<string> Languages() => [.. TextCatalog.Languages];

    [Fact]
    public void Languages_AreTheElevenTheListsCover_EnglishFirst()
    {
        Assert.Equal("en", TextCatalog.Languages[0]);
        Assert.Equal(LanguageDetector.Supported.Order(StringComparer.Ordinal), TextCatalog.Languages.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryLanguage_HasEveryWord_WithTheSamePlaceholders_AndNoneEmpty(string language)
    {
        var english = TextCatalog.For("en");
        var texts = TextCatalog.For(language);
        foreach (var (section, theirs, ours) in new[] { ("signals", english.Signals, texts.Signals), ("email", english.Email, texts.Email), ("page", english.Page, texts.Page) })
        {
            Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, value) in theirs)
            {
                Assert.False(string.IsNullOrWhiteSpace(ours[key]), $"{language} {section}.{key} is empty");
                Assert.True(Placeholders(value).SetEquals(Placeholders(ours[key])), $"{language} {section}.{key}: placeholders differ from English");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryLanguage_FormatsItsPlaceholdersAndDates(string language)
    {
        var texts = TextCatalog.For(language);
        Assert.Contains("07:00", string.Format(texts.Culture, texts.Page["daily"], "07:00"), StringComparison.Ordinal);
        Assert.Contains("3", string.Format(texts.Culture, texts.Email["count_critical_many"], 3), StringComparison.Ordinal);
        Assert.Contains("09:30", texts.FormatDateTime(new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.Zero)), StringComparison.Ordinal);
        Assert.Equal(language, texts.Code);
    }

    [Theory]
    [InlineData("ar", true)]
    [InlineData("fa", true)]
    [InlineData("en", false)]
    [InlineData("ru", false)]
    public void ArabicAndPersian_RunRightToLeft(string language, bool rightToLeft)
    {
        Assert.Equal(rightToLeft, TextCatalog.For(language).RightToLeft);
        Assert.Equal(rightToLeft ? "rtl" : "ltr", TextCatalog.For(language).Direction);
    }

    [Fact]
    public void Dates_AreWrittenAsEachLanguageWritesThem()
    {
        var at = new DateTimeOffset(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);
        Assert.Equal("5 December 2026, 07:00", TextCatalog.For("en").FormatDateTime(at));
        Assert.Equal("5 de dezembro de 2026, 07:00", TextCatalog.For("pt").FormatDateTime(at));
        Assert.Equal("5. Dezember 2026, 07:00", TextCatalog.For("de").FormatDateTime(at));
        Assert.Equal("5 декабря 2026, 07:00", TextCatalog.For("ru").FormatDateTime(at));
        Assert.StartsWith("14 آذر 1405", TextCatalog.For("fa").FormatDateTime(at), StringComparison.Ordinal); // the Persian calendar
        Assert.StartsWith("5 ديسمبر 2026", TextCatalog.For("ar").FormatDateTime(at), StringComparison.Ordinal); // Gregorian, not Umm al-Qura
    }

    [Theory]
    [InlineData(null)]
    [InlineData("xx")]
    [InlineData("EN")]
    public void UnknownLanguages_FallBackToEnglish(string? language)
    {
        Assert.False(TextCatalog.Has(language));
        Assert.Equal("en", TextCatalog.For(language).Code);
    }

    private static HashSet<string> Placeholders(string value) => [.. Placeholder().Matches(value).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
