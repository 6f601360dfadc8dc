using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Ingestion;

/// <summary>What one poll did.</summary>
public sealed record PollSummary(int Due, int Enqueued, int ClaimedElsewhere)
{
    /// <summary>As a person reads it in health and logs: "3 feeds due, 3 queued, 0 taken by another instance".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Due} feeds due, {Enqueued} queued for fetching, {ClaimedElsewhere} taken by another instance");
}

/// <summary>
/// Picks the feeds that are due and queues one fetch for each. Each feed is first claimed by moving its next due time
/// forward one interval with an optimistic-concurrency write, so a double timer fire, a catch-up run or a second
/// instance never queues the same feed twice within its interval. The poller itself fetches nothing.
/// </summary>
public sealed partial class FeedPoller(
    IFeedRegistry registry,
    IFeedFetchQueue queue,
    TimeProvider time,
    IOptions<IngestionOptions> options,
    IngestionMetrics metrics,
    ILogger<FeedPoller> logger)
{
    public async Task<PollSummary> PollAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        int due = 0, enqueued = 0, elsewhere = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.PollParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(registry.ListDueAsync(now, cancellationToken), parallel, async (feed, ct) =>
        {
            Interlocked.Increment(ref due);
            var interval = feed.PollInterval < settings.MinPollInterval ? settings.MinPollInterval : feed.PollInterval;
            if (await registry.TryClaimAsync(feed, now + interval, ct) is not { } version)
            {
                Interlocked.Increment(ref elsewhere);
                return;
            }

            await queue.EnqueueAsync(new FeedFetchMessage(feed.Id, feed.Url, now, FeedFetchState.Of(feed, version, now + interval)), ct);
            Interlocked.Increment(ref enqueued);
        });

        metrics.FeedsEnqueued(enqueued);
        LogPolled(logger, due, enqueued, elsewhere);
        return new PollSummary(due, enqueued, elsewhere);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Poll found {Due} due feeds, queued {Enqueued}, {ClaimedElsewhere} already claimed")]
    private static partial void LogPolled(ILogger logger, int due, int enqueued, int claimedElsewhere);
}
