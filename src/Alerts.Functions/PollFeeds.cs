using Alerts.Core.Admin;
using Alerts.Core.Ingestion;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>Queues a fetch for every feed that is due. Schedule: app setting <c>PollSchedule</c> (default every 5 minutes).</summary>
public sealed class PollFeeds(FeedPoller poller, IRunLog runs, TimeProvider time)
{
    [Function(nameof(PollFeeds))]
    public async Task<PollSummary> Run([TimerTrigger("%PollSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // ScheduleStatus may be null (first run, or no storage for the schedule monitor); nothing here depends on it:
        // each feed's own next-due time decides, so a late or doubled fire cannot queue a feed twice.
        _ = timer;
        var summary = await poller.PollAsync(cancellationToken);
        await runs.RecordAsync(new RunRecord(nameof(PollFeeds), time.GetUtcNow(), summary.ToString()), cancellationToken);
        return summary;
    }
}
