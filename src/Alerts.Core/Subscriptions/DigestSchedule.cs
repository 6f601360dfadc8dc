namespace Alerts.Core.Subscriptions;

/// <summary>
/// When a subscriber's digest is due, in their own time zone. A local time that does not exist (the spring-forward
/// gap) moves forward by the gap; a local time that occurs twice (fall back) is taken at its first occurrence.
/// </summary>
public static class DigestSchedule
{
    /// <summary>The latest scheduled instant at or before <paramref name="now"/>, or null for no digest.</summary>
    public static DateTimeOffset? LatestDue(SubscriberPreferences preferences, string timeZoneId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        var zone = Zone(timeZoneId);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        switch (preferences.Frequency)
        {
            case DigestFrequency.Hourly:
                return new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
            case DigestFrequency.Daily:
            {
                var date = DateOnly.FromDateTime(local.DateTime);
                for (var i = 0; i < 3; i++, date = date.AddDays(-1))
                {
                    var at = ToInstant(date, preferences.At, zone);
                    if (at <= now)
                    {
                        return at;
                    }
                }

                return null;
            }

            case DigestFrequency.Weekly:
            {
                var date = DateOnly.FromDateTime(local.DateTime);
                for (var i = 0; i < 15; i++, date = date.AddDays(-1))
                {
                    if (date.DayOfWeek != preferences.Day)
                    {
                        continue;
                    }

                    var at = ToInstant(date, preferences.At, zone);
                    if (at <= now)
                    {
                        return at;
                    }
                }

                return null;
            }

            default:
                return null;
        }
    }

    /// <summary>True when a digest was scheduled after the last one the subscriber got.</summary>
    public static bool IsDue(Subscriber subscriber, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return subscriber.Status == SubscriberStatus.Active
            && LatestDue(subscriber.Preferences, subscriber.TimeZone, now) is { } due
            && (subscriber.LastDigestDueAt is null || due > subscriber.LastDigestDueAt);
    }

    /// <summary>The instant of a local date and time in <paramref name="zone"/>.</summary>
    public static DateTimeOffset ToInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // In the gap the clock jumped forward: move the time forward by the size of the gap (02:30 -> 03:30).
            var before = zone.GetUtcOffset(local.AddHours(-6));
            var after = zone.GetUtcOffset(local.AddHours(6));
            return new DateTimeOffset(local + (after - before), after);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max()); // the larger offset is the first occurrence
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The time zone for an IANA (or Windows) id; an unknown id is an error.</summary>
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : throw new ArgumentException($"Unknown time zone '{id}'.", nameof(id));
}
