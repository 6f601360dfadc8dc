using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Texts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Subscriptions;

/// <summary>Limits on the public subscribe endpoint (configuration section "Subscriptions").</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>Subscribe requests per address per hour (each may send a confirmation email). Default: 3.</summary>
    [Range(1, 1000)]
    public int PerAddressPerHour { get; set; } = 3;

    /// <summary>Subscribe requests per client (IP address) per hour. Default: 20.</summary>
    [Range(1, 100000)]
    public int PerClientPerHour { get; set; } = 20;
}

/// <summary>A subscribe request as posted to <c>/api/subscribe</c>.</summary>
public record SubscribeRequest
{
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? TimeZone { get; init; }
    public string? Language { get; init; }
    public bool? ImmediateCritical { get; init; }

    /// <summary>Immediate alerts by email as well as to the subscriber's channels (default true).</summary>
    public bool? ImmediateByEmail { get; init; }

    /// <summary>"none", "hourly", "daily" or "weekly".</summary>
    public string? Frequency { get; init; }

    /// <summary>Local time "HH:mm" of a daily or weekly digest.</summary>
    public string? At { get; init; }

    /// <summary>Day of a weekly digest ("monday").</summary>
    public string? Day { get; init; }

    /// <summary>"watch", "warning" or "critical".</summary>
    public string? MinimumSeverity { get; init; }

    public IReadOnlyList<string>? Signals { get; init; }
    public IReadOnlyList<string>? Countries { get; init; }
    public IReadOnlyList<string>? Regions { get; init; }

    /// <summary>Cities or first-level divisions by name ("Goma", "North Kivu").</summary>
    public IReadOnlyList<string>? Places { get; init; }
    public IReadOnlyList<string>? Lists { get; init; }

    /// <summary>A channel for critical alerts besides email ("webhook", "slack", "teams", "telegram"), added once confirmed.</summary>
    public string? Channel { get; init; }

    /// <summary>The channel's URL, or Telegram chat id.</summary>
    public string? ChannelTarget { get; init; }
}

/// <summary>How a subscribe request ended.</summary>
public enum SubscribeStatus
{
    /// <summary>Accepted: a confirmation email is on its way when one was needed. The same answer whether or not the address was known.</summary>
    Accepted,
    Invalid,
    RateLimited,
}

public sealed record SubscribeResult(SubscribeStatus Status, IReadOnlyDictionary<string, string[]>? Errors = null, TimeSpan? RetryAfter = null);

/// <summary>What the subscriber's own link asks for on the preferences page.</summary>
public enum ManageAction
{
    /// <summary>Replace name, zone, language and preferences (the address cannot change).</summary>
    Save,

    /// <summary>Send nothing for some days.</summary>
    Pause,

    Resume,

    /// <summary>Receive alerts again after unsubscribing (the link was mailed to the address: no new confirmation).</summary>
    Resubscribe,

    /// <summary>Delete the record and the delivery history.</summary>
    Erase,
}

