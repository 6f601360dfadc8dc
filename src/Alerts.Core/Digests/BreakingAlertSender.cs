using Alerts.Core.Channels;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Digests;

/// <summary>What sending one critical alert did.</summary>
public sealed record BreakingReport(int Matched, int Capped, int Accepted, int AlreadyAccepted, int Failed, int Pending, int Requests)
{
    /// <summary>Subscribers whose email waits (deferred by the provider, or claimed by another or a crashed instance).</summary>
    public int Waiting { get; init; }

    /// <summary>When the message was queued again for those, or null when nothing waits.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}

/// <summary>
/// Sends a critical alert at once to every active subscriber who turned immediate alerts on and whose filters match,
/// at most <see cref="EmailOptions.MaxImmediatePerHour"/> per subscriber per hour; over the cap the alert folds into
/// their next digest. A slot is reserved on the subscriber (atomically) before sending and the delivery is claimed, so
/// a retried message or two instances send each subscriber the alert once. When a delivery must wait (the provider
/// deferred it, or its claim is held: by another instance, or by one that crashed mid-send until the claim's lease
/// ends) the same message is queued again to come back when it can be tried; the queue's own retries (a few, seconds
/// apart) could not outlast a lease, and a completed message must never leave a claimed delivery behind. Besides email
/// (unless the subscriber turned it off for immediate alerts), the alert goes to each of the subscriber's active
/// channels, one delivery per channel, under the same slot.
/// </summary>
public sealed partial class BreakingAlertSender(
    ISubscriberStore subscribers,
    IAlertStore alerts,
    EmailDispatcher dispatcher,
    ChannelDispatcher channels,
    SubscriptionLinks links,
    IBreakingQueue queue,
    TimeProvider time,
    IOptions<EmailOptions> options,
    EmailMetrics metrics,
    ILogger<BreakingAlertSender> logger)
{
    public const string Category = "breaking";
    private const int RememberedSends = 100;

    public async Task<BreakingReport> SendAsync(BreakingAlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var alert = await alerts.GetAsync(message.StoryId, cancellationToken);
        var item = alert is not null
            ? DigestRunner.ToItem(alert) with { Severity = Severity.Critical, StoryUrl = links.Story(alert.StoryId) }
            : new DigestItem(message.StoryId, message.Title, message.Url, Severity.Critical, message.CreatedAt, message.Countries, [], [.. message.Signals.Select(id => new SignalMatch(id, id, "", 0, []))], message.Place);
        var now = time.GetUtcNow();
        var cap = options.Value.MaxImmediatePerHour;
        var planned = new List<PlannedEmail>();
        var toChannels = new List<PlannedChannelSend>();
        var rendered = new Dictionary<string, EmailContent>(StringComparer.Ordinal);
        int matched = 0, capped = 0;
        await foreach (var subscriber in subscribers.ListAsync(SubscriberStatus.Active, cancellationToken))
        {
            // Nowhere to send it (email off for immediate alerts, no active channel): no slot is taken, so the story
            // goes into the next digest instead of nowhere.
            if (!subscriber.Preferences.ImmediateCritical || subscriber.IsPausedAt(now) || !AlertFilter.Matches(item, subscriber.Preferences with { MinimumSeverity = Severity.Critical })
                || !(subscriber.Preferences.ImmediateByEmail || subscriber.Channels.Any(c => c.Active)))
            {
                continue;
            }

            matched++;
            var reserved = false;
            var updated = await subscribers.UpdateAsync(subscriber.Id, s =>
            {
                reserved = s.Immediate.Any(i => i.StoryId == message.StoryId); // a retry of this message keeps its slot
                if (reserved || s.Status != SubscriberStatus.Active || s.Immediate.Count(i => i.At > now - TimeSpan.FromHours(1)) >= cap)
                {
                    return s;
                }

                reserved = true;
                return s with { Immediate = [.. s.Immediate.TakeLast(RememberedSends - 1), new ImmediateSend(message.StoryId, now)] };
            }, cancellationToken);
            if (!reserved || updated is null)
            {
                capped++;
                continue;
            }

            if (updated.Preferences.ImmediateByEmail)
            {
                var key = updated.Language + "|" + updated.TimeZone;
                if (!rendered.TryGetValue(key, out var content))
                {
                    content = DigestRenderer.RenderBreaking(updated, item, EmailMessage.UnsubscribePlaceholder);
                    rendered[key] = content;
                }

                planned.Add(new PlannedEmail(updated, new Delivery { SubscriberId = updated.Id, Id = DeliveryId(message.StoryId), Kind = Category, StoryId = message.StoryId }, content));
            }

            foreach (var channel in updated.Channels.Where(c => c.Active))
            {
                var delivery = new Delivery { SubscriberId = updated.Id, Id = DeliveryId(message.StoryId) + ":" + channel.Id, Kind = Category, StoryId = message.StoryId };
                toChannels.Add(new PlannedChannelSend(updated, channel, delivery, ChannelRenderer.RenderAlert(channel, updated, item, delivery.Key, now, feedbackUrl: links.Feedback(updated.Id, message.StoryId))));
            }
        }

        var report = await dispatcher.DispatchAsync(
            planned,
            Category,
            (_, _) => Task.CompletedTask,
            // Refused for good: give the slot back so that the story goes into the next digest instead, unless one of the
            // subscriber's channels takes it.
            (delivery, ct) => subscribers.UpdateAsync(delivery.SubscriberId, s => s.Channels.Any(c => c.Active) ? s : s with { Immediate = [.. s.Immediate.Where(i => i.StoryId != message.StoryId)] }, ct),
            cancellationToken);
        if (toChannels.Count > 0)
        {
            report = Combine(report, await channels.DispatchAsync(toChannels, Category, cancellationToken));
        }

        LogSent(logger, message.StoryId, matched, capped, report.Accepted, report.Failed, report.Pending);
        if (report.Accepted > 0)
        {
            metrics.BreakingSent(time.GetUtcNow() - message.CreatedAt);
        }

        var waiting = report.Pending + report.Busy;
        DateTimeOffset? retryAt = null;
        if (waiting > 0)
        {
            var current = time.GetUtcNow();
            retryAt = report.RetryAt is { } at && at > current ? at + RetrySlack : current + options.Value.RetryDelay;
            await queue.EnqueueAsync(message, retryAt.Value - current, cancellationToken);
            LogRescheduled(logger, message.StoryId, waiting, retryAt.Value);
        }

        return new BreakingReport(matched, capped, report.Accepted, report.AlreadyAccepted, report.Failed, report.Pending, report.Requests) { Waiting = waiting, RetryAt = retryAt };
    }

    private static DispatchReport Combine(DispatchReport a, DispatchReport b) =>
        new(a.Accepted + b.Accepted, a.AlreadyAccepted + b.AlreadyAccepted, a.Failed + b.Failed, a.Pending + b.Pending, a.Busy + b.Busy, a.Requests + b.Requests)
        {
            RetryAt = a.RetryAt is { } x && b.RetryAt is { } y ? (x < y ? x : y) : a.RetryAt ?? b.RetryAt,
        };

    /// <summary>Past a claim's end, so that the retry finds it expired.</summary>
    private static readonly TimeSpan RetrySlack = TimeSpan.FromSeconds(1);

    /// <summary>The delivery id of an immediate alert: one per subscriber and story.</summary>
    public static string DeliveryId(string storyId) => "breaking:" + storyId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Breaking alert {StoryId}: {Waiting} deliveries wait (deferred or claimed); queued again for {RetryAt}")]
    private static partial void LogRescheduled(ILogger logger, string storyId, int waiting, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Breaking alert {StoryId}: {Matched} subscribers matched, {Capped} over the hourly cap, {Accepted} accepted, {Failed} refused, {Pending} pending")]
    private static partial void LogSent(ILogger logger, string storyId, int matched, int capped, int accepted, int failed, int pending);
}
