using Alerts.Core.Places;
using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Tests.Digests;

public class DigestRendererTests
{
    private static readonly Subscriber Ana = new() { Id = "s1", Email = "ana@example.org", TimeZone = "Asia/Almaty", Language = "en", Status = SubscriberStatus.Active };

    private static DigestItem Item(string title, Severity severity, string country, string? url = "https://wire.example/a", string evidence = "A curfew was imposed.") =>
        new("s-" + title.GetHashCode(StringComparison.Ordinal), title, url, severity, new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero), [country], ["wire.example", "daily.example"],
            [new SignalMatch("curfew", "Curfew", "escalation", 4, [new Evidence(ArticleField.Content, evidence, "phrase")])]);

    [Fact]
    public void Render_OrdersBySeverityAndSummarisesTheSubject()
    {
        var email = DigestRenderer.Render(Ana, [Item("Warning one", Severity.Warning, "SD"), Item("Critical one", Severity.Critical, "KZ"), Item("Warning two", Severity.Warning, "SD")], "https://alerts.example/u?t=x");

        Assert.Equal("1 critical, 2 warnings: Sudan, Kazakhstan", email.Subject);
        Assert.True(email.Html.IndexOf("Critical one", StringComparison.Ordinal) < email.Html.IndexOf("Warning one", StringComparison.Ordinal));
        Assert.Contains("Sources (2): wire.example, daily.example", email.Text, StringComparison.Ordinal);
        Assert.Contains("Published: 28 November 2026, 08:00 (Asia/Almaty)", email.Text, StringComparison.Ordinal); // UTC+5
        Assert.Contains("- Curfew: A curfew was imposed.", email.Text, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe: https://alerts.example/u?t=x", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", email.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_APlaceBelowTheCountry_IsNamedWithItsDivisionAndCountry()
    {
        var item = Item("Curfew after shelling", Severity.Critical, "CD") with { Place = new ArticlePlace("Goma", "North Kivu", "CD", -1.67, 29.23) };

        var email = DigestRenderer.Render(Ana, [item], "https://alerts.example/u");

        Assert.Contains("Goma, North Kivu, " + Gazetteer.Default.Countries["CD"].Name, email.Text, StringComparison.Ordinal);
        Assert.Contains("Goma, North Kivu, " + Gazetteer.Default.Countries["CD"].Name, email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FeedTextIsInertHtml()
    {
        var email = DigestRenderer.Render(Ana, [Item("<script>alert(1)</script> Riots", Severity.Critical, "KZ", url: "javascript:alert(1)", evidence: "<img src=x onerror=alert(1)>")], "https://alerts.example/u");

        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Riots", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LineBreaksInTitles_CannotAddHeaders()
    {
        var email = DigestRenderer.Render(Ana, [Item("Riots\r\nBcc: victim@example.org", Severity.Critical, "KZ")], "https://alerts.example/u");

        Assert.DoesNotContain('\n', email.Subject);
        Assert.DoesNotContain("\r\nBcc", email.Text, StringComparison.Ordinal);
        Assert.True(email.Subject.Length <= 150);
    }

    [Fact]
    public void Render_UsesTheSubscribersLanguageForItsOwnWords()
    {
        var email = DigestRenderer.Render(Ana with { Language = "fr" }, [Item("Couvre-feu à Almaty", Severity.Critical, "KZ")], "https://alerts.example/u");

        Assert.StartsWith("1 critique\u00A0: Kazakhstan", email.Subject, StringComparison.Ordinal);
        Assert.Contains("Se désabonner", email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Severity.Warning, new string[0], new string[0], new string[0], true)]
    [InlineData(Severity.Watch, new string[0], new string[0], new string[0], false)]
    [InlineData(Severity.Warning, new[] { "curfew" }, new string[0], new string[0], true)]
    [InlineData(Severity.Warning, new[] { "coup" }, new string[0], new string[0], false)]
    [InlineData(Severity.Warning, new string[0], new[] { "KZ" }, new string[0], true)]
    [InlineData(Severity.Warning, new string[0], new[] { "SD" }, new string[0], false)]
    [InlineData(Severity.Warning, new string[0], new string[0], new[] { "Central Asia" }, true)]
    [InlineData(Severity.Warning, new string[0], new string[0], new[] { "asia" }, true)]
    [InlineData(Severity.Warning, new string[0], new string[0], new[] { "Africa" }, false)]
    public void AlertFilter_AppliesSeveritySignalsCountriesAndRegions(Severity item, string[] signals, string[] countries, string[] regions, bool expected)
    {
        var prefs = new SubscriberPreferences { MinimumSeverity = Severity.Warning, Signals = signals, Countries = countries, Regions = regions };

        Assert.Equal(expected, AlertFilter.Matches(Item("x", item, "KZ"), prefs));
    }

    [Theory]
    [InlineData(new[] { "Goma" }, new string[0], true)]
    [InlineData(new[] { "north kivu" }, new string[0], true)]
    [InlineData(new[] { "Nord-Kivu" }, new string[0], true)] // the division's French name
    [InlineData(new[] { "Sud-Kivu" }, new string[0], false)]
    [InlineData(new[] { "Bukavu" }, new string[0], false)]
    [InlineData(new[] { "Bukavu" }, new[] { "CD" }, true)]
    public void AlertFilter_Places_MatchTheStorysTownOrItsDivision(string[] places, string[] countries, bool expected)
    {
        var item = Item("Curfew after shelling", Severity.Critical, "CD") with { Place = new ArticlePlace("Goma", "North Kivu", "CD", -1.67, 29.23) };
        var prefs = new SubscriberPreferences { MinimumSeverity = Severity.Warning, Places = places, Countries = countries };

        Assert.Equal(expected, AlertFilter.Matches(item, prefs));
        Assert.False(AlertFilter.Matches(Item("Elsewhere", Severity.Critical, "KZ"), prefs with { Countries = [] }));
    }

    [Fact]
    public void Render_InFrench_SignalLabelsInFrench_ASpaceBeforeColons_PluralCounts_AndThePeriod()
    {
        var marie = Ana with { Language = "fr", TimeZone = "Europe/Paris" };
        var items = new[] { Item("Un", Severity.Warning, "ML"), Item("Deux", Severity.Warning, "ML") };
        var period = new DigestPeriod(new DateTimeOffset(2026, 12, 4, 6, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero));

        var email = DigestRenderer.Render(marie, items, "https://alerts.example/u", period: period);

        Assert.Equal("2 alertes\u00A0: Mali", email.Subject);
        Assert.Contains("- Couvre-feu\u00A0: A curfew was imposed.", email.Text, StringComparison.Ordinal);
        Assert.Contains("Sources (2)\u00A0: wire.example", email.Text, StringComparison.Ordinal);
        Assert.Contains("5 décembre 2026, 07:00 (Europe/Paris), alertes depuis le 4 décembre 2026, 07:00", email.Text, StringComparison.Ordinal);
        Assert.Contains("5 décembre 2026, 07:00 (Europe/Paris)", System.Net.WebUtility.HtmlDecode(email.Html), StringComparison.Ordinal);
        Assert.DoesNotContain("Curfew", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SignalsShownByOneSentence_AreOneLine_WithTheMatchedWordsMarked()
    {
        const string Sentence = "A curfew was imposed and mobile internet was cut.";
        var item = Item("Curfew and blackout", Severity.Warning, "KZ") with
        {
            Signals =
            [
                new SignalMatch("curfew", "Curfew", "escalation", 4, [new Evidence(ArticleField.Content, Sentence, "phrase", Matched: "curfew")]),
                new SignalMatch("internet-shutdown", "Internet shutdown", "escalation", 4, [new Evidence(ArticleField.Content, Sentence, "phrase", Matched: "mobile internet was cut")]),
            ],
        };

        var email = DigestRenderer.Render(Ana, [item], "https://alerts.example/u");

        Assert.Contains("- Curfew, Internet shutdown: " + Sentence, email.Text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(email.Text, "imposed and mobile"));
        Assert.Contains("A <mark style=\"background:#fde68a;color:inherit;\">curfew</mark> was imposed and <mark style=\"background:#fde68a;color:inherit;\">mobile internet was cut</mark>.", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderBreaking_NamesTheCountryInTheSubject()
    {
        var email = DigestRenderer.RenderBreaking(Ana, Item("Troops fire on crowds", Severity.Critical, "KZ"), "https://alerts.example/u");

        Assert.Equal("Critical, Kazakhstan: Troops fire on crowds", email.Subject);
    }

    [Fact]
    public void Render_InArabic_RunsRightToLeft_WithFeedTextInItsOwnDirection()
    {
        var layla = Ana with { Language = "ar", TimeZone = "Asia/Baghdad" };

        var email = DigestRenderer.Render(layla, [Item("Curfew in Baghdad", Severity.Critical, "IQ") with { StoryUrl = "https://alerts.example/api/story?token=t" }], "https://alerts.example/u");

        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", email.Html, StringComparison.Ordinal);
        Assert.Contains("border-right:4px", email.Html, StringComparison.Ordinal); // the severity bar on the reading side
        Assert.Contains("<h2 dir=\"auto\"", email.Html, StringComparison.Ordinal); // an English title keeps its direction
        Assert.Contains("حظر التجول", email.Text, StringComparison.Ordinal); // the signal's Arabic label
        Assert.Contains("العراق", email.Subject, StringComparison.Ordinal); // the country in Arabic
        Assert.Contains("28 نوفمبر 2026", email.Text, StringComparison.Ordinal); // Gregorian, as the Arabic press dates
        Assert.Contains("https://alerts.example/api/story?token=t&lang=ar", email.Text, StringComparison.Ordinal); // the story page in Arabic too
    }

    [Fact]
    public void Render_InPersian_DatesInThePersianCalendar()
    {
        var email = DigestRenderer.Render(Ana with { Language = "fa", TimeZone = "Asia/Tehran" }, [Item("Curfew", Severity.Warning, "IR")], "https://alerts.example/u");

        Assert.Contains("dir=\"rtl\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("1405", email.Text, StringComparison.Ordinal); // 28 November 2026 is 7 Azar 1405
        Assert.Contains("ایران", email.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pt", "Toque de recolher", "28 de novembro de 2026")]
    [InlineData("de", "Ausgangssperre", "28. November 2026")]
    [InlineData("it", "Coprifuoco", "28 novembre 2026")]
    [InlineData("tr", "Sokağa çıkma yasağı", "28 Kasım 2026")]
    [InlineData("ru", "Комендантский час", "28 ноября 2026")]
    [InlineData("uk", "Комендантська година", "28 листопада 2026")]
    public void Render_InEveryLanguage_ItsWordsLabelsAndDates(string language, string curfew, string date)
    {
        var email = DigestRenderer.Render(Ana with { Language = language }, [Item("A title", Severity.Warning, "KZ")], "https://alerts.example/u");

        Assert.Contains("<html lang=\"" + language + "\" dir=\"ltr\">", email.Html, StringComparison.Ordinal);
        Assert.Contains(curfew, email.Text, StringComparison.Ordinal);
        Assert.Contains(date, email.Text, StringComparison.Ordinal);
        Assert.Contains(Gazetteer.Default.Countries["KZ"].NameIn(language), email.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("Curfew", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_InPersian_ADateThePersianCalendarCannotWrite_IsWrittenInIsoForm()
    {
        // A feed's "0001-01-01" date: the Persian calendar starts in 622, so the date is written as ISO, not a failure.
        var item = Item("Curfew", Severity.Warning, "IR") with { Published = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        var email = DigestRenderer.Render(Ana with { Language = "fa", TimeZone = "UTC" }, [item], "https://alerts.example/u");

        Assert.Contains("0001-01-01 00:00", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ATrendAlert_IsTitledInTheSubscribersLanguage()
    {
        var trend = Item("Reporting on Kazakhstan is 3.2x its usual rate", Severity.Warning, "KZ") with { StoryId = "trend-kz-surge-20261205" };

        var french = DigestRenderer.Render(Ana with { Language = "fr" }, [trend], "https://alerts.example/u");
        var english = DigestRenderer.Render(Ana, [trend], "https://alerts.example/u");

        Assert.Contains("Afflux d'articles\u00A0: Kazakhstan", french.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Reporting on", french.Text, StringComparison.Ordinal);
        Assert.Contains("Reporting on Kazakhstan is 3.2x its usual rate", english.Text, StringComparison.Ordinal); // English keeps the figures
    }
}
