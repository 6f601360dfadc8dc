namespace Alerts.Core.Ingestion;

/// <summary>
/// When to fetch a feed next. Healthy feeds wait their interval, stretched by Cache-Control max-age or RSS ttl;
/// failing feeds back off exponentially; Retry-After is honoured; every wait is clamped to [MinPollInterval, MaxDelay].
/// </summary>
public static class FeedSchedule
{
    /// <summary>The wait after a successful (200 or 304) fetch.</summary>
    public static TimeSpan AfterSuccess(IngestionOptions options, TimeSpan interval, TimeSpan? maxAge, TimeSpan? ttl)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wait = interval;
        if (maxAge > wait)
        {
            wait = maxAge.Value;
        }

        if (ttl > wait)
        {
            wait = ttl.Value;
        }

        return Clamp(options, wait);
    }

    /// <summary>The wait after the <paramref name="consecutiveFailures"/>-th failure in a row (1 for the first).</summary>
    public static TimeSpan AfterFailure(IngestionOptions options, TimeSpan interval, int consecutiveFailures, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 20);
        var backoff = interval.Ticks * Math.Pow(2, exponent);
        var wait = backoff >= options.MaxDelay.Ticks ? options.MaxDelay : TimeSpan.FromTicks((long)backoff);
        if (retryAfter > wait)
        {
            wait = retryAfter.Value;
        }

        return Clamp(options, wait);
    }

    private static TimeSpan Clamp(IngestionOptions options, TimeSpan wait) =>
        wait < options.MinPollInterval ? options.MinPollInterval : wait > options.MaxDelay ? options.MaxDelay : wait;
}
