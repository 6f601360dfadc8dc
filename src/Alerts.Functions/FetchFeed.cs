using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>Fetches one feed and queues its new articles. Feed failures are recorded on the feed, not thrown.</summary>
public sealed class FetchFeed(FeedIngestor ingestor)
{
    [Function(nameof(FetchFeed))]
    public Task<IngestResult> Run([QueueTrigger(QueueNames.FeedFetch, Connection = "AzureWebJobsStorage")] FeedFetchMessage message, CancellationToken cancellationToken) =>
        ingestor.IngestAsync(message, cancellationToken);
}
