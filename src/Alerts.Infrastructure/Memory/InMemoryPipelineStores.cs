using System.Globalization;
using System.Runtime.CompilerServices;
using Alerts.Core.Admin;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;

namespace Alerts.Infrastructure.Memory;

/// <summary>The feed registry over record tables (memory, or the embedded store); versions make claims exclusive; enabled feeds indexed by when they are due.</summary>
public sealed class InMemoryFeedRegistry(IRecordTables? tables = null) : RecordCollection<FeedRecord>(tables, "feeds", f => f.Enabled ? RecordOrder.Of(f.NextDueAt) : null), IFeedRegistry
{
    public Task<FeedRecord?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Get(id));

    public IAsyncEnumerable<FeedRecord> ListAsync(CancellationToken cancellationToken) => Enumerate(Scan().Select(r => r.Item), cancellationToken);

    public IAsyncEnumerable<FeedRecord> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Enumerate(Ordered("", RecordOrder.Of(now.AddTicks(1))).Select(r => r.Item), cancellationToken);

    public Task<bool> AddAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return Task.FromResult(TryAdd(feed.Id, feed with { Version = NewVersion() }));
    }

    public Task<IReadOnlyList<string?>> TryClaimAsync(IReadOnlyList<FeedClaim> claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var versions = new string?[claims.Count];
        for (var i = 0; i < claims.Count; i++)
        {
            var (feed, nextDueAt) = claims[i];
            Update(feed.Id, current =>
            {
                versions[i] = current.Version == feed.Version ? NewVersion() : null;
                return versions[i] is { } claimed ? current with { NextDueAt = nextDueAt, Version = claimed } : current;
            });
        }

        return Task.FromResult<IReadOnlyList<string?>>(versions);
    }

    /// <summary>In memory a read costs nothing: never written here, so the caller reads and updates as usual.</summary>
    public Task<bool> TryRecordNotModifiedAsync(FeedRecord updated, CancellationToken cancellationToken) => Task.FromResult(false);

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

    private static async IAsyncEnumerable<FeedRecord> Enumerate(IEnumerable<FeedRecord> feeds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var feed in feeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return feed;
        }

        await Task.CompletedTask;
    }
}

/// <summary>The seen-article index over record tables: aliases point at the first article that claimed them.</summary>
public sealed class InMemoryArticleIndex(IRecordTables? tables = null) : RecordCollection<InMemoryArticleIndex.Entry>(tables, "articleindex"), IArticleIndex
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

            // Published: done. Claimed and not yet published: someone is publishing it, or died doing so (its enqueue
            // may be lost): not done, so the feed is read again once the claim runs out (as the table index answers).
            if (Get("C" + articleId) is { } claim && (claim.Published || claim.ClaimedUntil > now))
            {
                return Task.FromResult(claim.Published ? ArticleClaim.Duplicate : ArticleClaim.InProgress);
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

/// <summary>
/// Full article text over record tables. With <paramref name="textOnly"/> (the embedded store) it keeps the one copy of
/// the text the scorer reads: not the item's HTML form (which nothing reads back) nor a summary beside a content.
/// </summary>
public sealed class InMemoryArticleContentStore(IRecordTables? tables = null, bool textOnly = false) : RecordCollection<Article>(tables, "articles"), IArticleContentStore
{
    public Task SaveAsync(Article article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        Put(article.Id, textOnly ? article with { ContentHtml = null, Summary = article.Content.Length > 0 ? "" : article.Summary } : article);
        return Task.CompletedTask;
    }

    public Task<Article?> GetAsync(string articleId, CancellationToken cancellationToken) => Task.FromResult(Get(articleId));

    /// <summary>The article, read at once.</summary>
    public Article? Find(string articleId) => Get(articleId);
}

/// <summary>Keyword-list documents over record tables; the ETag changes on every write.</summary>
public sealed class InMemoryKeywordListStore(TimeProvider time, IRecordTables? tables = null) : RecordCollection<StoredKeywordList>(tables, "keywordlists", durable: true), IKeywordListStore
{
    public Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(Scan().ToDictionary(r => r.Item.Name, r => r.Item.ETag, StringComparer.Ordinal));

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

/// <summary>
/// Scored articles over record tables, indexed by when they were scored. Given the <paramref name="texts"/> that hold
/// each article's text, the text scored is not stored a second time: it is read back from there.
/// </summary>
public sealed class InMemoryScoredArticleStore(IRecordTables? tables = null, InMemoryArticleContentStore? texts = null)
    : RecordCollection<ScoredArticle>(tables, "scoredarticles", a => RecordOrder.Of(a.ScoredAt)), IScoredArticleStore
{
    public Task SaveAsync(ScoredArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        Put(article.Id, texts is null ? article : article with { Content = "" });
        return Task.CompletedTask;
    }

    public Task<ScoredArticle?> GetAsync(string articleId, CancellationToken cancellationToken) =>
        Task.FromResult(Get(articleId) is { } article ? WithText(article) : null);

    public async IAsyncEnumerable<ScoredArticle> ListNewestAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (_, article) in Ordered(RecordOrder.Of(since), RecordOrder.End, descending: true))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return WithText(article);
        }

        await Task.CompletedTask;
    }

    // The text that was scored: the article's content (or its summary when it has none), capped as the scorer caps it.
    private ScoredArticle WithText(ScoredArticle article) =>
        texts is null || texts.Find(article.Id) is not { } text ? article
            : article with { Content = ArticleMessageText.Capped(text.Title, text.Content.Length > 0 ? text.Content : text.Summary).Content };
}

