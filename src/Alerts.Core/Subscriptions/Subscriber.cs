using System.Net.Mail;
using Alerts.Core.Scoring;

namespace Alerts.Core.Subscriptions;

/// <summary>Where a subscriber is in the double opt-in.</summary>
public enum SubscriberStatus
{
    Pending,
    Active,
    Unsubscribed,
}

/// <summary>How often a subscriber receives a digest.</summary>
public enum DigestFrequency
{
    None,
    Hourly,
    Daily,
    Weekly,
}

/// <summary>What a subscriber wants to receive, and when (in their own time zone).</summary>
public sealed record SubscriberPreferences
{
    /// <summary>Send critical alerts at once.</summary>
    public bool ImmediateCritical { get; init; } = true;

    /// <summary>Send those immediate alerts by email too, not only to the subscriber's active channels. Default: true.</summary>
    public bool ImmediateByEmail { get; init; } = true;

    public DigestFrequency Frequency { get; init; } = DigestFrequency.Daily;

    /// <summary>Local time of a daily or weekly digest.</summary>
    public TimeOnly At { get; init; } = new(7, 0);

    /// <summary>Day of a weekly digest.</summary>
    public DayOfWeek Day { get; init; } = DayOfWeek.Monday;

    public Severity MinimumSeverity { get; init; } = Severity.Warning;

    /// <summary>Only these signals (all when empty).</summary>
    public IReadOnlyList<string> Signals { get; init; } = [];

    /// <summary>Only these countries, by ISO code (all when empty, unless regions are given).</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];

    /// <summary>Only these UN M49 regions or sub-regions ("Central Asia", "Africa").</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Only these cities or first-level divisions ("Goma", "North Kivu"); with countries and regions, any of them.</summary>
    public IReadOnlyList<string> Places { get; init; } = [];

    /// <summary>Only alerts found by these keyword lists (all when empty).</summary>
    public IReadOnlyList<string> Lists { get; init; } = [];
}

/// <summary>A person who receives alerts.</summary>
public sealed record Subscriber
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public string DisplayName { get; init; } = "";
    public SubscriberStatus Status { get; init; } = SubscriberStatus.Pending;

    /// <summary>IANA time zone id, e.g. "Asia/Almaty".</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Language of the emails and pages: one of <see cref="Texts.TextCatalog.Languages"/> (en, fr, es, pt, de, it, tr, ru, uk, ar, fa).</summary>
    public string Language { get; init; } = "en";

    public SubscriberPreferences Preferences { get; init; } = new();

    /// <summary>Alerts created after this instant have not been sent in a digest yet.</summary>
    public DateTimeOffset DigestWatermark { get; init; }

    /// <summary>The scheduled time of the last digest delivered (or found empty).</summary>
    public DateTimeOffset? LastDigestDueAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>
    /// The latest immediate alerts taken for sending (at most 100): the per-hour cap counts those of the last hour, and
    /// digests leave these stories out.
    /// </summary>
    public IReadOnlyList<ImmediateSend> Immediate { get; init; } = [];

    /// <summary>The random part of the subscriber's personal feed token (<see cref="PersonalFeed"/>); null before they made one.</summary>
    public string? FeedKey { get; init; }

    /// <summary>Nothing is sent until then (the subscriber paused their alerts); digests skip the paused time.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>True while paused at <paramref name="now"/>.</summary>
    public bool IsPausedAt(DateTimeOffset now) => PausedUntil is { } until && until > now;

    /// <summary>
    /// Where the next digest starts: after the watermark, and after the end of a pause (resuming sets it to the moment
    /// of resuming), so that what happened while paused is not mailed afterwards.
    /// </summary>
    public DateTimeOffset DigestSince(DateTimeOffset now) => PausedUntil is { } until && until <= now && until > DigestWatermark ? until : DigestWatermark;

    /// <summary>A channel asked for at sign-up, added (checked and tested) when the subscription is confirmed.</summary>
    public PendingChannel? PendingChannel { get; init; }

    /// <summary>Where immediate alerts go besides email: webhooks, Slack, Teams, Telegram (at most <see cref="MaxChannels"/>).</summary>
    public IReadOnlyList<Channels.Channel> Channels { get; init; } = [];

    /// <summary>The most channels one subscriber may have.</summary>
    public const int MaxChannels = 10;

    /// <summary>The store's concurrency token (opaque; null for a new record).</summary>
    public string? Version { get; init; }

    /// <summary>The id for an address: stable, so subscribing twice finds the same record; not the address itself.</summary>
    public static string IdForEmail(string normalizedEmail)
    {
        ArgumentException.ThrowIfNullOrEmpty(normalizedEmail);
        return Feeds.ArticleKeys.Hash("subscriber:" + normalizedEmail.ToLowerInvariant())[..24];
    }
}

/// <summary>A channel named at sign-up, not checked or contacted before the address is confirmed.</summary>
public sealed record PendingChannel(Channels.ChannelKind Kind, string Target);

/// <summary>An immediate alert taken for sending to a subscriber.</summary>
public sealed record ImmediateSend(string StoryId, DateTimeOffset At);

/// <summary>Subscribers (a table in production). Ids are <see cref="Subscriber.IdForEmail"/>.</summary>
public interface ISubscriberStore
{
    /// <summary>Adds the subscriber; false when one with that id exists.</summary>
    Task<bool> TryAddAsync(Subscriber subscriber, CancellationToken cancellationToken);

    Task<Subscriber?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/>, re-reading and re-applying on a conflicting write. Returning the same instance
    /// writes nothing. Null when there is no such subscriber.
    /// </summary>
    Task<Subscriber?> UpdateAsync(string id, Func<Subscriber, Subscriber> change, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the subscriber's record; with <paramref name="ifMatch"/>, only if it is still at that version. False when
    /// nothing was deleted.
    /// </summary>
    Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken);

    /// <summary>Every subscriber with <paramref name="status"/>, in no particular order.</summary>
    IAsyncEnumerable<Subscriber> ListAsync(SubscriberStatus status, CancellationToken cancellationToken);
}

/// <summary>Fixed-window request counters shared by every instance (subscribe is public).</summary>
public interface IRateLimiter
{
    /// <summary>Counts one request against <paramref name="key"/>; null when allowed, else how long until the window resets.</summary>
    Task<TimeSpan?> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken);
}

/// <summary>
/// Validates and normalizes email addresses: trimmed, one address, no display name; an ASCII local part of at most 64
/// characters (RFC 5321 §4.5.3.1.1); a domain name (no address literal such as <c>[127.0.0.1]</c>) of letter-digit-hyphen
/// labels, internationalized domains in their ASCII (punycode) form, lower-cased; at most 254 characters in all.
/// </summary>
public static class EmailAddresses
{
    private static readonly System.Globalization.IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>The normalized address, or null when <paramref name="input"/> is not one valid address.</summary>
    public static string? Normalize(string? input)
    {
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ',' or ';' or '<' or '>' or '"' or '[' or ']'))
        {
            return null;
        }

        if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || address.User.Length is 0 or > 64 || !address.User.All(char.IsAscii))
        {
            return null;
        }

        string host;
        try
        {
            host = Idn.GetAscii(address.Host.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null; // not a domain name (empty label, bad code points, a label over 63 characters)
        }

        var labels = host.Split('.');
        if (labels.Length < 2 || labels[^1].All(char.IsAsciiDigit) || !labels.All(IsLabel))
        {
            return null;
        }

        var normalized = address.User + "@" + host;
        return normalized.Length <= 254 ? normalized : null;
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
