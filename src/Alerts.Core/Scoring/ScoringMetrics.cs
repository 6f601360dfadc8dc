using System.Diagnostics.Metrics;

namespace Alerts.Core.Scoring;

/// <summary>
/// Counters and the queue lag of scoring, on the meter "CrisisAlerts.Scoring": articles scored and alerts created by
/// severity, critical alerts handed to the breaking queue, and the time from an article's discovery to its score.
/// </summary>
public sealed class ScoringMetrics
{
    public const string MeterName = "CrisisAlerts.Scoring";

    private readonly Counter<long> _scored;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _breaking;
    private readonly Histogram<double> _lag;

    public ScoringMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _scored = meter.CreateCounter<long>("alerts.articles.scored", description: "Articles scored, by severity");
        _alerts = meter.CreateCounter<long>("alerts.alerts.created", description: "Alerts created (one per story), by severity");
        _breaking = meter.CreateCounter<long>("alerts.alerts.breaking", description: "Critical alerts queued for immediate sending");
        _lag = meter.CreateHistogram<double>("alerts.articles.lag", unit: "s", description: "Time from an article's discovery in its feed to its score (queue lag included)");
    }

    public void Scored(Severity severity, TimeSpan sinceDiscovery)
    {
        var tag = new KeyValuePair<string, object?>("severity", severity.ToString());
        _scored.Add(1, tag);
        _lag.Record(Math.Max(0, sinceDiscovery.TotalSeconds), tag);
    }

    public void AlertCreated(Severity severity) => _alerts.Add(1, new KeyValuePair<string, object?>("severity", severity.ToString()));

    public void BreakingQueued() => _breaking.Add(1);
}
