using System.Collections.Concurrent;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;

namespace Alerts.Benchmarks.Ingestion;

/// <summary>In-process queues so that the poll-cycle benchmark measures fetching and parsing, not storage: it counts articles and keeps no text.</summary>
internal sealed class InMemoryQueues : IFeedFetchQueue, IArticleQueue, IArticleContentStore
{
    public ConcurrentQueue<FeedFetchMessage> Fetches { get; } = new();

    public int Articles => _articles;

    public bool CarriesText => true;

    private int _articles;

    public Task EnqueueAsync(FeedFetchMessage message, CancellationToken cancellationToken)
    {
        Fetches.Enqueue(message);
        return Task.CompletedTask;
    }

    public Task EnqueueAsync(ArticleMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _articles);
        return Task.CompletedTask;
    }

    public Task SaveAsync(Article article, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<Article?> GetAsync(string articleId, CancellationToken cancellationToken) => Task.FromResult<Article?>(null);
}
