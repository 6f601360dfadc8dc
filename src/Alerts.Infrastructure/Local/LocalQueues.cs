using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Infrastructure.Memory;

namespace Alerts.Infrastructure.Local;

/// <summary>
/// The three queues of the pipeline inside one process, stored: a message stays stored until it has been handled, so
/// an interrupted run (Ctrl+C, a crash) picks up where it stopped. With <paramref name="textInContentStore"/> (the
/// embedded store, where the ingestor has saved each article before queueing it), an article's message is stored
/// without its text, which the scorer reads from the article store: one stored copy of each text.
/// </summary>
public sealed class LocalQueues(TimeProvider time, IRecordTables? tables = null, bool textInContentStore = false)
    : RecordCollection<LocalQueues.Message>(tables, "queue"), IFeedFetchQueue, IArticleQueue, IBreakingQueue, Alerts.Core.Admin.IQueueDepths
{
    public bool CarriesText => !textInContentStore;

    /// <summary>A queued message: which queue, its order, and one of the payloads.</summary>
    public sealed record Message(string Queue, long Sequence, FeedFetchMessage? Fetch = null, ArticleMessage? Article = null, BreakingAlertMessage? Breaking = null)
    {
        /// <summary>Not handed out before this time (a delayed message).</summary>
        public DateTimeOffset? NotBefore { get; init; }
    }

    public const string Fetches = "feed-fetch";
    public const string Articles = "articles";
    public const string Breaking = "breaking";

    private long _sequence = DateTimeOffset.UnixEpoch.Ticks;

    public Task EnqueueAsync(FeedFetchMessage message, CancellationToken cancellationToken) => Add(new Message(Fetches, Next(), Fetch: message));

    public Task EnqueueAsync(ArticleMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Add(new Message(Articles, Next(), Article: textInContentStore ? message with { Content = "", ContentTruncated = true } : message));
    }

    public Task EnqueueAsync(BreakingAlertMessage message, CancellationToken cancellationToken) => Add(new Message(Breaking, Next(), Breaking: message));

    public Task EnqueueAsync(BreakingAlertMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        Add(new Message(Breaking, Next(), Breaking: message) { NotBefore = time.GetUtcNow() + delay });

    /// <summary>The messages of one queue that are due now, oldest first, with their keys, read a page at a time.</summary>
    public IEnumerable<(string Key, Message Message)> Pending(string queue)
    {
        var now = time.GetUtcNow();
        return Scan(queue + "/").Where(r => r.Item.NotBefore is null || r.Item.NotBefore <= now);
    }

    public int Waiting(string queue) => (int)CountPrefix(queue + "/");

    public Task<IReadOnlyDictionary<string, int>> GetAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(new[] { Fetches, Articles, Breaking }.ToDictionary(q => q, Waiting, StringComparer.Ordinal));

    /// <summary>The message was handled: it leaves the queue.</summary>
    public void Complete(string key) => Remove(key);

    private Task Add(Message message)
    {
        Put(Key(message), message);
        return Task.CompletedTask;
    }

    private long Next()
    {
        // Monotonic across runs: the first message of a run sorts after anything an earlier run left.
        var now = time.GetUtcNow().Ticks;
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _sequence);
            next = Math.Max(seen + 1, now);
        }
        while (Interlocked.CompareExchange(ref _sequence, next, seen) != seen);
        return next;
    }

    private static string Key(Message m) => m.Queue + "/" + m.Sequence.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
}
