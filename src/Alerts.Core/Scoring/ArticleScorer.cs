using Alerts.Core.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Scoring;

/// <summary>
/// Scores one article from the <c>articles</c> queue with every active list, stores the scored article, creates an
/// alert for severity watch or above, and hands critical alerts to the <c>breaking</c> queue exactly once. Running
/// twice on the same message replaces the scored article with the same content and creates nothing new.
/// </summary>
public sealed partial class ArticleScorer(
    KeywordListProvider lists,
    IArticleContentStore contents,
    IScoredArticleStore scored,
    IAlertStore alerts,
    IBreakingQueue breaking,
    TimeProvider time,
    IOptions<ScoringOptions> options,
    ILogger<ArticleScorer> logger)
{
    public async Task<ScoreOutcome> ScoreAsync(ArticleMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var snapshot = await lists.GetAsync(cancellationToken);
        var (title, content) = await ArticleMessageText.ReadAsync(message, contents, cancellationToken);
        var result = KeywordScorer.Score(snapshot.Compiled, title, content);
        var now = time.GetUtcNow();
        var article = new ScoredArticle
        {
            Id = message.Id,
            FeedId = message.FeedId,
            Url = message.Url,
            Title = message.Title,
            Published = message.Published,
            Language = message.Language,
            ScoredAt = now,
            Result = result,
            Lists = snapshot.Versions,
        };
        await scored.SaveAsync(article, cancellationToken);
        LogScored(logger, message.Id, result.Severity, result.Score, result.Signals.Count);
        if (result.Severity < Severity.Watch)
        {
            return new ScoreOutcome(article, false, false);
        }

        var created = await alerts.TryAddAsync(new AlertRecord
        {
            ArticleId = message.Id,
            Severity = result.Severity,
            Score = result.Score,
            Title = message.Title,
            Url = message.Url,
            FeedId = message.FeedId,
            Signals = result.Signals.Select(s => s.Id).ToArray(),
            Published = message.Published,
            CreatedAt = now,
        }, cancellationToken);

        // The alert as first recorded decides: a rescore with edited lists does not send a second breaking message.
        var alert = await alerts.GetAsync(message.Id, cancellationToken);
        var queued = false;
        if (alert?.Severity == Severity.Critical && await alerts.TryClaimBreakingAsync(message.Id, now, options.Value.BreakingClaimLease, cancellationToken))
        {
            await breaking.EnqueueAsync(new BreakingAlertMessage(alert.ArticleId, alert.Title, alert.Url, alert.Score, alert.Signals, now), cancellationToken);
            await alerts.MarkBreakingQueuedAsync(message.Id, cancellationToken);
            queued = true;
            LogBreaking(logger, message.Id);
        }

        return new ScoreOutcome(article, created, queued);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Article {ArticleId} scored {Severity} ({Score}) with {Signals} signals")]
    private static partial void LogScored(ILogger logger, string articleId, Severity severity, double score, int signals);

    [LoggerMessage(Level = LogLevel.Information, Message = "Critical alert for article {ArticleId} queued for immediate sending")]
    private static partial void LogBreaking(ILogger logger, string articleId);
}
