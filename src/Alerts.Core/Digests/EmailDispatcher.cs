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
        int accepted = 0, already = 0, failed = 0, pending = 0, busy = 0, requests = 0;
        var retryAt = DateTimeOffset.MaxValue;
        var retryLock = new object();
        void Later(DateTimeOffset at)
        {
            lock (retryLock)
            {
                retryAt = at < retryAt ? at : retryAt;
            }
        }
        var claimed = new List<PlannedEmail>(planned.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.SendConcurrency * 2, CancellationToken = cancellationToken };

        await Parallel.ForEachAsync(planned, parallel, async (email, ct) =>
        {
            var claim = await deliveries.TryClaimAsync(email.Delivery, time.GetUtcNow(), settings.DeliveryLease, ct);
            switch (claim.Status)
            {
                case ClaimStatus.Claimed:
                    lock (claimed)
                    {
                        claimed.Add(email with { Delivery = claim.Delivery });
                    }

                    break;
                case ClaimStatus.AlreadyAccepted:
                    Interlocked.Increment(ref already);
                    await onAccepted(claim.Delivery, ct);
                    break;
                case ClaimStatus.Busy when claim.Delivery.State == DeliveryState.Deferred:
                    Interlocked.Increment(ref pending);
                    Later(claim.Delivery.ClaimedUntil);
                    break;
                case ClaimStatus.Busy:
                    // Another instance is sending it, or one that died holds the claim until its lease ends.
                    Interlocked.Increment(ref busy);
                    Later(claim.Delivery.ClaimedUntil);
                    break;
                default:
                    break;
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
                Recipients = [.. batch.Select(e => new EmailRecipient(e.Subscriber.Email, links.Unsubscribe(e.Subscriber.Id), e.Delivery.Key))],
            };
            var (result, attempts) = await SendWithRetriesAsync(message, ct);
            Interlocked.Add(ref requests, attempts);
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
                    Interlocked.Add(ref accepted, batch.Length);
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
                    Interlocked.Add(ref failed, batch.Length);
                    metrics.Refused(category, batch.Length);
                    LogRejected(logger, category, message.BatchId, batch.Length, result.Error);
                    break;
                default:
                    var deferredTo = now + (result.RetryAfter ?? settings.RetryDelay);
                    await ForEachAsync(batch, e => deliveries.CompleteAsync(e.Delivery, DeliveryState.Deferred, now, result.Error, deferredTo, ct));
                    Interlocked.Add(ref pending, batch.Length);
                    Later(deferredTo);
                    metrics.Deferred(category, batch.Length);
                    LogDeferred(logger, category, message.BatchId, batch.Length, deferredTo, result.Error);
                    break;
            }
        });

        return new DispatchReport(accepted, already, failed, pending, busy, requests) { RetryAt = retryAt == DateTimeOffset.MaxValue ? null : retryAt };
    }

    private async Task<(SendResult Result, int Attempts)> SendWithRetriesAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            var result = await sender.SendAsync(message, cancellationToken);
            if (result.Status != SendStatus.Retry)
            {
                return (result, attempt);
            }

            var wait = result.RetryAfter ?? settings.RetryDelay * Math.Pow(2, attempt - 1);
            if (attempt >= settings.MaxAttempts || wait > settings.MaxInlineWait)
            {
                return (result with { RetryAfter = wait }, attempt);
            }

            LogRetrying(logger, message.BatchId, attempt, wait, result.Error);
            await Task.Delay(wait, time, cancellationToken);
        }
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
