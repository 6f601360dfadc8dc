using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Azure.Storage.Queues;

namespace Alerts.Infrastructure.Storage;

/// <summary>Sends JSON messages to an Azure Storage queue in the Base64 encoding the Functions trigger reads.</summary>
public abstract class JsonQueue<T>
{
    private readonly QueueClient _queue;
    private readonly Lazily _created;

    protected JsonQueue(QueueClient queue)
    {
        _queue = queue;
        _created = new Lazily(ct => _queue.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public Task EnqueueAsync(T message, CancellationToken cancellationToken) => EnqueueAsync(message, TimeSpan.Zero, cancellationToken);

    /// <summary>Sends <paramref name="message"/> invisible for <paramref name="delay"/> (at most the service's 7 days).</summary>
    public async Task EnqueueAsync(T message, TimeSpan delay, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay < MaxDelay ? delay : MaxDelay;
        await _queue.SendMessageAsync(BinaryData.FromObjectAsJson(message, ArticleMessage.JsonOptions), visibility, cancellationToken: cancellationToken);
    }

    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1);
}

/// <summary>The <c>feed-fetch</c> queue.</summary>
public sealed class FeedFetchQueue(StorageClients clients) : JsonQueue<FeedFetchMessage>(clients.Queue(clients.Options.FeedFetchQueue)), IFeedFetchQueue;

/// <summary>The <c>articles</c> queue.</summary>
public sealed class ArticleQueue(StorageClients clients) : JsonQueue<ArticleMessage>(clients.Queue(clients.Options.ArticlesQueue)), IArticleQueue
{
    public bool CarriesText => true;
}

/// <summary>The <c>breaking</c> queue of critical alerts.</summary>
public sealed class BreakingQueue(StorageClients clients) : JsonQueue<BreakingAlertMessage>(clients.Queue(clients.Options.BreakingQueue)), IBreakingQueue;
