using Alerts.Core.Admin;
using Alerts.Core.Situation;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>
/// Rolls the archive up into hours and days of activity per country and checks the hour that ended for surges and
/// silences (<see cref="ActivityRollup"/>). Every 10 minutes, at minutes 2, 12, 22 …: the map is at most 10 minutes
/// behind and an hour is checked within 12 minutes of its end. Safe to run twice: it recomputes from the archive.
/// </summary>
public sealed class RollUpActivity(ActivityRollup rollup, IRunLog runs, TimeProvider time)
{
    public const string Schedule = "0 2/10 * * * *";

    [Function(nameof(RollUpActivity))]
    public async Task<RollupOutcome> Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        _ = timer;
        var outcome = await rollup.RunAsync(cancellationToken);
        await runs.RecordAsync(new RunRecord(nameof(RollUpActivity), time.GetUtcNow(), outcome.ToString()), cancellationToken);
        return outcome;
    }
}