/// <summary>Keyword-list versions over record tables, keyed by name and number.</summary>
public sealed class InMemoryKeywordListHistory(IRecordTables? tables = null) : RecordCollection<KeywordListVersion>(tables, "keywordlistversions", durable: true), IKeywordListHistory
{
    public Task<KeywordListVersion> AppendAsync(KeywordListVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (Gate)
        {
            var existing = Scan(version.Name + "/").Select(r => r.Item).ToList();
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
        Task.FromResult<IReadOnlyList<KeywordListVersion>>([.. Scan(name + "/").Select(r => r.Item).OrderByDescending(v => v.Number).Select(v => v with { Document = "" })]);

    public Task<KeywordListVersion?> GetAsync(string name, int number, CancellationToken cancellationToken) => Task.FromResult(Get(Key(name, number)));

    private static string Key(string name, int number) => name + "/" + number.ToString("D6", CultureInfo.InvariantCulture);
}

/// <summary>The scheduled jobs' last runs over record tables.</summary>
public sealed class InMemoryRunLog(IRecordTables? tables = null) : RecordCollection<RunRecord>(tables, "runs"), IRunLog
{
    public Task RecordAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        Put(run.Name, run);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RunRecord>>([.. Scan().Select(r => r.Item)]);
}

/// <summary>Feedback over record tables, ordered by when it was given; same contract as the table store.</summary>
public sealed class InMemoryFeedbackStore(IRecordTables? tables = null)
    : RecordCollection<Alerts.Core.Feedback.FeedbackRecord>(tables, "feedback", f => RecordOrder.Of(f.At), durable: true), Alerts.Core.Feedback.IFeedbackStore
{
    public Task RecordAsync(Alerts.Core.Feedback.FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        Put(feedback.StoryId + "|" + feedback.SubscriberId, feedback);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Alerts.Core.Feedback.FeedbackRecord>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Alerts.Core.Feedback.FeedbackRecord>>([.. Ordered(RecordOrder.Of(since), RecordOrder.End).Select(r => r.Item)]);

    public Task DeleteAllAsync(string subscriberId, CancellationToken cancellationToken)
    {
        foreach (var (key, _) in Scan().Where(r => r.Item.SubscriberId == subscriberId).ToList())
        {
            Remove(key);
        }

        return Task.CompletedTask;
    }
}
