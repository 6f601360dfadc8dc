using Alerts.Core.Admin;
using Alerts.Core.Digests;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Microsoft.Extensions.Logging;

namespace Alerts.Infrastructure.Local;

/// <summary>What one local cycle did.</summary>
public sealed record CycleSummary
{
    public int FeedsDue { get; init; }
    public int Fetched { get; init; }
    public int NotModified { get; init; }
    public int Failed { get; init; }
    public IReadOnlyList<string> Failures { get; init; } = [];
    public int NewArticles { get; init; }
    public int Scored { get; init; }
    public IReadOnlyDictionary<Severity, int> NewAlerts { get; init; } = new Dictionary<Severity, int>();
    public int BreakingEmails { get; init; }
    public int DigestEmails { get; init; }
    public int EmailsRefused { get; init; }
    public int EmailsWaiting { get; init; }

    /// <summary>The feed that took longest to fetch in this cycle, and how long; null when nothing was fetched.</summary>
    public (string Feed, TimeSpan Took)? Slowest { get; init; }

    /// <summary>Stopped early (Ctrl+C): what was left stays queued for the next run.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Nothing was due and nothing was queued: a cycle with nothing to report.</summary>
    public bool Idle => FeedsDue == 0 && Fetched + NotModified + Failed + NewArticles + Scored + BreakingEmails + DigestEmails + EmailsRefused + EmailsWaiting == 0;
}

