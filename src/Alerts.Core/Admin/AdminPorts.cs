using Alerts.Core.Subscriptions;

namespace Alerts.Core.Admin;

/// <summary>One saved version of a keyword list: who, when, what changed, and the document.</summary>
public sealed record KeywordListVersion
{
    public required string Name { get; init; }
    public int Number { get; init; }

    /// <summary>"created", "updated", "restored" or "deleted".</summary>
    public required string Action { get; init; }
    public required string Author { get; init; }
    public required DateTimeOffset At { get; init; }
    public required VersionSummary Summary { get; init; }

    /// <summary>The document as saved (empty for a deletion).</summary>
    public string Document { get; init; } = "";

    /// <summary>The live document's ETag this version produced: recording twice for one write adds one version.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("etag")]
    public string ETag { get; init; } = "";
}

/// <summary>Signals added, removed or changed by a version, compared with the one before.</summary>
public sealed record VersionSummary(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed);

/// <summary>The version history of keyword lists (a table and blobs in production).</summary>
public interface IKeywordListHistory
{
    /// <summary>Appends <paramref name="version"/> with the next number, unless a version with its ETag exists (then returns that).</summary>
    Task<KeywordListVersion> AppendAsync(KeywordListVersion version, CancellationToken cancellationToken);

    /// <summary>Every version of a list, newest first, without documents.</summary>
    Task<IReadOnlyList<KeywordListVersion>> ListAsync(string name, CancellationToken cancellationToken);

    Task<KeywordListVersion?> GetAsync(string name, int number, CancellationToken cancellationToken);
}

/// <summary>When the scheduled jobs last ran and what they did (for the health endpoint).</summary>
public sealed record RunRecord(string Name, DateTimeOffset At, string Summary);

public interface IRunLog
{
    Task RecordAsync(RunRecord run, CancellationToken cancellationToken);

    Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>How many messages wait in each queue (and its poison queue); throws when storage cannot be reached.</summary>
public interface IQueueDepths
{
    Task<IReadOnlyDictionary<string, int>> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Checks a feed URL against the fetcher's rules (scheme, no loopback, private or link-local address) before it is saved.</summary>
public interface IFeedUrlChecker
{
    /// <summary>Null when the URL may be saved; otherwise why not.</summary>
    Task<string?> CheckAsync(string url, CancellationToken cancellationToken);
}

/// <summary>One page of subscribers and the token of the next.</summary>
public sealed record SubscriberPage(IReadOnlyList<Subscriber> Subscribers, string? Continuation);

/// <summary>Paged reading of subscribers for admins.</summary>
public interface ISubscriberDirectory
{
    /// <summary>A page of subscribers whose address contains <paramref name="search"/> (all when null).</summary>
    Task<SubscriberPage> QueryAsync(string? search, string? continuation, int pageSize, CancellationToken cancellationToken);
}
