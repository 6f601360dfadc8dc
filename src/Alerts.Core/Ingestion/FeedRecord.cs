using Alerts.Core.Feeds;

namespace Alerts.Core.Ingestion;

/// <summary>A feed in the registry: where it is, how often to poll it, what the last fetch told us, and its health.</summary>
public sealed record FeedRecord
{
    public required string Id { get; init; }
    public required string Url { get; init; }
    public string Title { get; init; } = "";
    public bool Enabled { get; init; } = true;

    /// <summary>How often the feed is polled when it is healthy.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Validators from the last 200 response, sent back as If-None-Match and If-Modified-Since.</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    public DateTimeOffset? LastFetchedAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public string? LastError { get; init; }

    /// <summary>
    /// What the last successful read had to repair or recover (a malformed document read by the tolerant pass,
    /// characters dropped, text in another encoding than declared); null when the document was clean.
    /// </summary>
    public string? LastWarning { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public int? LastHttpStatus { get; init; }
    public int ConsecutiveFailures { get; init; }

    /// <summary>When the feed should next be fetched. A poller claims a feed by moving this forward.</summary>
    public DateTimeOffset NextDueAt { get; init; }

    public long FetchCount { get; init; }
    public long NotModifiedCount { get; init; }
    public long FailureCount { get; init; }
    public long NewArticleCount { get; init; }

    /// <summary>
    /// The newest articles this feed published, newest first (at most <see cref="MaxRecentArticles"/>), so that admins
    /// can see what a feed brought without a query over every article.
    /// </summary>
    public IReadOnlyList<FeedArticleRef> RecentArticles { get; init; } = [];

    /// <summary>How many articles <see cref="RecentArticles"/> keeps.</summary>
    public const int MaxRecentArticles = 20;

    /// <summary>
    /// The items of the last document read that need nothing more (published, here or by another feed), as
    /// <see cref="SeenKey"/>s: the next read skips them without a request to the article index, so a document with
    /// nothing new costs the same whatever its length. Items another instance was still publishing are not in it.
    /// </summary>
    public IReadOnlyList<string> SeenItems { get; init; } = [];

    /// <summary>How many items <see cref="SeenItems"/> keeps (a feed's document seldom lists more).</summary>
    public const int MaxSeenItems = 1000;

    /// <summary>The short form of an article id kept in <see cref="SeenItems"/>: its first 16 hex digits (64 bits).</summary>
    public static string SeenKey(string articleId)
    {
        ArgumentNullException.ThrowIfNull(articleId);
        return articleId.Length > 16 ? articleId[..16] : articleId;
    }

    /// <summary>
    /// Articles of this feed in a language no active list covers (scored, but not understood), the language of the
    /// last one, and the ids of the newest (at most 20, so that scoring the same article twice counts it once).
    /// </summary>
    public long NotCoveredCount { get; init; }
    public string? NotCoveredLanguage { get; init; }
    public IReadOnlyList<string> NotCoveredRecent { get; init; } = [];

    /// <summary>
    /// The fields a 304 changes, all of them and nothing else (<see cref="FeedIngestor"/> records it; a store may write
    /// just these, without reading the record, when the poller's claim told it the version).
    /// </summary>
    public static IReadOnlyList<string> NotModifiedFields { get; } =
        [nameof(ETag), nameof(LastModified), nameof(LastFetchedAt), nameof(LastSuccessAt), nameof(LastHttpStatus), nameof(LastError), nameof(ConsecutiveFailures), nameof(FetchCount), nameof(NotModifiedCount), nameof(NextDueAt)];

    /// <summary>The store's concurrency token for this version of the record (opaque; null for a new record).</summary>
    public string? Version { get; init; }

    /// <summary>The registry id for a feed URL: stable, so seeding the same URL twice finds the same feed.</summary>
    public static string IdForUrl(string url) => "f" + ArticleKeys.Hash(UrlCanonicalizer.Canonicalize(url) ?? url.Trim())[..20];
}

/// <summary>One article a feed published: enough to list it and to find its score.</summary>
public sealed record FeedArticleRef(string Id, string Title, string? Url, DateTimeOffset? Published, DateTimeOffset FoundAt)
{
    /// <summary>The new articles first, then the ones kept before, at most <see cref="FeedRecord.MaxRecentArticles"/>; titles cut to 300 characters and URLs over 1,000 dropped (a table property holds 32K characters).</summary>
    public static IReadOnlyList<FeedArticleRef> Merge(IReadOnlyList<FeedArticleRef> found, IReadOnlyList<FeedArticleRef> kept)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(kept);
        return [.. found.Select(a => a with { Title = a.Title.Length > 300 ? a.Title[..300] : a.Title, Url = a.Url is { Length: > 1000 } ? null : a.Url })
            .Concat(kept).DistinctBy(a => a.Id).Take(FeedRecord.MaxRecentArticles)];
    }
}
