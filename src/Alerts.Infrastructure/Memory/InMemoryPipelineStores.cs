using System.Globalization;
using System.Runtime.CompilerServices;
using Alerts.Core.Admin;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;

namespace Alerts.Infrastructure.Memory;

/// <summary>The feed registry in process memory (journaled for <c>alerts run</c>); versions make claims exclusive.</summary>
public sealed class InMemoryFeedRegistry(IRecordJournal? journal = null) : InMemoryRecords<FeedRecord>(journal, "feeds"), IFeedRegistry
{
    public Task<FeedRecord?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Get(id));

    public IAsyncEnumerable<FeedRecord> ListAsync(CancellationToken cancellationToken) => Enumerate(Snapshot(_ => true), cancellationToken);

    public IAsyncEnumerable<FeedRecord> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Enumerate(Snapshot(f => f.Enabled && f.NextDueAt <= now), cancellationToken);

    public Task<bool> AddAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return Task.FromResult(TryAdd(feed.Id, feed with { Version = NewVersion() }));
    }

    public Task<bool> TryClaimAsync(FeedRecord feed, DateTimeOffset nextDueAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var claimed = false;
        Update(feed.Id, current =>
        {
            claimed = current.Version == feed.Version;
            return claimed ? current with { NextDueAt = nextDueAt, Version = NewVersion() } : current;
        });
        return Task.FromResult(claimed);
    }

    public Task<FeedRecord?> UpdateAsync(string id, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Task.FromResult(Update(id, current => change(current) is var changed && ReferenceEquals(changed, current) ? current : changed with { Id = id, Version = NewVersion() }));
    }

    /// <summary>In memory a read costs nothing: the same as <see cref="UpdateAsync"/>.</summary>
    public Task<FeedRecord?> UpdateFromAsync(FeedRecord known, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        return UpdateAsync(known.Id, change, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken) =>
        Task.FromResult(Remove(id, f => ifMatch is null || f.Version == ifMatch));

    private static async IAsyncEnumerable<FeedRecord> Enumerate(List<FeedRecord> feeds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var feed in feeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return feed;
        }

        await Task.CompletedTask;
    }
}

/// <summary>The seen-article index in process memory: aliases point at the first article that claimed them.</summary>
public sealed class InMemoryArticleIndex(IRecordJournal? journal = null) : InMemoryRecords<InMemoryArticleIndex.Entry>(journal, "articleindex"), IArticleIndex
{
    /// <summary>An alias ("A…") pointing at an article, or an article's claim ("C…").</summary>
    public sealed record Entry(string ArticleId, bool Published = false, DateTimeOffset ClaimedUntil = default);

    public Task<ArticleClaim> TryClaimAsync(string articleId, IReadOnlyList<string> aliases, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        lock (Gate)
        {
            if (aliases.Any(alias => Get("A" + alias) is { } owner && owner.ArticleId != articleId))
            {
                return Task.FromResult(ArticleClaim.Duplicate);
            }

            if (Get("C" + articleId) is { } claim && (claim.Published || claim.ClaimedUntil > now))
            {
                return Task.FromResult(ArticleClaim.Duplicate);
            }

            foreach (var alias in aliases)
            {
                Put("A" + alias, new Entry(articleId));
            }

            Put("C" + articleId, new Entry(articleId, false, now + lease));
            return Task.FromResult(ArticleClaim.Claimed);
        }
    }

    public Task MarkPublishedAsync(string articleId, CancellationToken cancellationToken)
    {
        Put("C" + articleId, new Entry(articleId, true));
        return Task.CompletedTask;
    }
}

/// <summary>Full article text in process memory.</summary>
public sealed class InMemoryArticleContentStore(IRecordJournal? journal = null) : InMemoryRecords<Article>(journal, "articles"), IArticleContentStore
{
    public Task SaveAsync(Article article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        Put(article.Id, article);
        return Task.CompletedTask;
    }

    public Task<Article?> GetAsync(string articleId, CancellationToken cancellationToken) => Task.FromResult(Get(articleId));
}

/// <summary>Keyword-list documents in process memory; the ETag is a counter that changes on every write.</summary>
public sealed class InMemoryKeywordListStore(TimeProvider time, IRecordJournal? journal = null) : InMemoryRecords<StoredKeywordList>(journal, "keywordlists"), IKeywordListStore
{
    public Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(Snapshot(_ => true).ToDictionary(l => l.Name, l => l.ETag, StringComparer.Ordinal));

    public Task<StoredKeywordList?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Get(name));

    public Task<string?> TrySaveAsync(string name, string document, string? ifMatch, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            var current = Get(name);
            if ((ifMatch is null && current is not null) || (ifMatch is not null && current?.ETag != ifMatch))
            {
                return Task.FromResult<string?>(null);
            }

            var etag = "\"" + Guid.NewGuid().ToString("N") + "\"";
            Put(name, new StoredKeywordList(name, document, etag, time.GetUtcNow()));
            return Task.FromResult<string?>(etag);
        }
    }

    public Task<bool> TryDeleteAsync(string name, string ifMatch, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            return Task.FromResult(Get(name)?.ETag == ifMatch && Remove(name));
        }
    }
}

/// <summary>Scored articles in process memory.</summary>
public sealed class InMemoryScoredArticleStore(IRecordJournal? journal = null) : InMemoryRecords<ScoredArticle>(journal, "scoredarticles"), IScoredArticleStore
{
    public Task SaveAsync(ScoredArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        Put(article.Id, article);
        return Task.CompletedTask;
    }

    public Task<ScoredArticle?> GetAsync(string articleId, CancellationToken cancellationToken) => Task.FromResult(Get(articleId));

    public async IAsyncEnumerable<ScoredArticle> ListSinceAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var article in Snapshot(a => a.ScoredAt >= since))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return article;
        }

        await Task.CompletedTask;
    }
}

/// <summary>Keyword-list versions in process memory.</summary>
public sealed class InMemoryKeywordListHistory(IRecordJournal? journal = null) : InMemoryRecords<KeywordListVersion>(journal, "keywordlistversions"), IKeywordListHistory
{
    public Task<KeywordListVersion> AppendAsync(KeywordListVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (Gate)
        {
            var existing = Snapshot(v => v.Name == version.Name);
            if (existing.FirstOrDefault(v => v.ETag.Length > 0 && v.ETag == version.ETag) is { } same)
            {
                return Task.FromResult(same);
            }

            var numbered = version with { Number = existing.Count == 0 ? 1 : existing.Max(v => v.Number) + 1 };
            Put(Key(numbered.Name, numbered.Number), numbered);
            return Task.FromResult(numbered);
        }
    }

    public Task<IReadOnlyList<KeywordListVersion>> ListAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KeywordListVersion>>([.. Snapshot(v => v.Name == name).OrderByDescending(v => v.Number).Select(v => v with { Document = "" })]);

    public Task<KeywordListVersion?> GetAsync(string name, int number, CancellationToken cancellationToken) => Task.FromResult(Get(Key(name, number)));

    private static string Key(string name, int number) => name + "/" + number.ToString("D6", CultureInfo.InvariantCulture);
}

/// <summary>The scheduled jobs' last runs in process memory.</summary>
public sealed class InMemoryRunLog(IRecordJournal? journal = null) : InMemoryRecords<RunRecord>(journal, "runs"), IRunLog
{
    public Task RecordAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        Put(run.Name, run);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RunRecord>>(Snapshot(_ => true));
}