/// <summary>
/// One cycle of the whole pipeline in one process, with the same services and in the same order as the Functions:
/// PollFeeds, FetchFeed for every queued feed, ScoreArticle for every queued article, RollUpActivity, SendBreakingAlerts for every
/// critical story, then SendDigests. Once <c>stopping</c> is signalled it takes no new message, finishes the ones in
/// hand, and leaves the rest queued (journaled) for the next run.
/// </summary>
public sealed partial class LocalPipeline(
    FeedPoller poller,
    FeedIngestor ingestor,
    ArticleScorer scorer,
    BreakingAlertSender breaking,
    DigestRunner digests,
    Alerts.Core.Situation.ActivityRollup rollup,
    LocalQueues queues,
    IFeedRegistry registry,
    IRunLog runs,
    TimeProvider time,
    ILogger<LocalPipeline> logger)
{
    // Fetches wait on the network: eight at a time. Scoring works the processor and the one store connection: one per core.
    private const int Parallelism = 8;

    public async Task<CycleSummary> RunCycleAsync(bool everyDigestDue, IProgress<string>? progress, CancellationToken stopping)
    {
        var none = CancellationToken.None; // work in hand always finishes: a stop only keeps new work from starting
        var poll = stopping.IsCancellationRequested ? new PollSummary(0, 0, 0) : await poller.PollAsync(none);
        await runs.RecordAsync(new RunRecord("PollFeeds", time.GetUtcNow(), poll.ToString()), none);

        int fetched = 0, notModified = 0, failed = 0, newArticles = 0, done = 0;
        var failures = new List<string>();
        var fetches = queues.Pending(LocalQueues.Fetches).ToList(); // one per feed; articles are read a page at a time
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        (string Feed, TimeSpan Took)? slowest = null;
        using var fetching = new CancellationTokenSource();
        var heartbeat = progress is null || fetches.Count == 0 ? Task.CompletedTask : HeartbeatAsync(inFlight, fetches.Count, () => Volatile.Read(ref done), progress, fetching.Token);
        await Parallel.ForEachAsync(fetches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (item, _) =>
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            var fetch = item.Message.Fetch!;
            var started = time.GetTimestamp();
            inFlight[fetch.Url] = started;
            var result = await ingestor.IngestAsync(fetch, none);
            inFlight.TryRemove(fetch.Url, out long _);
            var took = time.GetElapsedTime(started);
            queues.Complete(item.Key);
            string line;
            switch (result.Outcome)
            {
                case IngestOutcome.Fetched:
                    Interlocked.Increment(ref fetched);
                    line = $"{result.NewArticles} new of {result.Items} items";
                    break;
                case IngestOutcome.NotModified:
                    Interlocked.Increment(ref notModified);
                    line = "not modified";
                    break;
                case IngestOutcome.Failed or IngestOutcome.Disabled:
                    Interlocked.Increment(ref failed);
                    line = "failed: " + result.Error;
                    lock (failures)
                    {
                        failures.Add($"{fetch.Url}: {result.Error}");
                    }

                    break;
                default:
                    line = result.Outcome.ToString().ToLowerInvariant();
                    break;
            }

            Interlocked.Add(ref newArticles, result.NewArticles);
            lock (failures)
            {
                if (slowest is null || took > slowest.Value.Took)
                {
                    slowest = (fetch.Url, took);
                }
            }

            progress?.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Interlocked.Increment(ref done)}/{fetches.Count}] {fetch.Url}: {line} ({took.TotalSeconds:0.0} s)"));
        });
        await fetching.CancelAsync();
        await heartbeat;

        var alerts = Enum.GetValues<Severity>().ToDictionary(s => s, _ => 0);
        var scored = 0;
        await Parallel.ForEachAsync(queues.Pending(LocalQueues.Articles), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (item, _) =>
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            var outcome = await scorer.ScoreAsync(item.Message.Article!, none);
            queues.Complete(item.Key);
            Interlocked.Increment(ref scored);
            if (outcome.AlertCreated)
            {
                lock (alerts)
                {
                    alerts[outcome.Article.Result.Severity]++;
                }
            }
        });

        // The map, country pages and the surge and silence checks, as the RollUpActivity timer does in Azure.
        if (!stopping.IsCancellationRequested)
        {
            try
            {
                var rolled = await rollup.RunAsync(none);
                await runs.RecordAsync(new RunRecord("RollUpActivity", time.GetUtcNow(), rolled.ToString()), none);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The map and trends wait for the next cycle; alerts and digests go out now.
                LogRollupFailed(logger, ex);
            }
        }

        int breakingEmails = 0, refused = 0, waiting = 0;
        foreach (var item in queues.Pending(LocalQueues.Breaking))
        {
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            // Deliveries that must wait come back as a delayed copy of the message (queued again by the sender).
            var report = await breaking.SendAsync(item.Message.Breaking!, none);
            queues.Complete(item.Key);
            breakingEmails += report.Accepted;
            refused += report.Failed;
            waiting += report.Waiting;
        }

        if (waiting > 0)
        {
            LogWaiting(logger, waiting);
        }

        var digest = stopping.IsCancellationRequested ? null : await digests.RunAsync(none, everyDigestDue);
        if (digest is not null)
        {
            await runs.RecordAsync(new RunRecord("SendDigests", time.GetUtcNow(), digest.ToString()), none);
        }

        return new CycleSummary
        {
            FeedsDue = poll.Due,
            Fetched = fetched,
            NotModified = notModified,
            Failed = failed,
            Failures = failures,
            NewArticles = newArticles,
            Scored = scored,
            NewAlerts = alerts,
            BreakingEmails = breakingEmails,
            DigestEmails = digest?.Accepted ?? 0,
            EmailsRefused = refused + (digest?.Failed ?? 0),
            EmailsWaiting = waiting + (digest?.Pending ?? 0),
            Slowest = slowest,
            Interrupted = stopping.IsCancellationRequested,
        };
    }

    /// <summary>While fetches run, every few seconds: how many are done and the one that has waited longest so far.</summary>
    private async Task HeartbeatAsync(System.Collections.Concurrent.ConcurrentDictionary<string, long> inFlight, int total, Func<int> done, IProgress<string> progress, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(HeartbeatInterval, time, stop);
                var oldest = inFlight.ToArray().OrderBy(p => p.Value).FirstOrDefault();
                if (oldest.Key is not null)
                {
                    progress.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"... {done()}/{total} feeds done, {inFlight.Count} in progress; slowest so far: {oldest.Key} ({time.GetElapsedTime(oldest.Value).TotalSeconds:0} s)"));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>How often a cycle says how its fetches are going while they run.</summary>
    public static TimeSpan HeartbeatInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The feeds in the registry (for the summary and tests).</summary>
    public IAsyncEnumerable<FeedRecord> FeedsAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "The activity roll-up failed; the map and the surge and silence checks are tried again next cycle")]
    private static partial void LogRollupFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Waiting} immediate alerts must wait (deferred by the provider, or claimed by an interrupted run until its lease ends); they are tried again when due")]
    private static partial void LogWaiting(ILogger logger, int waiting);
}
