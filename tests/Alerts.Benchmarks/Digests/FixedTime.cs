namespace Alerts.Benchmarks.Digests;

/// <summary>A clock that stays at one instant: every run of a sending benchmark sees the same due times and caps.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
