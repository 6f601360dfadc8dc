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
            var confirmation = DigestRenderer.RenderConfirmation(subscriber.Language, links.Confirm(subscriber.Id));
            var delivery = new Delivery { SubscriberId = subscriber.Id, Id = "confirm:admin:" + Guid.NewGuid().ToString("N")[..12], Kind = SubscriptionService.ConfirmationCategory };
            await dispatcher.DispatchAsync([new PlannedEmail(subscriber, delivery, confirmation)], SubscriptionService.ConfirmationCategory, (_, _) => Task.CompletedTask, null, cancellationToken);
        }

        return new SubscriberWriteResult(SubscriberWriteStatus.Saved, subscriber);
    }

    /// <summary>Replaces name, zone, language and preferences with the given request (the address cannot change), and the status if given.</summary>
    public async Task<SubscriberWriteResult> UpdateAsync(string id, SubscriberInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
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
        var updated = await subscribers.UpdateAsync(id, s => s with
        {
            DisplayName = candidate!.DisplayName,
            TimeZone = candidate.TimeZone,
            Language = candidate.Language,
            Preferences = candidate.Preferences,
            Status = status,
            ConfirmedAt = status == SubscriberStatus.Active && s.Status != SubscriberStatus.Active ? now : s.ConfirmedAt,
            DigestWatermark = status == SubscriberStatus.Active && s.Status != SubscriberStatus.Active ? now : s.DigestWatermark,
        }, cancellationToken);
        return updated is null ? new SubscriberWriteResult(SubscriberWriteStatus.NotFound) : new SubscriberWriteResult(SubscriberWriteStatus.Saved, updated);
    }

    public Task<bool> EraseAsync(string id, CancellationToken cancellationToken) => subscriptions.EraseAsync(id, cancellationToken);

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
