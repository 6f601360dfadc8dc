using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Infrastructure.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>Scores a new article with every active keyword list; stores it, creates its alert, queues critical ones.</summary>
public sealed class ScoreArticle(ArticleScorer scorer)
{
    [Function(nameof(ScoreArticle))]
    public Task<ScoreOutcome> Run([QueueTrigger(QueueNames.Articles, Connection = "AzureWebJobsStorage")] ArticleMessage message, CancellationToken cancellationToken) =>
        scorer.ScoreAsync(message, cancellationToken);
}