/// <summary>What a change through the preferences page did; <see cref="Errors"/> when the request was invalid (nothing changed).</summary>
public sealed record ManageResult(LinkOutcome Outcome, Subscriber? Subscriber, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>What a confirmation or unsubscribe link did.</summary>
public enum LinkOutcome
{
    /// <summary>The token is tampered with, foreign, for another purpose or expired: nothing changed.</summary>
    InvalidToken,

    /// <summary>No such subscriber (erased): nothing to do.</summary>
    Unknown,

    Done,

    /// <summary>It had been done before: nothing changed.</summary>
    AlreadyDone,
}

/// <summary>
/// Double opt-in and one-click unsubscribe: subscribe stores a pending subscriber (rate-limited per address and per
/// client) and mails a signed confirmation link; confirming activates; unsubscribing is immediate and idempotent;
/// erasing deletes the subscriber's record and delivery history.
/// </summary>
public sealed partial class SubscriptionService(
    ISubscriberStore subscribers,
    IDeliveryStore deliveries,
    Feedback.IFeedbackStore feedback,
    IRateLimiter limiter,
    EmailDispatcher dispatcher,
    SubscriptionLinks links,
    TimeProvider time,
    IOptions<SubscriptionOptions> options,
    ILogger<SubscriptionService> logger)
{
    public const string ConfirmationCategory = "confirmation";
    private const int MaxFilterItems = 50;

    /// <summary>Stores a pending subscriber and mails the confirmation link. <paramref name="clientKey"/> (the client's IP address) is used hashed, for rate limiting.</summary>
    public async Task<SubscribeResult> SubscribeAsync(SubscribeRequest request, string clientKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Validate(request, out var email, out var candidate);
        if (errors.Count > 0)
        {
            return new SubscribeResult(SubscribeStatus.Invalid, errors);
        }

        var limits = options.Value;
        var hour = TimeSpan.FromHours(1);
        var wait = await limiter.TryAcquireAsync("client:" + Feeds.ArticleKeys.Hash(clientKey ?? "")[..32], limits.PerClientPerHour, hour, cancellationToken)
            ?? await limiter.TryAcquireAsync("address:" + candidate!.Id, limits.PerAddressPerHour, hour, cancellationToken);
        if (wait is { } retryAfter)
        {
            LogRateLimited(logger);
            return new SubscribeResult(SubscribeStatus.RateLimited, RetryAfter: retryAfter);
        }

        var now = time.GetUtcNow();
        candidate = candidate! with { CreatedAt = now };
        if (!await subscribers.TryAddAsync(candidate, cancellationToken))
        {
            // Known address. An active subscription is never changed by this public, unauthenticated request; a pending or
            // unsubscribed one takes the new preferences and needs confirming (again).
            var existing = await subscribers.UpdateAsync(candidate.Id, s => s.Status == SubscriberStatus.Active
                ? s
                : s with
                {
                    Status = SubscriberStatus.Pending,
                    DisplayName = candidate.DisplayName,
                    TimeZone = candidate.TimeZone,
                    Language = candidate.Language,
                    Preferences = candidate.Preferences,
                    // A channel only ever comes with a new record: anyone can send this request for a known address,
                    // and must not be able to slip their own channel into someone else's confirmation.
                    PendingChannel = null,
                }, cancellationToken);
            if (existing is null || existing.Status == SubscriberStatus.Active)
            {
                return new SubscribeResult(SubscribeStatus.Accepted);
            }

            candidate = existing;
        }

        var confirmation = DigestRenderer.RenderConfirmation(candidate.Language, links.Confirm(candidate));
        var delivery = new Delivery
        {
            SubscriberId = candidate.Id,
            Id = "confirm:" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + ":" + Guid.NewGuid().ToString("N")[..8],
            Kind = ConfirmationCategory,
        };
        await dispatcher.DispatchAsync([new PlannedEmail(candidate, delivery, confirmation)], ConfirmationCategory, (_, _) => Task.CompletedTask, null, cancellationToken);
        LogPending(logger, candidate.Id);
        return new SubscribeResult(SubscribeStatus.Accepted);
    }

    /// <summary>Activates a pending subscriber. Their first digest holds alerts from now on.</summary>
    public async Task<(LinkOutcome Outcome, Subscriber? Subscriber)> ConfirmAsync(string? token, CancellationToken cancellationToken)
    {
        if (links.VerifyConfirm(token) is not { } target)
        {
            return (LinkOutcome.InvalidToken, null);
        }

        var id = target.SubscriberId;
        var now = time.GetUtcNow();
        var changed = false;
        var stale = false;
        var subscriber = await subscribers.UpdateAsync(id, s =>
        {
            stale = !target.Matches(s);
            changed = !stale && s.Status == SubscriberStatus.Pending;
            return changed
                ? s with
                {
                    Status = SubscriberStatus.Active,
                    ConfirmedAt = now,
                    DigestWatermark = now,
                    LastDigestDueAt = DigestSchedule.LatestDue(s.Preferences, s.TimeZone, now),
                }
                : s;
        }, cancellationToken);
        if (subscriber is null || stale)
        {
            return (LinkOutcome.Unknown, null); // none, or erased and created again since the link was mailed
        }

        if (changed)
        {
            LogConfirmed(logger, id);
        }

        return (changed ? LinkOutcome.Done : subscriber.Status == SubscriberStatus.Active ? LinkOutcome.AlreadyDone : LinkOutcome.Unknown, subscriber);
    }

    /// <summary>Checks a confirmation token without changing anything (for the GET page).</summary>
    public async Task<(LinkOutcome Outcome, Subscriber? Subscriber)> CheckConfirmAsync(string? token, CancellationToken cancellationToken)
    {
        if (links.VerifyConfirm(token) is not { } target)
        {
            return (LinkOutcome.InvalidToken, null);
        }

        var subscriber = await subscribers.GetAsync(target.SubscriberId, cancellationToken);
        return subscriber is null || !target.Matches(subscriber) ? (LinkOutcome.Unknown, null)
            : (subscriber.Status == SubscriberStatus.Pending ? LinkOutcome.Done : LinkOutcome.AlreadyDone, subscriber);
    }

    /// <summary>Checks an unsubscribe token without changing anything (for the GET page).</summary>
    public async Task<(LinkOutcome Outcome, Subscriber? Subscriber)> CheckUnsubscribeAsync(string? token, CancellationToken cancellationToken)
    {
        if (links.VerifyUnsubscribe(token) is not { } id)
        {
            return (LinkOutcome.InvalidToken, null);
        }

        var subscriber = await subscribers.GetAsync(id, cancellationToken);
        return subscriber is null ? (LinkOutcome.Unknown, null)
            : (subscriber.Status == SubscriberStatus.Unsubscribed ? LinkOutcome.AlreadyDone : LinkOutcome.Done, subscriber);
    }

    /// <summary>Unsubscribes at once (RFC 8058 one-click); doing it again changes nothing.</summary>
    public async Task<(LinkOutcome Outcome, Subscriber? Subscriber)> UnsubscribeAsync(string? token, CancellationToken cancellationToken)
    {
        if (links.VerifyUnsubscribe(token) is not { } id)
        {
            return (LinkOutcome.InvalidToken, null);
        }

        var changed = false;
        var subscriber = await subscribers.UpdateAsync(id, s =>
        {
            changed = s.Status != SubscriberStatus.Unsubscribed;
            return changed ? s with { Status = SubscriberStatus.Unsubscribed } : s;
        }, cancellationToken);
        if (changed)
        {
            LogUnsubscribed(logger, id);
        }

        return (subscriber is null ? LinkOutcome.Unknown : changed ? LinkOutcome.Done : LinkOutcome.AlreadyDone, subscriber);
    }

    /// <summary>The most days a subscriber can pause for.</summary>
    public const int MaxPauseDays = 90;

    /// <summary>
    /// A change a subscriber makes through the link in their emails (the unsubscribe token: whoever can stop the
    /// emails can also change or erase them). Saving takes the same fields and rules as subscribing; a new schedule
    /// starts from now, so that no catch-up digest is sent.
    /// </summary>
    public async Task<ManageResult> ManageAsync(string? token, ManageAction action, SubscribeRequest? request, int pauseDays, CancellationToken cancellationToken)
    {
        if (links.VerifyUnsubscribe(token) is not { } id)
        {
            return new ManageResult(LinkOutcome.InvalidToken, null);
        }

        var existing = await subscribers.GetAsync(id, cancellationToken);
        if (existing is null)
        {
            return new ManageResult(LinkOutcome.Unknown, null);
        }

        var now = time.GetUtcNow();
        Subscriber? candidate = null;
        switch (action)
        {
            case ManageAction.Erase:
                await EraseAsync(id, null, cancellationToken);
                return new ManageResult(LinkOutcome.Done, null);
            case ManageAction.Save:
                var errors = Validate((request ?? new SubscribeRequest()) with { Email = existing.Email }, out _, out candidate);
                if (errors.Count > 0)
                {
                    return new ManageResult(LinkOutcome.Done, existing, errors);
                }

                break;
            case ManageAction.Pause when pauseDays is < 1 or > MaxPauseDays:
                return new ManageResult(LinkOutcome.Done, existing, new Dictionary<string, string[]> { ["days"] = [$"Pause for 1 to {MaxPauseDays} days."] });
            default:
                break;
        }

        var updated = await subscribers.UpdateAsync(id, s => action switch
        {
            ManageAction.Save => s with
            {
                DisplayName = candidate!.DisplayName,
                TimeZone = candidate.TimeZone,
                Language = candidate.Language,
                Preferences = candidate.Preferences,
                LastDigestDueAt = DigestSchedule.LatestDue(candidate.Preferences, candidate.TimeZone, now) ?? s.LastDigestDueAt,
            },
            ManageAction.Pause => s with { PausedUntil = now.AddDays(pauseDays) },
            ManageAction.Resume => s.IsPausedAt(now) ? s with { PausedUntil = now } : s, // the pause ends now: digests start from here
            ManageAction.Resubscribe when s.Status == SubscriberStatus.Unsubscribed => s with
            {
                Status = SubscriberStatus.Active,
                DigestWatermark = now,
                LastDigestDueAt = DigestSchedule.LatestDue(s.Preferences, s.TimeZone, now),
            },
            _ => s,
        }, cancellationToken);
        LogManaged(logger, id, action);
        return new ManageResult(updated is null ? LinkOutcome.Unknown : LinkOutcome.Done, updated);
    }

    /// <summary>
    /// Erases a subscriber: their record (address, name, preferences), their delivery history and their feedback. With
    /// <paramref name="ifMatch"/>, only if the record is still at that version; false when nothing was erased. The record
    /// goes first, so that a concurrent change wins cleanly; a repeated erase finishes the delivery history.
    /// </summary>
    public async Task<bool> EraseAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        var deleted = await subscribers.DeleteAsync(id, ifMatch, cancellationToken);
        if (!deleted && await subscribers.GetAsync(id, cancellationToken) is not null)
        {
            return false; // changed since that version
        }

        await deliveries.DeleteAllAsync(id, cancellationToken);
        await feedback.DeleteAllAsync(id, cancellationToken);
        if (deleted)
        {
            LogErased(logger, id);
        }

        return deleted;
    }

    /// <summary>Checks a request; on success <paramref name="subscriber"/> is the pending subscriber it describes.</summary>
    public static Dictionary<string, string[]> Validate(SubscribeRequest request, out string? email, out Subscriber? subscriber)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        subscriber = null;
        email = EmailAddresses.Normalize(request.Email);
        if (email is null)
        {
            errors["email"] = ["A single valid email address is required."];
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length > 100 || name.Any(char.IsControl))
        {
            errors["name"] = ["The name must be one line of at most 100 characters."];
        }

        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        if (zone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors["timeZone"] = [$"Unknown time zone '{Clip(zone)}'; use an IANA id such as 'Europe/Paris'."];
        }

        var language = string.IsNullOrWhiteSpace(request.Language) ? "en" : request.Language.Trim().ToLowerInvariant();
        if (!TextCatalog.Has(language))
        {
            errors["language"] = ["The language must be one of " + string.Join(", ", TextCatalog.Languages) + "."];
        }

        var defaults = new SubscriberPreferences();
        var frequency = ParseEnum(request.Frequency, defaults.Frequency, "frequency", "none, hourly, daily or weekly", errors);
        var day = ParseEnum(request.Day, defaults.Day, "day", "a day of the week such as monday", errors);
        var severity = ParseEnum(request.MinimumSeverity, defaults.MinimumSeverity, "minimumSeverity", "watch, warning or critical", errors);
        if (severity == Severity.None && request.MinimumSeverity is not null)
        {
            errors["minimumSeverity"] = ["The minimum severity must be watch, warning or critical."];
        }

        var at = defaults.At;
        if (request.At is { } atText && !TimeOnly.TryParseExact(atText.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            errors["at"] = ["The time must be HH:mm (24-hour), e.g. 07:30."];
        }

        // Countries by ISO code or by name in any language the gazetteer knows ("TD", "Chad", "Tchad"), kept as codes.
        var codes = new Dictionary<string, string?>(StringComparer.Ordinal); // each name looked up once, to check and to keep
        string? CodeOf(string name) => codes.TryGetValue(name, out var code) ? code : codes[name] = Gazetteer.Default.FindCountry(name)?.Code;
        var countries = Items(request.Countries, "countries", errors, c => CodeOf(c) is not null, "is not a country this service knows (give its name or ISO 3166 code)")
            .Select(c => CodeOf(c) ?? c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var regions = Items(request.Regions, "regions", errors, r => Gazetteer.Default.Countries.Values.Any(c => string.Equals(c.Region, r, StringComparison.OrdinalIgnoreCase) || string.Equals(c.SubRegion, r, StringComparison.OrdinalIgnoreCase)), "is not a UN M49 region or sub-region");
        var places = Items(request.Places, "places", errors, p => PlaceGazetteer.Default.Knows(p), "is not a known city or first-level division");
        var signals = Items(request.Signals, "signals", errors, IsIdentifier, "is not a signal id");
        var lists = Items(request.Lists, "lists", errors, IsIdentifier, "is not a keyword-list name");
        Subscriptions.PendingChannel? channel = null;
        if (!string.IsNullOrWhiteSpace(request.Channel) && request.Channel != "none")
        {
            if (!Enum.TryParse<Channels.ChannelKind>(request.Channel, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || request.Channel.All(char.IsAsciiDigit))
            {
                errors["channel"] = ["The channel is webhook, slack, teams or telegram."];
            }
            else if (string.IsNullOrWhiteSpace(request.ChannelTarget) || request.ChannelTarget.Length > 2000)
            {
                errors["channelTarget"] = ["Give the channel's URL, or the Telegram chat id."];
            }
            else
            {
                channel = new Subscriptions.PendingChannel(kind, request.ChannelTarget.Trim());
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }

        subscriber = new Subscriber
        {
            Id = Subscriber.IdForEmail(email!),
            Email = email!,
            DisplayName = name,
            TimeZone = zone,
            Language = language,
            Preferences = new SubscriberPreferences
            {
                ImmediateCritical = request.ImmediateCritical ?? defaults.ImmediateCritical,
                ImmediateByEmail = request.ImmediateByEmail ?? defaults.ImmediateByEmail,
                Frequency = frequency,
                At = at,
                Day = day,
                MinimumSeverity = severity,
                Countries = countries,
                Regions = regions,
                Places = places,
                Signals = signals,
                Lists = lists,
            },
            PendingChannel = channel,
        };
        return errors;
    }

    private static T ParseEnum<T>(string? text, T fallback, string field, string expected, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) && !text.Trim().All(char.IsAsciiDigit))
        {
            return value;
        }

        errors[field] = [$"'{Clip(text)}' is not valid here: use {expected}."];
        return fallback;
    }

    private static string[] Items(IReadOnlyList<string>? items, string field, Dictionary<string, string[]> errors, Func<string, bool> valid, string problem)
    {
        if (items is null)
        {
            return [];
        }

        var trimmed = items.Select(i => i?.Trim() ?? "").Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (trimmed.Length > MaxFilterItems)
        {
            errors[field] = [$"At most {MaxFilterItems} entries."];
            return [];
        }

        var bad = trimmed.Where(i => i.Length == 0 || i.Length > 64 || !valid(i)).Select(i => $"'{Clip(i)}' {problem}.").ToArray();
        if (bad.Length > 0)
        {
            errors[field] = bad;
        }

        return trimmed;
    }

    private static bool IsIdentifier(string value) => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscriber {SubscriberId} pending confirmation")]
    private static partial void LogPending(ILogger logger, string subscriberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscriber {SubscriberId} confirmed")]
    private static partial void LogConfirmed(ILogger logger, string subscriberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscriber {SubscriberId} unsubscribed")]
    private static partial void LogUnsubscribed(ILogger logger, string subscriberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscriber {SubscriberId} changed their subscription: {Action}")]
    private static partial void LogManaged(ILogger logger, string subscriberId, ManageAction action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscriber {SubscriberId} erased")]
    private static partial void LogErased(ILogger logger, string subscriberId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribe request rate-limited")]
    private static partial void LogRateLimited(ILogger logger);
}
