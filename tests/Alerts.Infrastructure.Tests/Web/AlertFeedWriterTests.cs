using System.Text.Json;
using System.Xml.Linq;
using Alerts.Core.Scoring;
using Alerts.Infrastructure.Web;

namespace Alerts.Infrastructure.Tests.Web;

public class AlertFeedWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);

    private static readonly AlertRecord Curfew = new()
    {
        StoryId = "s-kz",
        ArticleId = "a-kz",
        Severity = Severity.Critical,
        Score = 80,
        Title = "Curfew in Almaty",
        Url = "https://news.example/s-kz",
        FeedId = "f1",
        Signals = ["curfew"],
        Countries = ["KZ"],
        SourceCount = 2,
        Sources = ["news.example", "wire.example"],
        CreatedAt = Now.AddHours(-1),
        ChangedAt = Now.AddHours(-1),
        Evidence = [new SignalMatch("curfew", "Curfew", "escalation", 4, [new Evidence(ArticleField.Content, "a curfew was imposed", "phrase")])],
    };

    [Fact]
    public void Atom_ForASubscriber_NamesSeverityCountryAndSignalsInTheirLanguage()
    {
        var feed = XDocument.Parse(AlertFeedWriter.Atom("https://alerts.example/api/feed?token=t", "Crisis Alerts", "urn:x", [Curfew], Now, "fr"));
        XNamespace ns = "http://www.w3.org/2005/Atom";

        var entry = Assert.Single(feed.Root!.Elements(ns + "entry"));
        Assert.Equal("fr", (string?)feed.Root.Attribute(XNamespace.Xml + "lang"));
        Assert.Equal("[CRITIQUE] Curfew in Almaty", entry.Element(ns + "title")!.Value); // the feed's title is the article's own
        Assert.Equal("critique · Kazakhstan · Sources (2) · Couvre-feu\u00A0: a curfew was imposed", entry.Element(ns + "summary")!.Value);
    }

    [Fact]
    public void Json_ForASubscriber_InTheirLanguage_AndEnglishForTheAdmins()
    {
        using var ru = JsonDocument.Parse(AlertFeedWriter.Json("https://alerts.example/api/feed?token=t", "Crisis Alerts", [Curfew], "ru"));
        using var en = JsonDocument.Parse(AlertFeedWriter.Json("https://alerts.example/api/feed?token=t", "Crisis Alerts", [Curfew]));

        Assert.Equal("ru", ru.RootElement.GetProperty("language").GetString());
        Assert.Contains("Казахстан", ru.RootElement.GetProperty("items")[0].GetProperty("content_text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Комендантский час", ru.RootElement.GetProperty("items")[0].GetProperty("content_text").GetString(), StringComparison.Ordinal);
        Assert.Equal("[CRITICAL] Curfew in Almaty", en.RootElement.GetProperty("items")[0].GetProperty("title").GetString());
    }
}
