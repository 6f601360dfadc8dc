using Alerts.Core.Admin;
using Alerts.Core.Digests;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>
/// Sends the digests that are due in each subscriber's own time zone. Schedule: app setting <c>DigestSchedule</c>
/// (default every 15 minutes). Safe on many instances and when fired twice: each digest window is claimed once.
/// </summary>
public sealed class SendDigests(DigestRunner runner, IRunLog runs, TimeProvider time)
{
    [Function(nameof(SendDigests))]
    public async Task<DigestRunReport> Run([TimerTrigger("%DigestSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        _ = timer; // due-ness comes from each subscriber's schedule and last delivered window, not from the timer's status
        var report = await runner.RunAsync(cancellationToken);
        await runs.RecordAsync(new RunRecord(nameof(SendDigests), time.GetUtcNow(), report.ToString()), cancellationToken);
        return report;
    }
}
