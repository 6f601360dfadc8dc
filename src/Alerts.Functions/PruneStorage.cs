using Alerts.Core.Admin;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>Deletes records past their retention (options "Retention"). Schedule: app setting <c>PruneSchedule</c> (default daily at 03:30 UTC).</summary>
public sealed class PruneStorage(StoragePruner pruner, IRunLog runs, TimeProvider time)
{
    [Function(nameof(PruneStorage))]
    public async Task<IReadOnlyDictionary<string, int>> Run([TimerTrigger("%PruneSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        _ = timer;
        var deleted = await pruner.PruneAsync(cancellationToken);
        await runs.RecordAsync(new RunRecord(nameof(PruneStorage), time.GetUtcNow(), string.Join(", ", deleted.Select(d => $"{d.Key} {d.Value}"))), cancellationToken);
        return deleted;
    }
}
