using Alerts.Core.Digests;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Admin;

/// <summary>What admins send to add or change a subscriber: the subscribe fields plus a status.</summary>
public sealed record SubscriberInput
{
    public SubscribeRequest Request { get; init; } = new();

    /// <summary>"pending" (a confirmation email goes out; the default for new subscribers), "active" or "unsubscribed".</summary>
    public string? Status { get; init; }
}

public enum SubscriberWriteStatus
{
    Saved,
    Invalid,
    NotFound,
    Exists,

    /// <summary>The subscriber changed since the version the caller sent (HTTP 412); a digest sent changes it too.</summary>
    Conflict,

    /// <summary>The caller sent no version (HTTP 428).</summary>
    PreconditionRequired,

    Deleted,
}

public sealed record SubscriberWriteResult(SubscriberWriteStatus Status, Subscriber? Subscriber = null, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// Subscribers for admins: paged search, add (pending with a confirmation email unless added as active), change
/// preferences or status, and erase (the record and every delivery record).
/// </summary>
public sealed class SubscriberAdmin(ISubscriberStore subscribers, ISubscriberDirectory directory, SubscriptionService subscriptions, EmailDispatcher dispatcher, SubscriptionLinks links, TimeProvider time)
{
    public Task<SubscriberPage> QueryAsync(string? search, string? continuation, int pageSize, CancellationToken cancellationToken) =>
        directory.QueryAsync(string.IsNullOrWhiteSpace(search) ? null : search, continuation, pageSize, cancellationToken);

    public Task<Subscriber?> GetAsync(string id, CancellationToken cancellationToken) => subscribers.GetAsync(id, cancellationToken);

    public async Task<SubscriberWriteResult> CreateAsync(SubscriberInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = SubscriptionService.Validate(input.Request, out _, out var candidate);
        var status = ParseStatus(input.Status, SubscriberStatus.Pending, errors);
        if (errors.Count > 0)
        {
            return new SubscriberWriteResult(SubscriberWriteStatus.Invalid, Errors: errors);
        }

        var now = time.GetUtcNow();
        var subscriber = candidate! with
        {
            Status = status,
            CreatedAt = now,
            ConfirmedAt = status == SubscriberStatus.Active ? now : null,
            DigestWatermark = now,
            LastDigestDueAt = DigestSchedule.LatestDue(candidate.Preferences, candidate.TimeZone, now),
        };
        if (!await subscribers.TryAddAsync(subscriber, cancellationToken))
        {
            return new SubscriberWriteResult(SubscriberWriteStatus.Exists, await subscribers.GetAsync(subscriber.Id, cancellationToken));
        }

        if (status == SubscriberStatus.Pending)
        {
            var confirmation = DigestRenderer.RenderConfirmation(subscriber.Language, links.Confirm(subscriber));
            var delivery = new Delivery { SubscriberId = subscriber.Id, Id = "confirm:admin:" + Guid.NewGuid().ToString("N")[..12], Kind = SubscriptionService.ConfirmationCategory };
            await dispatcher.DispatchAsync([new PlannedEmail(subscriber, delivery, confirmation)], SubscriptionService.ConfirmationCategory, (_, _) => Task.CompletedTask, null, cancellationToken);
        }

        return new SubscriberWriteResult(SubscriberWriteStatus.Saved, await subscribers.GetAsync(subscriber.Id, cancellationToken) ?? subscriber);
    }

    /// <summary>
    /// Replaces name, zone, language and preferences with the given request (the address cannot change), and the status
    /// if given; only if the subscriber is still at version <paramref name="ifMatch"/> ("*": any version).
    /// </summary>
    public async Task<SubscriberWriteResult> UpdateAsync(string id, SubscriberInput input, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ifMatch is null)
        {
            return new SubscriberWriteResult(SubscriberWriteStatus.PreconditionRequired);
        }

        var existing = await subscribers.GetAsync(id, cancellationToken);
        if (existing is null)
        {
            return new SubscriberWriteResult(SubscriberWriteStatus.NotFound);
        }

        var errors = SubscriptionService.Validate(input.Request with { Email = existing.Email }, out _, out var candidate);
        var status = ParseStatus(input.Status, existing.Status, errors);
        if (errors.Count > 0)
        {
            return new SubscriberWriteResult(SubscriberWriteStatus.Invalid, Errors: errors);
        }

        var now = time.GetUtcNow();
        var stale = false;
        var updated = await subscribers.UpdateAsync(id, s => (stale = ifMatch != "*" && s.Version != ifMatch) ? s : s with
        {
            DisplayName = candidate!.DisplayName,
            TimeZone = candidate.TimeZone,
            Language = candidate.Language,
            Preferences = candidate.Preferences,
            Status = status,
            ConfirmedAt = status == SubscriberStatus.Active && s.Status != SubscriberStatus.Active ? now : s.ConfirmedAt,
            DigestWatermark = status == SubscriberStatus.Active && s.Status != SubscriberStatus.Active ? now : s.DigestWatermark,
        }, cancellationToken);
        return updated is null ? new SubscriberWriteResult(SubscriberWriteStatus.NotFound)
            : new SubscriberWriteResult(stale ? SubscriberWriteStatus.Conflict : SubscriberWriteStatus.Saved, updated);
    }

    /// <summary>Erases the subscriber (record and delivery history), only if still at version <paramref name="ifMatch"/> ("*": any version).</summary>
    public async Task<SubscriberWriteResult> EraseAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        if (ifMatch is null)
        {
            return new SubscriberWriteResult(SubscriberWriteStatus.PreconditionRequired);
        }

        if (await subscriptions.EraseAsync(id, ifMatch == "*" ? null : ifMatch, cancellationToken))
        {
            return new SubscriberWriteResult(SubscriberWriteStatus.Deleted);
        }

        return await subscribers.GetAsync(id, cancellationToken) is { } current
            ? new SubscriberWriteResult(SubscriberWriteStatus.Conflict, current)
            : new SubscriberWriteResult(SubscriberWriteStatus.NotFound);
    }

    private static SubscriberStatus ParseStatus(string? text, SubscriberStatus fallback, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<SubscriberStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) && !text.All(char.IsAsciiDigit))
        {
            return status;
        }

        errors["status"] = ["The status must be pending, active or unsubscribed."];
        return fallback;
    }
}
