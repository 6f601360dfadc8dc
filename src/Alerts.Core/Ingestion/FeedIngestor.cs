using Alerts.Core.Feeds;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Ingestion;

/// <summary>How one feed-fetch message ended.</summary>
public enum IngestOutcome
{
    Fetched,
    NotModified,
    Failed,
    Disabled,
    Skipped,
}

/// <summary>What one feed-fetch did.</summary>
public sealed record IngestResult(IngestOutcome Outcome, int Items, int NewArticles, string? Error = null);

/// <summary>
/// Fetches one feed, parses it, publishes its new articles (each once, across feeds, instances and retries) and records
/// the feed's health and next due time. Feed failures are recorded, never thrown: the message completes and the feed
/// backs off. Storage failures are thrown so that the host retries the message.
/// </summary>
public sealed partial class FeedIngestor(
    IFeedRegistry registry,
    IFeedFetcher fetcher,
    IArticleIndex index,
    IArticleContentStore contents,
    IArticleQueue articles,
    TimeProvider time,
    IOptions<IngestionOptions> options,
    IngestionMetrics metrics,
    ILogger<FeedIngestor> logger)
{
    public async Task<IngestResult> IngestAsync(FeedFetchMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var activity = Diagnostics.AlertsDiagnostics.Source.StartActivity("alerts.fetch");
        activity?.SetTag("alerts.feed.id", message.FeedId);
        // A healthy feed the poller claimed is fetched on what the claim knew; a 304 is then one write, no read.
        FetchResult? early = null;
        if (message.Claimed is { } claimed && Uri.TryCreate(message.Url, UriKind.Absolute, out var claimedUrl))
        {
            early = await fetcher.FetchAsync(claimedUrl, claimed.ETag, claimed.LastModified, cancellationToken);
            if (early.Status == FetchStatus.NotModified && await registry.TryRecordNotModifiedAsync(NotModified(claimed.AsRecord(message.FeedId, message.Url), early), cancellationToken))
            {
                return NotModifiedRecorded(message.FeedId);
            }
        }

        var feed = await registry.GetAsync(message.FeedId, cancellationToken);
        if (feed is null)
        {
            LogUnknownFeed(logger, message.FeedId);
            return new IngestResult(IngestOutcome.Skipped, 0, 0, "unknown feed");
        }

        if (!feed.Enabled)
        {
            LogDisabledFeed(logger, feed.Id);
            return new IngestResult(IngestOutcome.Skipped, 0, 0, "feed disabled");
        }

        if (!Uri.TryCreate(feed.Url, UriKind.Absolute, out var url))
        {
            return await RecordFailureAsync(feed, FetchResult.Failure(FetchStatus.PermanentFailure, "The feed URL is not an absolute URL."), cancellationToken);
        }

        // Fetched already when the claim told how, unless the feed moved meanwhile (its validators or address changed).
        var result = early is not null && feed.Url == message.Url && feed.ETag == message.Claimed!.ETag && feed.LastModified == message.Claimed.LastModified
            ? early
            : await fetcher.FetchAsync(url, feed.ETag, feed.LastModified, cancellationToken);
        switch (result.Status)
        {
            case FetchStatus.NotModified:
                return await RecordNotModifiedAsync(feed, result, cancellationToken);
            case FetchStatus.Ok:
                FeedReading reading;
                try
                {
                    reading = FeedParser.Open(result.Body, result.Charset, result.FinalUrl ?? url);
                }
                catch (FeedParseException ex)
                {
                    return await NotAFeedAsync(ex);
                }

                using (reading)
                {
                    List<FeedArticleRef> published;
                    List<string> seen;
                    int inProgress;
                    try
                    {
                        // Item by item as the document is read: a large feed never holds all its articles at once.
                        (published, inProgress, seen) = await PublishAsync(feed, reading, cancellationToken);
                    }
                    catch (FeedParseException ex)
                    {
                        // A fault further on that even the tolerant pass cannot read past; what came before it is published.
                        return await NotAFeedAsync(ex);
                    }

                    return await RecordSuccessAsync(feed, result, reading, published, inProgress, seen, cancellationToken);
                }

            default:
                return await RecordFailureAsync(feed, result, cancellationToken);
        }

        Task<IngestResult> NotAFeedAsync(FeedParseException ex) =>
            RecordFailureAsync(feed, result with { Status = FetchStatus.PermanentFailure, Error = ex.Message }, cancellationToken);
    }

    /// <summary>Publishes the new items; also counts those another publisher holds (it may have died holding them).</summary>
    private async Task<(List<FeedArticleRef> Published, int InProgress, List<string> Seen)> PublishAsync(FeedRecord feed, FeedReading reading, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var published = new List<FeedArticleRef>();
        var inProgress = 0;
        var seenBefore = feed.SeenItems.ToHashSet(StringComparer.Ordinal);
        var seen = new List<string>();
        var seenInThisFeed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in reading.Items)
        {
            var article = FeedParser.ToArticle(feed.Id, item, reading.Language);
            if (!seenInThisFeed.Add(article.Id))
            {
                continue; // the same item twice in one document
            }

            var key = FeedRecord.SeenKey(article.Id);
            if (seenBefore.Contains(key))
            {
                seen.Add(key); // done at an earlier read: no request
                continue;
            }

            var now = time.GetUtcNow();
            var claim = await index.TryClaimAsync(article.Id, ArticleKeys.AliasesFor(article.Key, article.Url), now, settings.ArticleClaimLease, cancellationToken);
            if (claim != ArticleClaim.Claimed)
            {
                inProgress += claim == ArticleClaim.InProgress ? 1 : 0;
                if (claim == ArticleClaim.Duplicate)
                {
                    seen.Add(key);
                }

                continue;
            }

            // The full text is stored only where the message cannot carry it, and before enqueueing, so the scorer always
            // finds it; both are idempotent on retry.
            var message = ArticleMessage.From(article, now, settings.MaxArticleMessageBytes);
            if (message.ContentTruncated || !articles.CarriesText)
            {
                await contents.SaveAsync(article, cancellationToken);
            }

            await articles.EnqueueAsync(message, cancellationToken);
            await index.MarkPublishedAsync(article.Id, cancellationToken);
            published.Add(new FeedArticleRef(article.Id, article.Title, article.Url, article.Published, now));
            seen.Add(key);
        }

        return (published, inProgress, seen);
    }

    private async Task<IngestResult> RecordSuccessAsync(FeedRecord feed, FetchResult result, FeedReading parsed, List<FeedArticleRef> published, int inProgress, List<string> seen, CancellationToken cancellationToken)
    {
        // Items held by another publisher are not done: without this document's validators, the next poll reads the
        // whole document again and takes them over once that claim has run out (a 304 would skip them for good).
        var keepValidators = inProgress == 0;
        var now = time.GetUtcNow();
        var settings = options.Value;
        await registry.UpdateFromAsync(feed, current => current with
        {
            Title = current.Title.Length > 0 ? current.Title : parsed.Title,
            ETag = keepValidators ? result.ETag : null,
            LastModified = keepValidators ? result.LastModified : null,
            LastFetchedAt = now,
            LastSuccessAt = now,
            LastHttpStatus = result.HttpStatus,
            LastError = null,
            LastWarning = parsed.Warnings.Count == 0 ? null : string.Join(" ", parsed.Warnings),
            ConsecutiveFailures = 0,
            FetchCount = current.FetchCount + 1,
            NewArticleCount = current.NewArticleCount + published.Count,
            RecentArticles = published.Count == 0 ? current.RecentArticles : FeedArticleRef.Merge(published, current.RecentArticles),
            SeenItems = seen.Count > FeedRecord.MaxSeenItems ? seen[..FeedRecord.MaxSeenItems] : seen,
            // With held items, come back as soon as their claims must have run out, not after the whole interval.
            NextDueAt = keepValidators ? now + FeedSchedule.AfterSuccess(settings, current.PollInterval, result.MaxAge, parsed.Ttl)
                : now + Min(FeedSchedule.AfterSuccess(settings, current.PollInterval, result.MaxAge, parsed.Ttl), settings.ArticleClaimLease + TimeSpan.FromSeconds(1)),
        }, cancellationToken);
        metrics.FeedFetched();
        metrics.NewArticles(published.Count);
        LogFetched(logger, feed.Id, parsed.ItemCount, published.Count);
        foreach (var warning in parsed.Warnings)
        {
            LogRepaired(logger, feed.Id, warning);
        }

        return new IngestResult(IngestOutcome.Fetched, parsed.ItemCount, published.Count);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<IngestResult> RecordNotModifiedAsync(FeedRecord feed, FetchResult result, CancellationToken cancellationToken)
    {
        await registry.UpdateFromAsync(feed, current => NotModified(current, result), cancellationToken);
        return NotModifiedRecorded(feed.Id);
    }

    /// <summary>What a 304 changes: exactly <see cref="FeedRecord.NotModifiedFields"/>.</summary>
    private FeedRecord NotModified(FeedRecord current, FetchResult result)
    {
        var now = time.GetUtcNow();
        return current with
        {
            ETag = result.ETag ?? current.ETag,
            LastModified = result.LastModified ?? current.LastModified,
            LastFetchedAt = now,
            LastSuccessAt = now,
            LastHttpStatus = result.HttpStatus,
            LastError = null,
            ConsecutiveFailures = 0,
            FetchCount = current.FetchCount + 1,
            NotModifiedCount = current.NotModifiedCount + 1,
            NextDueAt = now + FeedSchedule.AfterSuccess(options.Value, current.PollInterval, result.MaxAge, null),
        };
    }

    private IngestResult NotModifiedRecorded(string feedId)
    {
        metrics.FeedNotModified();
        LogNotModified(logger, feedId);
        return new IngestResult(IngestOutcome.NotModified, 0, 0);
    }

    private async Task<IngestResult> RecordFailureAsync(FeedRecord feed, FetchResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var gone = result.Status == FetchStatus.Gone;
        await registry.UpdateFromAsync(feed, current => current with
        {
            Enabled = current.Enabled && !gone,
            LastFetchedAt = now,
            LastHttpStatus = result.HttpStatus,
            LastError = result.Error ?? result.Status.ToString(),
            LastErrorAt = now,
            ConsecutiveFailures = current.ConsecutiveFailures + 1,
            FetchCount = current.FetchCount + 1,
            FailureCount = current.FailureCount + 1,
            NextDueAt = now + FeedSchedule.AfterFailure(settings, current.PollInterval, current.ConsecutiveFailures + 1, result.RetryAfter),
        }, cancellationToken);
        metrics.FeedFailed(result.Status);
        LogFailed(logger, feed.Id, result.Status, result.HttpStatus, result.Error);
        return new IngestResult(gone ? IngestOutcome.Disabled : IngestOutcome.Failed, 0, 0, result.Error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {FeedId} is not in the registry; message dropped")]
    private static partial void LogUnknownFeed(ILogger logger, string feedId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId} is disabled; not fetched")]
    private static partial void LogDisabledFeed(ILogger logger, string feedId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId} fetched: {Items} items, {NewArticles} new")]
    private static partial void LogFetched(ILogger logger, string feedId, int items, int newArticles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {FeedId} read with a repair: {Warning}")]
    private static partial void LogRepaired(ILogger logger, string feedId, string warning);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {FeedId} not modified")]
    private static partial void LogNotModified(ILogger logger, string feedId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {FeedId} failed ({Status}, HTTP {HttpStatus}): {Error}")]
    private static partial void LogFailed(ILogger logger, string feedId, FetchStatus status, int? httpStatus, string? error);
}
