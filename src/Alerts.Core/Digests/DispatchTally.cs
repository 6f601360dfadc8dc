namespace Alerts.Core.Digests;

/// <summary>
/// The bookkeeping every dispatcher shares (email and channels): claiming deliveries and counting what the claims and
/// sends found, and sending with inline retries. Thread-safe: dispatchers claim and send in parallel.
/// </summary>
internal sealed class DispatchTally
{
    private readonly object _gate = new();
    private int _accepted, _already, _failed, _pending, _busy, _requests;
    private DateTimeOffset _retryAt = DateTimeOffset.MaxValue;

    /// <summary>
    /// Claims <paramref name="delivery"/>: the claimed record when this caller should send, otherwise null after counting
    /// why (already accepted: <paramref name="onAccepted"/> finishes its bookkeeping; deferred or held elsewhere: counted
    /// with the time it can be tried again).
    /// </summary>
    public async Task<Delivery?> ClaimAsync(IDeliveryStore deliveries, Delivery delivery, DateTimeOffset now, TimeSpan lease, Func<Delivery, CancellationToken, Task>? onAccepted, CancellationToken cancellationToken)
    {
        var claim = await deliveries.TryClaimAsync(delivery, now, lease, cancellationToken);
        switch (claim.Status)
        {
            case ClaimStatus.Claimed:
                return claim.Delivery;
            case ClaimStatus.AlreadyAccepted:
                Interlocked.Increment(ref _already);
                if (onAccepted is not null)
                {
                    await onAccepted(claim.Delivery, cancellationToken);
                }

                return null;
            case ClaimStatus.Busy when claim.Delivery.State == DeliveryState.Deferred:
                Interlocked.Increment(ref _pending);
                Later(claim.Delivery.ClaimedUntil);
                return null;
            case ClaimStatus.Busy:
                // Another instance is sending it, or one that died holds the claim until its lease ends.
                Interlocked.Increment(ref _busy);
                Later(claim.Delivery.ClaimedUntil);
                return null;
            default:
                return null;
        }
    }

    public void Accepted(int count) => Interlocked.Add(ref _accepted, count);

    public void Failed(int count) => Interlocked.Add(ref _failed, count);

    public void Requests(int count) => Interlocked.Add(ref _requests, count);

    /// <summary>Counts <paramref name="count"/> deliveries deferred until <paramref name="at"/>.</summary>
    public void Deferred(int count, DateTimeOffset at)
    {
        Interlocked.Add(ref _pending, count);
        Later(at);
    }

    public DispatchReport Report() =>
        new(_accepted, _already, _failed, _pending, _busy, _requests) { RetryAt = _retryAt == DateTimeOffset.MaxValue ? null : _retryAt };

    private void Later(DateTimeOffset at)
    {
        lock (_gate)
        {
            _retryAt = at < _retryAt ? at : _retryAt;
        }
    }

    /// <summary>
    /// Sends until accepted or refused, waiting Retry-After (or an exponential delay from <see cref="EmailOptions.RetryDelay"/>)
    /// between attempts; gives up after <see cref="EmailOptions.MaxAttempts"/> or when the wait exceeds
    /// <see cref="EmailOptions.MaxInlineWait"/>, returning the Retry result with the wait it asked for.
    /// </summary>
    public static async Task<(SendResult Result, int Attempts)> SendWithRetriesAsync(
        Func<CancellationToken, Task<SendResult>> send, EmailOptions settings, TimeProvider time, Action<int, TimeSpan, string?> onRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await send(cancellationToken);
            if (result.Status != SendStatus.Retry)
            {
                return (result, attempt);
            }

            var wait = result.RetryAfter ?? settings.RetryDelay * Math.Pow(2, attempt - 1);
            if (attempt >= settings.MaxAttempts || wait > settings.MaxInlineWait)
            {
                return (result with { RetryAfter = wait }, attempt);
            }

            onRetry(attempt, wait, result.Error);
            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
