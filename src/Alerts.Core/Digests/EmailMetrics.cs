using System.Diagnostics.Metrics;

namespace Alerts.Core.Digests;

/// <summary>
/// Email outcomes on the meter "CrisisAlerts.Email": recipients accepted, refused and deferred by category (digest,
/// breaking, confirm), provider requests, and the time from a critical alert's detection to its acceptance.
/// </summary>
public sealed class EmailMetrics
{
    public const string MeterName = "CrisisAlerts.Email";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _breakingLag;

    public EmailMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("alerts.emails.accepted", description: "Recipients whose email the provider accepted, by category");
        _refused = meter.CreateCounter<long>("alerts.emails.refused", description: "Recipients whose email the provider refused for good, by category");
        _deferred = meter.CreateCounter<long>("alerts.emails.deferred", description: "Recipients whose email was deferred to a later run, by category");
        _requests = meter.CreateCounter<long>("alerts.emails.requests", description: "Requests made to the email provider, retries included");
        _breakingLag = meter.CreateHistogram<double>("alerts.breaking.lag", unit: "s", description: "Time from a critical alert's detection to the provider's acceptance");
    }

    public void Accepted(string category, int recipients) => _accepted.Add(recipients, Category(category));

    public void Refused(string category, int recipients) => _refused.Add(recipients, Category(category));

    public void Deferred(string category, int recipients) => _deferred.Add(recipients, Category(category));

    public void Requests(int count) => _requests.Add(count);

    public void BreakingSent(TimeSpan sinceDetection) => _breakingLag.Record(Math.Max(0, sinceDetection.TotalSeconds));

    private static KeyValuePair<string, object?> Category(string category) => new("category", category);
}
