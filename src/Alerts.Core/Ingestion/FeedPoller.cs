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
/// forward one interval with an optimistic-concurrency write (up to <see cref="FeedClaim.MaxPerRequest"/> feeds a
/// request), so a double timer fire, a catch-up run or a second instance never queues the same feed twice within its
/// interval. The poller itself fetches nothing.
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
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.PollParallelism };
        var claims = new List<FeedClaim>(FeedClaim.MaxPerRequest);
        async Task ClaimAndQueueAsync()
        {
            due += claims.Count;
            var versions = await registry.TryClaimAsync(claims, cancellationToken);
            var claimed = claims.Zip(versions).Where(c => c.Second is not null).ToList();
            elsewhere += claims.Count - claimed.Count;
            // Claimed feeds are queued even when the poll is cancelled meanwhile: a claimed feed left unqueued waits a whole
            // interval.
            await Parallel.ForEachAsync(claimed, parallel, async (c, _) =>
            {
                var (claim, version) = c;
                await queue.EnqueueAsync(new FeedFetchMessage(claim.Feed.Id, claim.Feed.Url, now, FeedFetchState.Of(claim.Feed, version!, claim.NextDueAt)), CancellationToken.None);
                Interlocked.Increment(ref enqueued);
            });
            claims.Clear();
        }

        await foreach (var feed in registry.ListDueAsync(now, cancellationToken))
        {
            var interval = feed.PollInterval < settings.MinPollInterval ? settings.MinPollInterval : feed.PollInterval;
            claims.Add(new FeedClaim(feed, now + interval));
            if (claims.Count == FeedClaim.MaxPerRequest)
            {
                await ClaimAndQueueAsync();
            }
        }

        if (claims.Count > 0)
        {
            await ClaimAndQueueAsync();
        }

        metrics.FeedsEnqueued(enqueued);
        LogPolled(logger, due, enqueued, elsewhere);
        return new PollSummary(due, enqueued, elsewhere);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Poll found {Due} due feeds, queued {Enqueued}, {ClaimedElsewhere} already claimed")]
    private static partial void LogPolled(ILogger logger, int due, int enqueued, int claimedElsewhere);
}
