using Alerts.Core.Scoring;

namespace Alerts.Core.Stories;

/// <summary>
/// One event as told by one or more sources: its first article, the distinct publishers (domains), the countries and
/// the highest severity any of its articles reached.
/// </summary>
public sealed record Story
{
    public required string Id { get; init; }
    public required string FirstArticleId { get; init; }
    public required string Title { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    public IReadOnlyList<string> Sources { get; init; } = [];
    public IReadOnlyList<string> Countries { get; init; } = [];
    public Severity MaxSeverity { get; init; }

    /// <summary>The articles joined so far (the first 50), so that joining twice changes nothing.</summary>
    public IReadOnlyList<string> ArticleIds { get; init; } = [];

    public required byte[] Signature { get; init; }

    /// <summary>The store's concurrency token.</summary>
    public string? Version { get; init; }
}

/// <summary>What the clusterer needs of an article.</summary>
public sealed record StoryArticle(string ArticleId, string Title, string Lead, string? Url, string FeedId, DateTimeOffset Time, IReadOnlyList<string> Countries, Severity Severity)
{
    /// <summary>The publisher: the URL's host without "www.", else the feed.</summary>
    public string Source => Uri.TryCreate(Url, UriKind.Absolute, out var uri)
        ? (uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host).ToLowerInvariant()
        : "feed:" + FeedId;
}

/// <summary>The story an article was put in.</summary>
public sealed record StoryAssignment(Story Story, bool Created);

/// <summary>Stories and their LSH band index (Azure Tables in production), shared by every instance.</summary>
public interface IStoryStore
{
    /// <summary>Ids of stories indexed under any of the band keys and seen since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<string>> FindCandidatesAsync(IReadOnlyList<string> bandKeys, DateTimeOffset since, CancellationToken cancellationToken);

    Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken);

    /// <summary>Creates the story and its band index rows; false when a story with that id exists.</summary>
    Task<bool> TryCreateAsync(Story story, IReadOnlyList<string> bandKeys, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/>, re-reading and re-applying on a conflicting write.</summary>
    Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken);

    /// <summary>A short exclusive lease on <paramref name="key"/> across instances; disposing releases it.</summary>
    Task<IAsyncDisposable> LockAsync(string key, TimeSpan lease, CancellationToken cancellationToken);
}
