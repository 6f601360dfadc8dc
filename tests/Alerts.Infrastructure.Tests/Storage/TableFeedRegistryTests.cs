using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;

namespace Alerts.Infrastructure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableFeedRegistryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly TableFeedRegistry _registry = new(azurite.CreateClients(out _));

    private static FeedRecord Feed(string url, DateTimeOffset due, bool enabled = true) => new()
    {
        Id = FeedRecord.IdForUrl(url),
        Url = url,
        Title = "T",
        Enabled = enabled,
        PollInterval = TimeSpan.FromMinutes(10),
        NextDueAt = due,
    };

    [Fact]
    public async Task AddAndGet_RoundTripsEveryField()
    {
        var feed = Feed("https://a.example/rss", Now) with
        {
            ETag = "\"e\"", LastModified = "Sat, 28 Nov 2026 10:00:00 GMT", LastError = "boom", LastErrorAt = Now, LastWarning = "Dropped 1 character that XML does not allow.",
            LastFetchedAt = Now, LastSuccessAt = Now.AddHours(-1), LastHttpStatus = 503, ConsecutiveFailures = 2,
            FetchCount = 9, NotModifiedCount = 4, FailureCount = 2, NewArticleCount = 31,
            RecentArticles = [new FeedArticleRef("a1", "Curfew in the capital", "https://a.example/1", Now.AddHours(-2), Now), new FeedArticleRef("a2", "Market day", null, null, Now)],
        };

        Assert.True(await _registry.AddAsync(feed, default));
        var read = await _registry.GetAsync(feed.Id, default);

        Assert.NotNull(read);
        Assert.NotNull(read.Version);
        Assert.Equal(feed.RecentArticles, read.RecentArticles);
        Assert.Equal(feed, read with { Version = null, RecentArticles = feed.RecentArticles });
    }

    [Fact]
    public async Task Add_SameUrlTwice_KeepsFirst()
    {
        Assert.True(await _registry.AddAsync(Feed("https://b.example/rss", Now), default));
        Assert.False(await _registry.AddAsync(Feed("https://b.example/rss", Now.AddDays(1)) with { Title = "Other" }, default));

        Assert.Equal("T", (await _registry.GetAsync(FeedRecord.IdForUrl("https://b.example/rss"), default))!.Title);
    }

    [Fact]
    public async Task ListDue_ReturnsOnlyEnabledFeedsThatAreDue()
    {
        await _registry.AddAsync(Feed("https://due.example/rss", Now.AddMinutes(-1)), default);
        await _registry.AddAsync(Feed("https://exactly.example/rss", Now), default);
        await _registry.AddAsync(Feed("https://later.example/rss", Now.AddMinutes(1)), default);
        await _registry.AddAsync(Feed("https://disabled.example/rss", Now.AddHours(-1), enabled: false), default);

        var due = await _registry.ListDueAsync(Now, default).Select(f => f.Url).OrderBy(u => u, StringComparer.Ordinal).ToListAsync();

        Assert.Equal(["https://due.example/rss", "https://exactly.example/rss"], due);
    }

    [Fact]
    public async Task TryClaim_SecondClaimOnSameVersion_Fails()
    {
        await _registry.AddAsync(Feed("https://claim.example/rss", Now), default);
        var read = (await _registry.GetAsync(FeedRecord.IdForUrl("https://claim.example/rss"), default))!;

        Assert.NotNull(Assert.Single(await _registry.TryClaimAsync([new FeedClaim(read, Now.AddMinutes(10))], default)));
        Assert.Null(Assert.Single(await _registry.TryClaimAsync([new FeedClaim(read, Now.AddMinutes(20))], default)));
        Assert.Equal(Now.AddMinutes(10), (await _registry.GetAsync(read.Id, default))!.NextDueAt);
    }

    [Fact]
    public async Task TryClaim_ManyFeeds_OneRequestPerHundred_AndAContestedHundredOneByOne()
    {
        // 130 feeds: two transactions. Of the first hundred, one was claimed by another poller after the read and one
        // deleted: that transaction fails, the feed it failed on is read, and the other 99 are claimed one by one.
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        var registry = new TableFeedRegistry(AzuriteFixture.CreateClients(proxy.ConnectionString, out _));
        var read = await AddAndReadAsync(registry, 130, "many");
        Assert.NotNull(Assert.Single(await registry.TryClaimAsync([new FeedClaim(read[7], Now.AddMinutes(5))], default)));
        Assert.True(await registry.DeleteAsync(read[50].Id, null, default));
        var before = proxy.Counts.GetValueOrDefault("requests");

        var versions = await registry.TryClaimAsync([.. read.Select(f => new FeedClaim(f, Now.AddMinutes(10)))], default);

        Assert.Equal(1 + 1 + 99 + 1, proxy.Counts.GetValueOrDefault("requests") - before);
        Assert.Equal([7, 50], Enumerable.Range(0, 130).Where(i => versions[i] is null));
        await AssertClaimedAsync(registry, read, versions, except: [7, 50]);
        Assert.Equal(Now.AddMinutes(5), (await registry.GetAsync(read[7].Id, default))!.NextDueAt); // the other poller's claim stands
        Assert.Null(await registry.GetAsync(read[50].Id, default));
    }

    [Fact]
    public async Task TryClaim_ATransactionWhoseAnswerWasLost_IsRecognizedAsOurs()
    {
        // The service carries the claim out and its answer is lost: the SDK sends it again, which fails on the versions
        // the first one moved. Every feed is still claimed by this call, with the version the row now has.
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        var registry = new TableFeedRegistry(AzuriteFixture.CreateClients(proxy.ConnectionString, out _));
        var read = await AddAndReadAsync(registry, 20, "lost");
        proxy.Planned.Enqueue(("$batch", "lost-answer"));

        var versions = await registry.TryClaimAsync([.. read.Select(f => new FeedClaim(f, Now.AddMinutes(10)))], default);

        Assert.Equal(1, proxy.Counts.GetValueOrDefault("lost-answer"));
        await AssertClaimedAsync(registry, read, versions, except: []);
    }

    private static async Task<List<FeedRecord>> AddAndReadAsync(TableFeedRegistry registry, int count, string name)
    {
        var read = new List<FeedRecord>();
        foreach (var url in Enumerable.Range(0, count).Select(i => $"https://{name}{i}.example/rss"))
        {
            await registry.AddAsync(Feed(url, Now), default);
            read.Add((await registry.GetAsync(FeedRecord.IdForUrl(url), default))!);
        }

        return read;
    }

    // Every feed but the excepted ones claimed until ten minutes on, with the version the claim returned.
    private static async Task AssertClaimedAsync(TableFeedRegistry registry, List<FeedRecord> read, IReadOnlyList<string?> versions, int[] except)
    {
        for (var i = 0; i < read.Count; i++)
        {
            if (except.Contains(i))
            {
                continue;
            }

            var now = (await registry.GetAsync(read[i].Id, default))!;
            Assert.Equal((Now.AddMinutes(10), versions[i]), (now.NextDueAt, now.Version));
        }
    }

    [Fact]
    public async Task Update_ConcurrentChanges_AreBothApplied()
    {
        var feed = Feed("https://update.example/rss", Now);
        await _registry.AddAsync(feed, default);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _registry.UpdateAsync(feed.Id, f => f with { FetchCount = f.FetchCount + 1 }, default)));

        Assert.Equal(8, (await _registry.GetAsync(feed.Id, default))!.FetchCount);
    }

    [Fact]
    public async Task UpdateAndDelete_MissingFeed_ReturnNullAndFalse()
    {
        Assert.Null(await _registry.UpdateAsync("missing", f => f, default));
        Assert.False(await _registry.DeleteAsync("missing", null, default));
    }
}
