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

    /// <summary>The store's concurrency token for this version of the record (opaque; null for a new record).</summary>
    public string? Version { get; init; }

    /// <summary>The registry id for a feed URL: stable, so seeding the same URL twice finds the same feed.</summary>
    public static string IdForUrl(string url) => "f" + ArticleKeys.Hash(UrlCanonicalizer.Canonicalize(url) ?? url.Trim())[..20];
}
