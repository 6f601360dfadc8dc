using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Admin;

/// <summary>A feed as admins see it: settings and health.</summary>
public sealed record FeedView(
    string Id,
    string Url,
    string Title,
    bool Enabled,
    TimeSpan PollInterval,
    DateTimeOffset? LastFetchedAt,
    DateTimeOffset? LastSuccessAt,
    string? LastError,
    string? LastWarning,
    int? LastHttpStatus,
    int ConsecutiveFailures,
    long Fetches,
    long NotModified,
    double NotModifiedRatio,
    long NewArticles,
    long NotCovered,
    string? NotCoveredLanguage,
    DateTimeOffset NextDueAt,
    [property: System.Text.Json.Serialization.JsonPropertyName("etag")] string? ETag)
{
    public static FeedView From(FeedRecord feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return new FeedView(feed.Id, feed.Url, feed.Title, feed.Enabled, feed.PollInterval, feed.LastFetchedAt, feed.LastSuccessAt, feed.LastError,
            feed.LastWarning, feed.LastHttpStatus, feed.ConsecutiveFailures, feed.FetchCount, feed.NotModifiedCount,
            feed.FetchCount == 0 ? 0 : Math.Round((double)feed.NotModifiedCount / feed.FetchCount, 3), feed.NewArticleCount, feed.NotCoveredCount, feed.NotCoveredLanguage, feed.NextDueAt, feed.Version);
    }
}

/// <summary>One of a feed's newest articles; severity and score are null until it is scored.</summary>
public sealed record FeedArticleView(string Id, string Title, string? Url, DateTimeOffset? Published, DateTimeOffset FoundAt, Severity? Severity, double? Score, IReadOnlyList<string> Countries, string? Language = null, bool LanguageCovered = true);

/// <summary>What an admin sends to add or change a feed.</summary>
public sealed record FeedInput(string? Url, string? Title, bool? Enabled, TimeSpan? PollInterval);

public enum FeedWriteStatus
{
    Saved,
    Invalid,
    NotFound,
    Exists,

    /// <summary>The feed changed since the version the caller sent (HTTP 412).</summary>
    Conflict,

    /// <summary>The caller sent no version (HTTP 428): every change and delete names the version it was made from.</summary>
    PreconditionRequired,

    Deleted,
}

