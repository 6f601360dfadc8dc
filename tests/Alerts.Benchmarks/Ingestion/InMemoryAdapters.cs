using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;

namespace Alerts.Benchmarks.Ingestion;

/// <summary>In-process adapters so that the poll-cycle benchmark measures fetching and parsing, not storage.</summary>
internal sealed class InMemoryFeedRegistry : IFeedRegistry
{
    private readonly ConcurrentDictionary<string, FeedRecord> _feeds = new(StringComparer.Ordinal);

    public Task<FeedRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_feeds.TryGetValue(id, out var feed) ? feed : null);

    public async IAsyncEnumerable<FeedRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var feed in _feeds.Values)
        {
            yield return feed;
        }
    }

    public async IAsyncEnumerable<FeedRecord> ListDueAsync(DateTimeOffset now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var feed in ListAsync(cancellationToken))
        {
            if (feed.Enabled && feed.NextDueAt <= now)
            {
                yield return feed;
            }
        }
    }

    public Task<bool> AddAsync(FeedRecord feed, CancellationToken cancellationToken) =>
        Task.FromResult(_feeds.TryAdd(feed.Id, feed with { Version = Guid.NewGuid().ToString() }));

    public Task<bool> TryClaimAsync(FeedRecord feed, DateTimeOffset nextDueAt, CancellationToken cancellationToken) =>
        Task.FromResult(_feeds.TryGetValue(feed.Id, out var current) && current.Version == feed.Version
            && _feeds.TryUpdate(feed.Id, current with { NextDueAt = nextDueAt, Version = Guid.NewGuid().ToString() }, current));

    public Task<FeedRecord?> UpdateAsync(string id, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken)
    {
        while (_feeds.TryGetValue(id, out var current))
        {
            var updated = change(current) with { Id = id, Version = Guid.NewGuid().ToString() };
            if (_feeds.TryUpdate(id, updated, current))
            {
                return Task.FromResult<FeedRecord?>(updated);
            }
        }

        return Task.FromResult<FeedRecord?>(null);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_feeds.TryRemove(id, out _));
}

internal sealed class InMemoryArticleIndex : IArticleIndex
{
    private readonly ConcurrentDictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _published = new(StringComparer.Ordinal);

    public Task<ArticleClaim> TryClaimAsync(string articleId, IReadOnlyList<string> aliases, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        foreach (var alias in aliases)
        {
            if (_aliases.GetOrAdd(alias, articleId) != articleId)
            {
                return Task.FromResult(ArticleClaim.Duplicate);
            }
        }

        return Task.FromResult(_published.TryAdd(articleId, false) ? ArticleClaim.Claimed : ArticleClaim.Duplicate);
    }

    public Task MarkPublishedAsync(string articleId, CancellationToken cancellationToken)
    {
        _published[articleId] = true;
        return Task.CompletedTask;
    }
}

internal sealed class InMemoryQueues : IFeedFetchQueue, IArticleQueue, IArticleContentStore
{
    public ConcurrentQueue<FeedFetchMessage> Fetches { get; } = new();

    public int Articles => _articles;

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
