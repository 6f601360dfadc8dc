using Alerts.Core.Subscriptions;

namespace Alerts.Core.Tests.Subscriptions;

public class DigestScheduleTests
{
    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Fact]
    public void LatestDue_Daily_IsTodayAtLocalTimeOnceItHasPassed()
    {
        var prefs = new SubscriberPreferences { Frequency = DigestFrequency.Daily, At = new TimeOnly(7, 0) };

        // Almaty is UTC+5: 07:00 local = 02:00 UTC.
        Assert.Equal(Utc(2026, 11, 28, 2), DigestSchedule.LatestDue(prefs, "Asia/Almaty", Utc(2026, 11, 28, 3)));
        Assert.Equal(Utc(2026, 11, 27, 2), DigestSchedule.LatestDue(prefs, "Asia/Almaty", Utc(2026, 11, 28, 1)));
    }

    [Fact]
    public void LatestDue_SpringForwardGap_MovesForwardByTheGap()
    {
        var prefs = new SubscriberPreferences { Frequency = DigestFrequency.Daily, At = new TimeOnly(2, 30) };

        // Europe/Paris, 29 March 2026: 02:00 -> 03:00. 02:30 does not exist; 03:30 CEST = 01:30 UTC.
        Assert.Equal(Utc(2026, 3, 29, 1, 30), DigestSchedule.LatestDue(prefs, "Europe/Paris", Utc(2026, 3, 29, 12)));
    }

    [Fact]
    public void LatestDue_FallBackOverlap_TakesTheFirstOccurrence()
    {
        var prefs = new SubscriberPreferences { Frequency = DigestFrequency.Daily, At = new TimeOnly(1, 30) };

        // America/New_York, 1 November 2026: 02:00 EDT -> 01:00 EST; 01:30 happens twice; the first is 05:30 UTC.
        Assert.Equal(Utc(2026, 11, 1, 5, 30), DigestSchedule.LatestDue(prefs, "America/New_York", Utc(2026, 11, 1, 12)));
    }

    [Fact]
    public void LatestDue_Weekly_IsTheLastChosenWeekday()
    {
        var prefs = new SubscriberPreferences { Frequency = DigestFrequency.Weekly, Day = DayOfWeek.Monday, At = new TimeOnly(8, 0) };

        // Saturday 28 November 2026 -> Monday 23 November, 08:00 in Madrid (UTC+1) = 07:00 UTC.
        Assert.Equal(Utc(2026, 11, 23, 7), DigestSchedule.LatestDue(prefs, "Europe/Madrid", Utc(2026, 11, 28, 12)));
    }

    [Fact]
    public void LatestDue_Hourly_IsTheTopOfTheHour() =>
        Assert.Equal(Utc(2026, 11, 28, 12), DigestSchedule.LatestDue(new SubscriberPreferences { Frequency = DigestFrequency.Hourly }, "UTC", Utc(2026, 11, 28, 12, 40)));

    [Fact]
    public void IsDue_OnlyActiveSubscribersWithANewScheduledTime()
    {
        var now = Utc(2026, 11, 28, 12);
        var subscriber = new Subscriber { Id = "s", Email = "a@example.org", Status = SubscriberStatus.Active, TimeZone = "UTC" };

        Assert.True(DigestSchedule.IsDue(subscriber, now));
        Assert.False(DigestSchedule.IsDue(subscriber with { LastDigestDueAt = Utc(2026, 11, 28, 7) }, now));
        Assert.False(DigestSchedule.IsDue(subscriber with { Status = SubscriberStatus.Pending }, now));
        Assert.False(DigestSchedule.IsDue(subscriber with { Preferences = new SubscriberPreferences { Frequency = DigestFrequency.None } }, now));
    }

    [Fact]
    public void Zone_Unknown_IsAnError() => Assert.Throws<ArgumentException>(() => DigestSchedule.Zone("Mars/Olympus_Mons"));

    [Theory]
    [InlineData(" Ana@Example.ORG ", "Ana@example.org")]
    [InlineData("bob.smith+alerts@news.example.com", "bob.smith+alerts@news.example.com")]
    [InlineData("not an address", null)]
    [InlineData("a@b", null)]
    [InlineData("Ana <ana@example.org>", null)]
    [InlineData("a@example.org, b@example.org", null)]
    [InlineData("a@example.org\r\nBcc: x@example.org", null)]
    [InlineData("", null)]
    [InlineData("u@[127.0.0.1]", null)]
    [InlineData("u@[IPv6:::1]", null)]
    [InlineData("ana@bücher.example", "ana@xn--bcher-kva.example")]
    [InlineData("ana@BÜCHER.Example", "ana@xn--bcher-kva.example")]
    [InlineData("jösé@example.org", null)]
    [InlineData("ana@-bad.example", null)]
    [InlineData("ana@bad_host.example", null)]
    [InlineData("ana@example.123", null)]
    [InlineData("ana@example..org", null)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org", null)]
    public void EmailAddresses_NormalizeOrReject(string input, string? expected) => Assert.Equal(expected, EmailAddresses.Normalize(input));
}