public sealed record FeedWriteResult(FeedWriteStatus Status, FeedView? Feed = null, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// Feeds for admins. URLs are checked when saved with the fetcher's own rules (http or https, no loopback, private or
/// link-local address, by literal and by what the name resolves to), so a feed that could never be fetched is refused at
/// once with the reason.
/// </summary>
public sealed class FeedAdmin(IFeedRegistry registry, IFeedUrlChecker checker, FeedSeeder seeder, IFeedFetchQueue fetchQueue, IScoredArticleStore scored, TimeProvider time, IOptions<IngestionOptions> options)
{
    public async Task<IReadOnlyList<FeedView>> ListAsync(CancellationToken cancellationToken)
    {
        var feeds = new List<FeedView>();
        await foreach (var feed in registry.ListAsync(cancellationToken))
        {
            feeds.Add(FeedView.From(feed));
        }

        return [.. feeds.OrderBy(f => f.Title, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.Url, StringComparer.Ordinal)];
    }

    public async Task<FeedView?> GetAsync(string id, CancellationToken cancellationToken) =>
        await registry.GetAsync(id, cancellationToken) is { } feed ? FeedView.From(feed) : null;

    public async Task<FeedWriteResult> CreateAsync(FeedInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = await ValidateAsync(input, requireUrl: true, cancellationToken);
        if (errors.Count > 0)
        {
            return new FeedWriteResult(FeedWriteStatus.Invalid, Errors: errors);
        }

        var url = new Uri(input.Url!).AbsoluteUri;
        var feed = new FeedRecord
        {
            Id = FeedRecord.IdForUrl(url),
            Url = url,
            Title = input.Title?.Trim() ?? "",
            Enabled = input.Enabled ?? true,
            PollInterval = input.PollInterval ?? options.Value.DefaultPollInterval,
            NextDueAt = time.GetUtcNow(),
        };
        if (!await registry.AddAsync(feed, cancellationToken))
        {
            return new FeedWriteResult(FeedWriteStatus.Exists, await GetAsync(feed.Id, cancellationToken));
        }

        return new FeedWriteResult(FeedWriteStatus.Saved, await GetAsync(feed.Id, cancellationToken));
    }

    /// <summary>Changes the given fields, only if the feed is still at version <paramref name="ifMatch"/> ("*": any version).</summary>
    public async Task<FeedWriteResult> UpdateAsync(string id, FeedInput input, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ifMatch is null)
        {
            return new FeedWriteResult(FeedWriteStatus.PreconditionRequired);
        }

        ifMatch = ifMatch == "*" ? null : ifMatch;
        var errors = await ValidateAsync(input, requireUrl: false, cancellationToken);
        if (errors.Count > 0)
        {
            return new FeedWriteResult(FeedWriteStatus.Invalid, Errors: errors);
        }

        var stale = false;
        var updated = await registry.UpdateAsync(id, feed =>
        {
            stale = ifMatch is not null && feed.Version != ifMatch;
            if (stale)
            {
                return feed;
            }

            var urlChanged = input.Url is not null && new Uri(input.Url).AbsoluteUri != feed.Url;
            return feed with
            {
                Url = urlChanged ? new Uri(input.Url!).AbsoluteUri : feed.Url,
                Title = input.Title?.Trim() ?? feed.Title,
                Enabled = input.Enabled ?? feed.Enabled,
                PollInterval = input.PollInterval ?? feed.PollInterval,
                // A new address starts afresh: no validators from the old one, fetched soon.
                ETag = urlChanged ? null : feed.ETag,
                LastModified = urlChanged ? null : feed.LastModified,
                NextDueAt = urlChanged || (input.Enabled == true && !feed.Enabled) ? time.GetUtcNow() : feed.NextDueAt,
                ConsecutiveFailures = urlChanged || input.Enabled == true ? 0 : feed.ConsecutiveFailures,
            };
        }, cancellationToken);
        if (updated is null)
        {
            return new FeedWriteResult(FeedWriteStatus.NotFound);
        }

        return stale ? new FeedWriteResult(FeedWriteStatus.Conflict, FeedView.From(updated)) : new FeedWriteResult(FeedWriteStatus.Saved, FeedView.From(updated));
    }

    /// <summary>Deletes the feed, only if it is still at version <paramref name="ifMatch"/> ("*": any version).</summary>
    public async Task<FeedWriteResult> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        if (ifMatch is null)
        {
            return new FeedWriteResult(FeedWriteStatus.PreconditionRequired);
        }

        if (await registry.DeleteAsync(id, ifMatch == "*" ? null : ifMatch, cancellationToken))
        {
            return new FeedWriteResult(FeedWriteStatus.Deleted);
        }

        return await GetAsync(id, cancellationToken) is { } current
            ? new FeedWriteResult(FeedWriteStatus.Conflict, current)
            : new FeedWriteResult(FeedWriteStatus.NotFound);
    }

    /// <exception cref="Feeds.FeedParseException">The document is not OPML.</exception>
    public Task<SeedResult> ImportAsync(string opml, CancellationToken cancellationToken) => seeder.SeedFromOpmlAsync(opml, cancellationToken);

    /// <summary>Every feed as an OPML 2.0 document, the format <see cref="ImportAsync"/> reads.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        var feeds = await ListAsync(cancellationToken);
        return Opml.Write("Crisis Alerts feeds", feeds.Select(f => new OpmlFeed(f.Url, f.Title)).ToList(), time.GetUtcNow());
    }

    /// <summary>Queues the feed for fetching now, whatever its schedule; null when there is no such feed.</summary>
    public async Task<FeedView?> RefreshAsync(string id, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(id, cancellationToken) is not { } feed)
        {
            return null;
        }

        await fetchQueue.EnqueueAsync(new FeedFetchMessage(feed.Id, feed.Url, time.GetUtcNow()), cancellationToken);
        return FeedView.From(feed);
    }

    /// <summary>The feed's newest articles with their severity once scored; null when there is no such feed.</summary>
    public async Task<IReadOnlyList<FeedArticleView>?> RecentArticlesAsync(string id, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(id, cancellationToken) is not { } feed)
        {
            return null;
        }

        var views = new List<FeedArticleView>(feed.RecentArticles.Count);
        foreach (var article in feed.RecentArticles)
        {
            var score = await scored.GetAsync(article.Id, cancellationToken);
            views.Add(new FeedArticleView(article.Id, article.Title, article.Url, article.Published, article.FoundAt, score?.Result.Severity, score?.Result.Score, score?.Countries ?? [], score?.Language, score?.LanguageCovered ?? true));
        }

        return views;
    }

    private async Task<Dictionary<string, string[]>> ValidateAsync(FeedInput input, bool requireUrl, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (input.Url is null)
        {
            if (requireUrl)
            {
                errors["url"] = ["The feed URL is required."];
            }
        }
        else if (await checker.CheckAsync(input.Url, cancellationToken) is { } problem)
        {
            errors["url"] = [problem];
        }

        if (input.Title is { Length: > 300 })
        {
            errors["title"] = ["The title is at most 300 characters."];
        }

        if (input.PollInterval is { } interval && (interval < options.Value.MinPollInterval || interval > TimeSpan.FromDays(7)))
        {
            errors["pollInterval"] = [$"The poll interval must be between {options.Value.MinPollInterval} and 7.00:00:00."];
        }

        return errors;
    }
}
