using System.Globalization;
using System.Net.Http.Headers;

namespace Alerts.Infrastructure.Http;

/// <summary>How long a receiver asked us to wait: Retry-After (seconds or a date), or X-RateLimit-Reset (Unix time).</summary>
public static class RetryAfterHeader
{
    /// <summary>The longest wait a receiver can ask for: a day (a larger or absurd value is read as this).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static TimeSpan? From(HttpResponseHeaders? headers, TimeProvider time)
    {
        var wait = Read(headers, time);
        return wait is { } w && w > Longest ? Longest : wait;
    }

    private static TimeSpan? Read(HttpResponseHeaders? headers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (headers is null)
        {
            return null;
        }

        if (headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (headers.RetryAfter?.Date is { } date)
        {
            return Positive(date - time.GetUtcNow());
        }

        // SendGrid's and others' rate limit headers: X-RateLimit-Reset is the Unix time when the window resets.
        if (headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset)
            && reset is >= 0 and <= 253_402_300_799) // DateTimeOffset's range: anything else is nonsense
        {
            return Positive(DateTimeOffset.FromUnixTimeSeconds(reset) - time.GetUtcNow());
        }

        return null;
    }

    private static TimeSpan Positive(TimeSpan value) => value > TimeSpan.Zero ? value : TimeSpan.Zero;
}
