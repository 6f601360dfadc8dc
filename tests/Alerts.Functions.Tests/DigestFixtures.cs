using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Functions.Tests;

/// <summary>Alerts and subscribers written straight into the stores, for the email tests.</summary>
internal static class DigestFixtures
{
    public static AlertRecord Alert(string story, Severity severity, string country, string title, DateTimeOffset changed, string signal = "curfew", string? url = null, string evidence = "a curfew was imposed from dusk to dawn") => new()
    {
        StoryId = story,
        ArticleId = "a-" + story,
        Severity = severity,
        Score = severity switch { Severity.Critical => 80, Severity.Warning => 40, _ => 15 },
        Title = title,
        Url = url ?? $"https://news.example/{story}",
        FeedId = "f1",
        Signals = [signal],
        Countries = [country],
        SourceCount = 2,
        Sources = ["news.example", "wire.example"],
        Published = changed.AddMinutes(-10),
        CreatedAt = changed,
        ChangedAt = changed,
        Evidence = [new SignalMatch(signal, Label(signal), "escalation", 30, [new Evidence(ArticleField.Content, evidence, signal)])],
    };

    /// <summary>An active subscriber whose last digest went out in the slot before <paramref name="watermark"/> + 12 hours.</summary>
    public static Subscriber Subscriber(string email, DateTimeOffset watermark, string zone = "UTC", string language = "en", SubscriberPreferences? preferences = null) => new()
    {
        LastDigestDueAt = DigestSchedule.LatestDue(preferences ?? DailyAtSeven, zone, watermark.AddHours(12)),
        Id = Core.Subscriptions.Subscriber.IdForEmail(email),
        Email = email,
        Status = SubscriberStatus.Active,
        TimeZone = zone,
        Language = language,
        DigestWatermark = watermark,
        Preferences = preferences ?? DailyAtSeven,
    };

    private static SubscriberPreferences DailyAtSeven => new() { Frequency = DigestFrequency.Daily, At = new TimeOnly(7, 0), MinimumSeverity = Severity.Warning };

    private static string Label(string signal) => signal switch
    {
        "curfew" => "Curfew",
        "live-fire" => "Live fire",
        "coup" => "Coup",
        _ => signal,
    };
}
