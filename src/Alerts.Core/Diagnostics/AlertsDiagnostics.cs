using System.Diagnostics;

namespace Alerts.Core.Diagnostics;

/// <summary>
/// The service's own telemetry names: one <see cref="ActivitySource"/> for spans around fetching, scoring and sending,
/// and the meters of each area. Hosts export whatever is listed here (OpenTelemetry in the Functions app).
/// </summary>
public static class AlertsDiagnostics
{
    /// <summary>The activity source of fetch, score and send spans.</summary>
    public const string SourceName = "CrisisAlerts";

    /// <summary>Spans: <c>alerts.fetch</c>, <c>alerts.score</c>, <c>alerts.send</c>.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Every meter of the service.</summary>
    public static IReadOnlyList<string> MeterNames { get; } =
        [Ingestion.IngestionMetrics.MeterName, Scoring.ScoringMetrics.MeterName, Digests.EmailMetrics.MeterName];
}
