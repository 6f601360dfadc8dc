using Alerts.Core.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Digests;

/// <summary>One email to one subscriber, with the delivery record that makes it happen at most once.</summary>
public sealed record PlannedEmail(Subscriber Subscriber, Delivery Delivery, EmailContent Content);

/// <summary>What a dispatch did. <see cref="Pending"/> counts deliveries that still have to go out (deferred, or held by a deferral).</summary>
public sealed record DispatchReport(int Accepted, int AlreadyAccepted, int Failed, int Pending, int Busy, int Requests)
{
    /// <summary>When the earliest deferred or busy delivery can be tried again; null when none is left.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}

/// <summary>
/// Sends planned emails exactly once as far as email allows: each delivery is claimed in the delivery store before
/// sending (so two instances or a retried message never both send it), recipients of identical content share one
/// request (up to <see cref="EmailOptions.MaxRecipientsPerRequest"/>), 429 waits for Retry-After, 5xx and timeouts back
/// off exponentially and are deferred to a later run after <see cref="EmailOptions.MaxAttempts"/>, other 4xx are
/// recorded as failures. A delivery already accepted is never sent again; its bookkeeping is finished instead.
/// </summary>
public sealed partial class EmailDispatcher(
    IDeliveryStore deliveries,
    IEmailSender sender,
    SubscriptionLinks links,
    TimeProvider time,
    IOptions<EmailOptions> options,
    EmailMetrics metrics,
    ILogger<EmailDispatcher> logger)
{
    /// <summary>
    /// Claims, batches and sends <paramref name="planned"/>. <paramref name="onAccepted"/> runs once the provider accepted
    /// a delivery (or it was found accepted earlier): move watermarks there. <paramref name="onFailed"/> runs when the
    /// provider refused a delivery for good.
    /// </summary>
    public async Task<DispatchReport> DispatchAsync(
        IReadOnlyList<PlannedEmail> planned,
        string category,
        Func<Delivery, CancellationToken, Task> onAccepted,
        Func<Delivery, CancellationToken, Task>? onFailed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(onAccepted);
        using var activity = Diagnostics.AlertsDiagnostics.Source.StartActivity("alerts.send");
        activity?.SetTag("alerts.email.category", category);
        activity?.SetTag("alerts.email.planned", planned.Count);
        var settings = options.Value;
        var tally = new DispatchTally();
        var claimed = new List<PlannedEmail>(planned.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.SendConcurrency * 2, CancellationToken = cancellationToken };

        await Parallel.ForEachAsync(planned, parallel, async (email, ct) =>
        {
            if (await tally.ClaimAsync(deliveries, email.Delivery, time.GetUtcNow(), settings.DeliveryLease, onAccepted, ct) is { } delivery)
            {
                lock (claimed)
                {
                    claimed.Add(email with { Delivery = delivery });
                }
            }
        });

        // Identical content (same items, language and zone) goes out once to up to MaxRecipientsPerRequest recipients.
        var batches = claimed
            .GroupBy(e => (e.Content.Subject, e.Content.Html, e.Content.Text))
            .SelectMany(g => g.OrderBy(e => e.Subscriber.Id, StringComparer.Ordinal).Chunk(settings.MaxRecipientsPerRequest))
            .ToList();

        parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.SendConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(batches, parallel, async (batch, ct) =>
        {
            var message = new EmailMessage
            {
                From = settings.FromAddress,
                FromName = settings.FromName,
                Content = batch[0].Content,
                Category = category,
                BatchId = batch[0].Delivery.Id,
                Recipients = [.. batch.Select(e => new EmailRecipient(e.Subscriber.Email, links.Unsubscribe(e.Subscriber.Id), e.Delivery.Key, links.Preferences(e.Subscriber.Id)))],
            };
            var (result, attempts) = await DispatchTally.SendWithRetriesAsync(c => sender.SendAsync(message, c), settings, time, (attempt, wait, error) => LogRetrying(logger, message.BatchId, attempt, wait, error), ct);
            tally.Requests(attempts);
            metrics.Requests(attempts);
            var now = time.GetUtcNow();
            switch (result.Status)
            {
                case SendStatus.Accepted:
                    await ForEachAsync(batch, async e =>
                    {
                        await deliveries.CompleteAsync(e.Delivery, DeliveryState.Accepted, now, null, null, ct);
                        await onAccepted(e.Delivery with { State = DeliveryState.Accepted, AcceptedAt = now }, ct);
                    });
                    tally.Accepted(batch.Length);
                    metrics.Accepted(category, batch.Length);
                    LogAccepted(logger, category, message.BatchId, batch.Length, attempts);
                    break;
                case SendStatus.Rejected:
                    await ForEachAsync(batch, async e =>
                    {
                        await deliveries.CompleteAsync(e.Delivery, DeliveryState.Failed, now, result.Error, null, ct);
                        if (onFailed is not null)
                        {
                            await onFailed(e.Delivery with { State = DeliveryState.Failed, Error = result.Error }, ct);
                        }
                    });
                    tally.Failed(batch.Length);
                    metrics.Refused(category, batch.Length);
                    LogRejected(logger, category, message.BatchId, batch.Length, result.Error);
                    break;
                default:
                    var deferredTo = now + (result.RetryAfter ?? settings.RetryDelay);
                    await ForEachAsync(batch, e => deliveries.CompleteAsync(e.Delivery, DeliveryState.Deferred, now, result.Error, deferredTo, ct));
                    tally.Deferred(batch.Length, deferredTo);
                    metrics.Deferred(category, batch.Length);
                    LogDeferred(logger, category, message.BatchId, batch.Length, deferredTo, result.Error);
                    break;
            }
        });

        return tally.Report();
    }

    private static async Task ForEachAsync(PlannedEmail[] batch, Func<PlannedEmail, Task> action)
    {
        foreach (var chunk in batch.Chunk(16))
        {
            await Task.WhenAll(chunk.Select(action));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Category} {BatchId} accepted for {Recipients} recipients after {Attempts} attempts")]
    private static partial void LogAccepted(ILogger logger, string category, string batchId, int recipients, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Category} {BatchId} refused for {Recipients} recipients: {Error}")]
    private static partial void LogRejected(ILogger logger, string category, string batchId, int recipients, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Category} {BatchId} for {Recipients} recipients deferred until {RetryAt}: {Error}")]
    private static partial void LogDeferred(ILogger logger, string category, string batchId, int recipients, DateTimeOffset retryAt, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {BatchId}: attempt {Attempt} failed ({Error}), retrying in {Wait}")]
    private static partial void LogRetrying(ILogger logger, string batchId, int attempt, TimeSpan wait, string? error);
}
