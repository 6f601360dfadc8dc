using Alerts.Core.Ingestion;

namespace Alerts.Core.Scoring;

/// <summary>A keyword-list document as stored, with its concurrency token.</summary>
public sealed record StoredKeywordList(string Name, string Document, string ETag, DateTimeOffset? LastModified);

/// <summary>Where keyword lists live (one document per list, Blob storage in production).</summary>
public interface IKeywordListStore
{
    /// <summary>The ETag of every stored list, cheaply (no documents), to detect changes.</summary>
    Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(CancellationToken cancellationToken);

    Task<StoredKeywordList?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a document. <paramref name="ifMatch"/> null means "only if absent"; otherwise the write succeeds only when
    /// the stored ETag still matches. Returns the new ETag, or null when the condition failed.
    /// </summary>
    Task<string?> TrySaveAsync(string name, string document, string? ifMatch, CancellationToken cancellationToken);
}

/// <summary>An article with its score, as stored for the admin API, digests and backtests.</summary>
public sealed record ScoredArticle
{
    public required string Id { get; init; }
    public required string FeedId { get; init; }
    public string? Url { get; init; }
    public string Title { get; init; } = "";
    public DateTimeOffset? Published { get; init; }
    public string? Language { get; init; }
    public required DateTimeOffset ScoredAt { get; init; }
    public required ScoreResult Result { get; init; }

    /// <summary>Name and version of each list that scored it ("escalation@3").</summary>
    public IReadOnlyList<string> Lists { get; init; } = [];
}

/// <summary>An alert: a scored article at severity watch or above.</summary>
public sealed record AlertRecord
{
    public required string ArticleId { get; init; }
    public required Severity Severity { get; init; }
    public required double Score { get; init; }
    public required string Title { get; init; }
    public string? Url { get; init; }
    public required string FeedId { get; init; }
    public IReadOnlyList<string> Signals { get; init; } = [];
    public DateTimeOffset? Published { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A critical alert to send at once, on the <c>breaking</c> queue.</summary>
public sealed record BreakingAlertMessage(string ArticleId, string Title, string? Url, double Score, IReadOnlyList<string> Signals, DateTimeOffset CreatedAt);

/// <summary>Scored articles (a table in production); saving the same article again replaces it.</summary>
public interface IScoredArticleStore
{
    Task SaveAsync(ScoredArticle article, CancellationToken cancellationToken);

    Task<ScoredArticle?> GetAsync(string articleId, CancellationToken cancellationToken);
}

/// <summary>Alert records, created once per article, with a once-only hand-off to the breaking queue.</summary>
public interface IAlertStore
{
    /// <summary>Adds the alert if there is none for its article; false when one exists.</summary>
    Task<bool> TryAddAsync(AlertRecord alert, CancellationToken cancellationToken);

    Task<AlertRecord?> GetAsync(string articleId, CancellationToken cancellationToken);

    /// <summary>Claims the right to queue the breaking message: true for exactly one caller until the lease expires.</summary>
    Task<bool> TryClaimBreakingAsync(string articleId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records that the breaking message was queued; later claims fail.</summary>
    Task MarkBreakingQueuedAsync(string articleId, CancellationToken cancellationToken);
}

/// <summary>The <c>breaking</c> queue.</summary>
public interface IBreakingQueue
{
    Task EnqueueAsync(BreakingAlertMessage message, CancellationToken cancellationToken);
}

/// <summary>What scoring one article did.</summary>
public sealed record ScoreOutcome(ScoredArticle Article, bool AlertCreated, bool BreakingQueued);

/// <summary>Reads the full text of an article whose queue message was shortened.</summary>
public static class ArticleMessageText
{
    public static async Task<(string Title, string Content)> ReadAsync(ArticleMessage message, IArticleContentStore contents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(contents);
        if (message.ContentTruncated && await contents.GetAsync(message.Id, cancellationToken) is { } full)
        {
            return (full.Title, full.Content);
        }

        return (message.Title, message.Content.Length > 0 ? message.Content : message.Summary);
    }
}
