using Alerts.Core.Ingestion;
using Alerts.Core.Places;
using Alerts.Core.Stories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Scoring;

/// <summary>
/// Scores one article from the <c>articles</c> queue with every active list, stores the scored article and its archive
/// entry (what search, the map and the trend detector read), creates an
/// alert for severity watch or above, and hands critical alerts to the <c>breaking</c> queue exactly once. Running
/// twice on the same message replaces the scored article with the same content and creates nothing new.
/// </summary>
public sealed partial class ArticleScorer(
    KeywordListProvider lists,
    IArticleContentStore contents,
    IScoredArticleStore scored,
    Situation.IArchiveStore archive,
    Situation.IActivityStore rollups,
    IAlertStore alerts,
    IBreakingQueue breaking,
    Ingestion.IFeedRegistry feeds,
    StoryClusterer stories,
    TimeProvider time,
    IOptions<ScoringOptions> options,
    ScoringMetrics metrics,
    ILogger<ArticleScorer> logger)
{
    public async Task<ScoreOutcome> ScoreAsync(ArticleMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var activity = Diagnostics.AlertsDiagnostics.Source.StartActivity("alerts.score");
        activity?.SetTag("alerts.article.id", message.Id);
        activity?.SetTag("alerts.feed.id", message.FeedId);
        var snapshot = await lists.GetAsync(cancellationToken);
        var (title, content) = await ArticleMessageText.ReadAsync(message, contents, cancellationToken);
        var now = time.GetUtcNow();
        var when = message.Published is { } published && published <= now && published > now - StoryClusterer.Window ? published : message.DiscoveredAt;
        var result = KeywordScorer.Score(snapshot.Compiled, title, content, message.Published is { } date && date <= now ? date : message.DiscoveredAt);
        var (language, sure) = LanguageDetector.ResolveSurely(message.Language, title, content);
        var places = PlaceDetector.Detect(title, content, url: message.Url, language: sure ? language : null);
        var countries = places.Countries;
        // An article that names no place and reports no signal starts no story and joins none: nothing can alert on it,
        // and most news is such (at a million articles, indexing it would be most of the story index's work). Its
        // source's country does not make it a place.
        var assignment = countries.All(c => c.FromSource) && result.Signals.Count == 0 ? null : await stories.AssignAsync(
            new StoryArticle(message.Id, title, content, message.Url, message.FeedId, when, countries.Select(c => c.Code).ToArray(), result.Severity, StoryEvent.SignalsOf(result), StoryEvent.PlaceKeys(places)),
            cancellationToken);
        var story = assignment?.Story;
        var article = new ScoredArticle
        {
            Id = message.Id,
            FeedId = message.FeedId,
            Url = message.Url,
            Title = message.Title,
            Published = message.Published,
            Language = language,
            LanguageCovered = LanguageDetector.Covers(snapshot.Compiled, language),
            ScoredAt = now,
            Result = result,
            Lists = snapshot.Versions,
            Countries = [.. countries.Where(c => !c.FromSource).Select(c => c.Code)],
            SourceCountry = countries.FirstOrDefault(c => c.FromSource)?.Code,
            Regions = countries.Any(c => c.FromSource) ? [] : [.. places.Regions],
            Places = [.. places.Places.Take(10).Select(ArticlePlace.From)],
            StoryId = story?.Id,
            Content = content.Length <= 30_000 ? content : content[..30_000],
        };
        await scored.SaveAsync(article, cancellationToken);
        var entry = Situation.ArchiveEntry.From(article, message.DiscoveredAt);
        await archive.AddAsync(entry, Situation.ArchiveTokens.Of(entry), cancellationToken);
        if (Situation.ActivityPeriod.HourOf(entry.ReadAt) is var hour && hour < Situation.ActivityPeriod.HourOf(now))
        {
            await rollups.MarkLateAsync(hour, now, cancellationToken); // its hour ended: the next roll-up counts it again
        }
        if (!article.LanguageCovered)
        {
            // Counted once per article (the feed keeps the newest ids), so that a retry does not count it again.
            await feeds.UpdateAsync(message.FeedId, f => f.NotCoveredRecent.Contains(message.Id) ? f : f with
            {
                NotCoveredCount = f.NotCoveredCount + 1,
                NotCoveredLanguage = language,
                NotCoveredRecent = [message.Id, .. f.NotCoveredRecent.Take(19)],
            }, cancellationToken);
            LogNotCovered(logger, message.Id, language ?? "?");
        }
        LogScored(logger, message.Id, result.Severity, result.Score, result.Signals.Count);
        metrics.Scored(result.Severity, now - message.DiscoveredAt);
        activity?.SetTag("alerts.severity", result.Severity.ToString());
        activity?.SetTag("alerts.story.id", story?.Id);
        if (story is null)
        {
            return new ScoreOutcome(article, false, false, 0);
        }

        var lease = options.Value.BreakingClaimLease;

        // Another source joining an alerted story updates its alert (sources, severity) instead of making a new one; a
        // story seen before is looked up first (most alerting articles join one that has its alert), a new one cannot
        // have one.
        Task<AlertUpdate> UpdateAlertAsync() => alerts.UpdateAsync(story.Id, a => a with
            {
                Severity = Max(a.Severity, result.Severity),
                Score = Math.Max(a.Score, result.Score),
                Signals = [.. a.Signals.Union(result.Signals.Select(s => s.Id))],
                Countries = story.Countries,
                Place = a.Place ?? MainPlace(places, story),
                SourceCount = Math.Max(a.SourceCount, story.Sources.Count),
                Sources = [.. a.Sources.Union(story.Sources).Take(20)],
                Evidence = AlertRecord.MergeEvidence(a.Evidence, result.Signals),
                ChangedAt = result.Severity > a.Severity ? now : a.ChangedAt,
            }, now, lease, cancellationToken);

        var created = false;
        var (alert, claim) = assignment!.Created ? new AlertUpdate(null, BreakingClaim.None) : await UpdateAlertAsync();
        if (alert is null && result.Severity >= Severity.Watch)
        {
            var record = new AlertRecord
            {
                StoryId = story.Id,
                ArticleId = message.Id,
                Severity = Max(result.Severity, story.MaxSeverity),
                Score = result.Score,
                Title = story.Title,
                Url = message.Url,
                FeedId = message.FeedId,
                Signals = result.Signals.Select(s => s.Id).ToArray(),
                Countries = story.Countries,
                Place = MainPlace(places, story),
                SourceCount = story.Sources.Count,
                Published = message.Published,
                CreatedAt = now,
                ChangedAt = now,
                Sources = [.. story.Sources.Take(20)],
                Evidence = AlertRecord.MergeEvidence([], result.Signals),
            };

            // A critical alert is added with its breaking hand-off already claimed: one write, not three.
            created = await alerts.TryAddAsync(record, record.Severity == Severity.Critical ? now + lease : null, cancellationToken);
            if (created)
            {
                metrics.AlertCreated(result.Severity);
                (alert, claim) = (record, record.Severity == Severity.Critical ? BreakingClaim.Won : BreakingClaim.None);
            }
            else
            {
                (alert, claim) = await UpdateAlertAsync(); // added by another scorer in between
            }
        }

        var queued = false;
        if (alert?.Severity == Severity.Critical)
        {
            var handOff = new BreakingAlertMessage(story.Id, alert.ArticleId, alert.Title, alert.Url, alert.Score, alert.Signals, alert.Countries, alert.SourceCount, now, alert.Place);
            if (claim.Claimed)
            {
                await breaking.EnqueueAsync(handOff, cancellationToken);
                await alerts.MarkBreakingQueuedAsync(story.Id, cancellationToken);
                queued = true;
                metrics.BreakingQueued();
                LogBreaking(logger, story.Id);
            }
            else if (claim.HeldUntil is { } until)
            {
                // Another scorer holds the hand-off and may have died holding it (this very message may be the retry of
                // its work): a copy due when that claim runs out makes sure the alert goes. Deliveries are idempotent,
                // so a copy that turns out to be a second one sends nothing twice.
                await breaking.EnqueueAsync(handOff, until - now + TimeSpan.FromSeconds(1), cancellationToken);
                LogBreakingBackstop(logger, story.Id, until);
            }
        }

        return new ScoreOutcome(article, created, queued, story.Sources.Count);
    }

    private static Severity Max(Severity a, Severity b) => a > b ? a : b;

    // The article's most specific place, when it lies in the story's main country.
    private static ArticlePlace? MainPlace(ArticlePlaces places, Story story) =>
        places.MainPlace is { } place && place.Country == story.MainCountry ? ArticlePlace.From(place) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Article {ArticleId} scored {Severity} ({Score}) with {Signals} signals")]
    private static partial void LogScored(ILogger logger, string articleId, Severity severity, double score, int signals);

    [LoggerMessage(Level = LogLevel.Information, Message = "Critical alert for story {StoryId} queued for immediate sending")]
    private static partial void LogBreaking(ILogger logger, string storyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Article {ArticleId} is in {Language}, which no active list covers: scored, not understood")]
    private static partial void LogNotCovered(ILogger logger, string articleId, string language);

    [LoggerMessage(Level = LogLevel.Information, Message = "Critical alert for story {StoryId}: another scorer holds the hand-off until {Until}; a copy is queued for then")]
    private static partial void LogBreakingBackstop(ILogger logger, string storyId, DateTimeOffset until);
}
