using Alerts.Core.Feeds;

namespace Alerts.Core.Ingestion;

/// <summary>The feed registry (Azure Tables in production).</summary>
public interface IFeedRegistry
{
    Task<FeedRecord?> GetAsync(string id, CancellationToken cancellationToken);

    IAsyncEnumerable<FeedRecord> ListAsync(CancellationToken cancellationToken);

    /// <summary>Enabled feeds whose <see cref="FeedRecord.NextDueAt"/> is at or before <paramref name="now"/>.</summary>
    IAsyncEnumerable<FeedRecord> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds a feed; false when a feed with that id already exists (which is left unchanged).</summary>
    Task<bool> AddAsync(FeedRecord feed, CancellationToken cancellationToken);

    /// <summary>
    /// Moves each feed's next due time forward if nobody changed its record since it was read: the records' new versions in
    /// the order of <paramref name="claims"/>, null for a feed another poller (or a fetch) got to first. Azure claims up to
    /// <see cref="FeedClaim.MaxPerRequest"/> feeds in one request.
    /// </summary>
    Task<IReadOnlyList<string?>> TryClaimAsync(IReadOnlyList<FeedClaim> claims, CancellationToken cancellationToken);

    /// <summary>
    /// Writes what a 304 changes (<see cref="FeedRecord.NotModifiedFields"/> of <paramref name="updated"/>) if the record
    /// is still at <paramref name="updated"/>'s version, in one request without reading it; false when nothing was written
    /// (the record changed, or the store reads as cheaply as it writes), and the caller reads and updates as usual.
    /// </summary>
    Task<bool> TryRecordNotModifiedAsync(FeedRecord updated, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the current record, re-reading and re-applying on a conflicting write.</summary>
    Task<FeedRecord?> UpdateAsync(string id, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="UpdateAsync"/>, starting from <paramref name="known"/> (a record read earlier, with its version)
    /// instead of reading it again: one request when nobody wrote in between, a re-read and re-apply when somebody did.
    /// </summary>
    Task<FeedRecord?> UpdateFromAsync(FeedRecord known, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken);

    /// <summary>Deletes the feed; with <paramref name="ifMatch"/>, only if it is still at that version. False when nothing was deleted.</summary>
    Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken);
}

/// <summary>The queue of feeds waiting to be fetched (<c>feed-fetch</c>).</summary>
public interface IFeedFetchQueue
{
    Task EnqueueAsync(FeedFetchMessage message, CancellationToken cancellationToken);
}

/// <summary>The queue of new articles waiting to be scored (<c>articles</c>).</summary>
public interface IArticleQueue
{
    /// <summary>
    /// Whether a message's own text reaches the scorer (unless it was cut to fit: <see cref="ArticleMessage.ContentTruncated"/>).
    /// When it does not (the embedded store keeps one copy of each text, in the content store), every article's text is
    /// stored there.
    /// </summary>
    bool CarriesText { get; }

    Task EnqueueAsync(ArticleMessage message, CancellationToken cancellationToken);
}

/// <summary>The result of trying to claim an article for publishing.</summary>
public enum ArticleClaim
{
    /// <summary>This caller owns the article and must publish it.</summary>
    Claimed,

    /// <summary>The article, or another under one of its aliases, was already published.</summary>
    Duplicate,

    /// <summary>Another instance is publishing it right now.</summary>
    InProgress,
}

/// <summary>
/// Remembers which articles were seen, under every alias (key and canonical URL), across feeds, instances and retries.
/// </summary>
public interface IArticleIndex
{
    /// <summary>
    /// Records the aliases as pointing at <paramref name="articleId"/> if they are free, and claims the article for
    /// <paramref name="lease"/>. An expired claim (a crashed publisher) can be taken over.
    /// </summary>
    Task<ArticleClaim> TryClaimAsync(string articleId, IReadOnlyList<string> aliases, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks the article as published: later claims see it as a duplicate.</summary>
    Task MarkPublishedAsync(string articleId, CancellationToken cancellationToken);
}

/// <summary>Keeps the full article when the queue message cannot carry it (cut to fit, or a queue that carries no text).</summary>
public interface IArticleContentStore
{
    Task SaveAsync(Article article, CancellationToken cancellationToken);

    Task<Article?> GetAsync(string articleId, CancellationToken cancellationToken);
}

/// <summary>A due feed as read from the registry (with its version) and the next due time a poller claims it until.</summary>
public readonly record struct FeedClaim(FeedRecord Feed, DateTimeOffset NextDueAt)
{
    /// <summary>The most feeds one claim request takes: the Table service's limit for one transaction in one partition.</summary>
    public const int MaxPerRequest = 100;
}
