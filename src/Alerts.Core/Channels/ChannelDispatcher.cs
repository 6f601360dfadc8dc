using Alerts.Core.Digests;
using Alerts.Core.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Channels;

/// <summary>One message to one channel of one subscriber, with the delivery record that makes it happen at most once.</summary>
public sealed record PlannedChannelSend(Subscriber Subscriber, Channel Channel, Delivery Delivery, ChannelMessage Message);

/// <summary>
/// Sends channel messages with the guarantees email has: each delivery is claimed before sending (two instances or a
/// retried message never both send it), 429 waits for Retry-After, 5xx, timeouts and network errors back off and are
/// deferred after <see cref="EmailOptions.MaxAttempts"/>, any other answer is recorded as a refusal on the delivery and
/// on the channel (<see cref="Channel.LastError"/>). A receiver that accepted but whose answer was lost (a timeout
/// after acceptance) gets the message again on the retry unless it honours the idempotency key: the webhook carries
/// one; Slack, Teams and Telegram have none, so for them "once" holds only as far as their answers arrive.
/// </summary>
public sealed partial class ChannelDispatcher(
    IDeliveryStore deliveries,
    IChannelSender sender,
    ISubscriberStore subscribers,
    TimeProvider time,
    IOptions<EmailOptions> options,
    EmailMetrics metrics,
    ILogger<ChannelDispatcher> logger)
{
    public async Task<DispatchReport> DispatchAsync(IReadOnlyList<PlannedChannelSend> planned, string category, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        using var activity = Diagnostics.AlertsDiagnostics.Source.StartActivity("alerts.channels.send");
        activity?.SetTag("alerts.channel.category", category);
        activity?.SetTag("alerts.channel.planned", planned.Count);
        var settings = options.Value;
        var tally = new DispatchTally();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.SendConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(planned, parallel, async (send, ct) =>
        {
            if (await tally.ClaimAsync(deliveries, send.Delivery, time.GetUtcNow(), settings.DeliveryLease, null, ct) is not { } delivery)
            {
                return;
            }

            var kind = send.Channel.Kind.ToString().ToLowerInvariant();
            var (result, attempts) = await DispatchTally.SendWithRetriesAsync(
                c => SafeSendAsync(send.Channel, send.Message, c), settings, time, (attempt, wait, error) => LogRetrying(logger, kind, delivery.Key, attempt, wait, error), ct);
            tally.Requests(attempts);
            metrics.Requests(attempts);
            var now = time.GetUtcNow();
            var metricCategory = category + "." + kind;
            switch (result.Status)
            {
                case SendStatus.Accepted:
                    await deliveries.CompleteAsync(delivery, DeliveryState.Accepted, now, null, null, ct);
                    tally.Accepted(1);
                    metrics.Accepted(metricCategory, 1);
                    LogAccepted(logger, kind, delivery.Key, attempts);
                    break;
                case SendStatus.Rejected:
                    await deliveries.CompleteAsync(delivery, DeliveryState.Failed, now, result.Error, null, ct);
                    await subscribers.UpdateAsync(send.Subscriber.Id, s => s with
                    {
                        Channels = [.. s.Channels.Select(c => c.Id == send.Channel.Id ? c with { LastError = result.Error } : c)],
                    }, ct);
                    tally.Failed(1);
                    metrics.Refused(metricCategory, 1);
                    LogRejected(logger, kind, delivery.Key, result.Error);
                    break;
                default:
                    var deferredTo = now + (result.RetryAfter ?? settings.RetryDelay);
                    await deliveries.CompleteAsync(delivery, DeliveryState.Deferred, now, result.Error, deferredTo, ct);
                    tally.Deferred(1, deferredTo);
                    metrics.Deferred(metricCategory, 1);
                    LogDeferred(logger, kind, delivery.Key, deferredTo, result.Error);
                    break;
            }
        });

        return tally.Report();
    }

    /// <summary>
    /// Sends <paramref name="channel"/>'s test message once, without a delivery record (an admin or the subscriber waits
    /// for the answer): the result says whether the channel works.
    /// </summary>
    public async Task<SendResult> TestAsync(Subscriber subscriber, Channel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        var now = time.GetUtcNow();
        var message = ChannelRenderer.RenderTest(channel, subscriber.Language, subscriber.Id + "/test:" + channel.Id + ":" + now.ToUnixTimeMilliseconds(), now);
        var kind = channel.Kind.ToString().ToLowerInvariant();
        var (result, attempts) = await DispatchTally.SendWithRetriesAsync(
            c => SafeSendAsync(channel, message, c), options.Value, time, (attempt, wait, error) => LogRetrying(logger, kind, message.IdempotencyKey, attempt, wait, error), cancellationToken);
        metrics.Requests(attempts);
        return result;
    }

    /// <summary>
    /// The sender's answer, and a retry for anything unexpected it throws: one receiver's odd answer must not stop the
    /// other deliveries of the run (their claims would be left held) or the function.
    /// </summary>
    private async Task<SendResult> SafeSendAsync(Channel channel, ChannelMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var result = await sender.SendAsync(channel, message, cancellationToken);
            return result.RetryAfter is { } wait && wait > MaxWait ? result with { RetryAfter = MaxWait } : result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(logger, channel.Kind.ToString().ToLowerInvariant(), ex.GetType().Name);
            return new SendResult(SendStatus.Retry, null, "unexpected: " + ex.GetType().Name);
        }
    }

    /// <summary>The longest Retry-After honoured.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Kind}: the send failed unexpectedly ({Error}); it will be retried")]
    private static partial void LogUnexpected(ILogger logger, string kind, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Kind} {DeliveryKey} accepted after {Attempts} attempts")]
    private static partial void LogAccepted(ILogger logger, string kind, string deliveryKey, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Kind} {DeliveryKey} refused: {Error}")]
    private static partial void LogRejected(ILogger logger, string kind, string deliveryKey, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Kind} {DeliveryKey} deferred until {RetryAt}: {Error}")]
    private static partial void LogDeferred(ILogger logger, string kind, string deliveryKey, DateTimeOffset retryAt, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Kind} {DeliveryKey}: attempt {Attempt} failed ({Error}), retrying in {Wait}")]
    private static partial void LogRetrying(ILogger logger, string kind, string deliveryKey, int attempt, TimeSpan wait, string? error);
}
