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

    /// <summary>The main country (its first article's), or "none": articles join only stories of their own.</summary>
    public string MainCountry => Countries.Count > 0 ? Countries[0] : StoryClusterer.NoCountry;

    /// <summary>The event's language-independent features (<see cref="StoryEvent"/>); null for stories stored before they existed.</summary>
    public IReadOnlyList<string>? Event { get; init; }

    /// <summary>The store's concurrency token.</summary>
    public string? Version { get; init; }
}

/// <summary>What the clusterer needs of an article: <paramref name="Countries"/> main country first, and the ids of the signals it reports.</summary>
public sealed record StoryArticle(string ArticleId, string Title, string Lead, string? Url, string FeedId, DateTimeOffset Time, IReadOnlyList<string> Countries, Severity Severity, IReadOnlyList<string>? Signals = null, IReadOnlyList<string>? Places = null)
{
    /// <summary>The main country, or "none": stories never join across it.</summary>
    public string MainCountry => Countries.Count > 0 ? Countries[0] : StoryClusterer.NoCountry;

    /// <summary>The publisher: the URL's host without "www.", else the feed.</summary>
    public string Source => SourceOf(Url, FeedId);

    /// <summary>The publisher of an article at <paramref name="url"/> from feed <paramref name="feedId"/>: the host without "www.", else "feed:ID".</summary>
    public static string SourceOf(string? url, string feedId) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0
        ? (uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host).ToLowerInvariant()
        : "feed:" + feedId;
}

/// <summary>
/// A story as the lookup sees it: what comparing an article with it needs (its first sighting, main country, signature,
/// event features and articles), without reading the story itself, and how many of the article's bands it shares (more:
/// more similar; 0 when it is only one of its scope's newest).
/// </summary>
public sealed record StorySketch(string StoryId, DateTimeOffset FirstSeen, string MainCountry, byte[] Signature, IReadOnlyList<string>? Event, IReadOnlyList<string> ArticleIds, int SharedBands)
{
    public static StorySketch Of(Story story, int sharedBands)
    {
        ArgumentNullException.ThrowIfNull(story);
        return new StorySketch(story.Id, story.FirstSeen, story.MainCountry, story.Signature, story.Event, story.ArticleIds, sharedBands);
    }
}

/// <summary>Where a story is indexed: its scope (main country, or "none") and its LSH band keys within that scope.</summary>
public sealed record StoryKeys(string Scope, IReadOnlyList<string> Bands)
{
    /// <summary>A stored story's keys: its main country, and the bands of its signature there.</summary>
    public static StoryKeys Of(Story story)
    {
        ArgumentNullException.ThrowIfNull(story);
        return new StoryKeys(story.MainCountry, StorySignature.FromBytes(story.Signature).BandKeys(story.MainCountry));
    }
}

/// <summary>The story an article was put in.</summary>
public sealed record StoryAssignment(Story Story, bool Created);

/// <summary>Stories and their LSH band index (Azure Tables in production), shared by every instance.</summary>
public interface IStoryStore
{
    /// <summary>
    /// The stories an article may join, sketched: of the stories first seen since <paramref name="since"/>, the
    /// <paramref name="newest"/> newest under each band key are counted (how many of the keys each shares), and those
    /// <see cref="StoryCandidates.Choose"/> picks are returned, with the <paramref name="newest"/> newest of the scope. A
    /// band key that many stories share (the minimum hashes of common words) says little; reading only its newest and
    /// comparing only the nearest keeps the work per article flat as the window fills.
    /// </summary>
    /// <remarks>The answer also carries the version of the scope's index the lookup read, for <see cref="TryCreateAsync"/>.</remarks>
    Task<StoryLookup> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken);

    Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the story and its index rows (bands and scope), unless another story of the scope was created since the
    /// lookup that read <paramref name="indexVersion"/> (<see cref="StoryCreation.Conflict"/>: look again, it may be the
    /// same event). Null creates whatever the index holds (seeding). A story whose id exists is indexed again (a retry
    /// of a run that died between the row and its index) and answers <see cref="StoryCreation.Existed"/>.
    /// </summary>
    Task<StoryCreation> TryCreateAsync(Story story, StoryKeys keys, string? indexVersion, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> (and keeps the story's sketch in step), re-reading and re-applying on a conflicting write.</summary>
    Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken);
}

/// <summary>
/// What a story lookup found: the stories to compare, and the version of the scope's index it read (changed by every
/// story created in the scope), so that a story is created only if none was created meanwhile.
/// </summary>
public sealed record StoryLookup(IReadOnlyList<StorySketch> Sketches, string? IndexVersion);

/// <summary>What <see cref="IStoryStore.TryCreateAsync"/> did.</summary>
public enum StoryCreation
{
    /// <summary>The story is new, and indexed.</summary>
    Created,

    /// <summary>
    /// A story with that id was there (a retry of a run that died between the row and its index, or this article's
    /// earlier attempt that met a conflict): it is indexed again, and may already have an alert.
    /// </summary>
    Existed,

    /// <summary>Another story of the scope was created since the lookup: nothing indexed; look again.</summary>
    Conflict,
}

/// <summary>Which of the stories found under an article's band keys and scope are compared with it: one rule for every store.</summary>
public static class StoryCandidates
{
    /// <summary>
    /// The <see cref="StoryClusterer.MaxCandidates"/> stories sharing the most bands, at least
    /// <see cref="StoryClusterer.MinSharedBands"/> (ties by id, so every instance picks the same), of which at most
    /// <see cref="StoryClusterer.MaxOlderCandidates"/> are not among the scope's <paramref name="newestOfScope"/>; then
    /// those of the newest not among them.
    /// </summary>
    public static IReadOnlyList<string> Choose(IReadOnlyDictionary<string, int> sharedBands, IEnumerable<string> newestOfScope)
    {
        ArgumentNullException.ThrowIfNull(sharedBands);
        ArgumentNullException.ThrowIfNull(newestOfScope);
        var newest = newestOfScope.Distinct(StringComparer.Ordinal).Take(StoryClusterer.MaxRecent).ToList();
        var isNewest = newest.ToHashSet(StringComparer.Ordinal);
        var chosen = new List<string>(StoryClusterer.MaxCandidates + StoryClusterer.MaxRecent);
        var older = 0;
        foreach (var (id, _) in sharedBands.Where(c => c.Value >= StoryClusterer.MinSharedBands).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            if (chosen.Count == StoryClusterer.MaxCandidates)
            {
                break;
            }

            if (isNewest.Contains(id) || older++ < StoryClusterer.MaxOlderCandidates)
            {
                chosen.Add(id);
            }
        }

        chosen.AddRange(newest.Where(id => sharedBands.GetValueOrDefault(id) < StoryClusterer.MinSharedBands));
        return chosen;
    }
}
