using System.Diagnostics.Metrics;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Alerts.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class FetchFeedTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionHost _host = null!;
    private FeedServer _server = null!;

    public async Task InitializeAsync()
    {
        _host = new FunctionHost(azurite);
        _server = await FeedServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static string Rss(params (string Title, string? Link, string? Guid)[] items) =>
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><ttl>5</ttl>" +
        string.Concat(items.Select(i =>
            $"<item><title>{i.Title}</title>{(i.Link is null ? "" : $"<link>{i.Link}</link>")}{(i.Guid is null ? "" : $"<guid isPermaLink=\"false\">{i.Guid}</guid>")}" +
            $"<description>{i.Title} — report.</description><pubDate>Sat, 28 Nov 2026 10:00:00 GMT</pubDate></item>")) +
        "</channel></rss>";

    /// <summary>Polls, then runs FetchFeed on every queued message as the host would.</summary>
    private async Task<List<IngestResult>> PollAndFetchAsync()
    {
        await _host.Create<PollFeeds>().Run(new TimerInfo(), default);
        var fetch = _host.Create<FetchFeed>();
        var results = new List<IngestResult>();
        foreach (var message in await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue))
        {
            results.Add(await fetch.Run(message, default));
        }

        return results;
    }

    [Fact]
    public async Task Run_ADocumentWithNothingNew_CostsTwoRequestsWhateverItsLength_AndNewItemsStillGetThrough()
    {
        // Requests counted by a proxy in front of Azurite: what FetchFeed itself asks of storage (the host's own queue
        // reads aside). Documents without validators, so every fetch is a 200 with the whole document.
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = proxy.ConnectionString }, shareWith: _host.Names);
        var fetch = host.Create<FetchFeed>();
        var costs = new Dictionary<int, int>();
        foreach (var size in new[] { 5, 60 })
        {
            var items = Enumerable.Range(0, size).Select(i => ($"Item {i} of {size}", (string?)$"https://long.example/{size}/{i}", (string?)null)).ToArray();
            _server.Feed($"long{size}", Rss(items), etag: null);
            var feed = await host.AddFeedAsync(_server.Url($"long{size}"));
            var message = new FeedFetchMessage(feed.Id, feed.Url, host.Time.GetUtcNow());
            Assert.Equal(size, (await fetch.Run(message, default)).NewArticles);

            var before = proxy.Counts.GetValueOrDefault("requests");
            var again = await fetch.Run(message, default);
            costs[size] = proxy.Counts.GetValueOrDefault("requests") - before;
            Assert.Equal((IngestOutcome.Fetched, size, 0), (again.Outcome, again.Items, again.NewArticles));

            // One new item at the top: only it costs index requests, and it is published.
            _server.Feed($"long{size}", Rss([($"Breaking {size}", $"https://long.example/{size}/new", null), .. items]), etag: null);
            Assert.Equal(1, (await fetch.Run(message, default)).NewArticles);
        }

        Assert.Equal(2, costs[5]); // read the feed, write its health
        Assert.Equal(2, costs[60]);
    }

    [Fact]
    public async Task Run_NewFeed_QueuesEveryArticleAndRecordsHealth()
    {
        _server.Feed("wire", Rss(("Curfew declared", "https://wire.example/1", "w-1"), ("Troops deployed", "https://wire.example/2", "w-2")), etag: "\"e1\"");
        var feed = await _host.AddFeedAsync(_server.Url("wire"));

        var result = Assert.Single(await PollAndFetchAsync());

        var articles = await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue);
        Assert.Equal(new IngestResult(IngestOutcome.Fetched, 2, 2), result);
        Assert.Equal(["Curfew declared", "Troops deployed"], articles.Select(a => a.Title).Order(StringComparer.Ordinal));
        Assert.All(articles, a => Assert.Equal(feed.Id, a.FeedId));
        var health = (await _host.Registry.GetAsync(feed.Id, default))!;
        Assert.Equal("\"e1\"", health.ETag);
        Assert.Equal("Wire", health.Title);
        Assert.Equal(1, health.FetchCount);
        Assert.Equal(2, health.NewArticleCount);
        Assert.Equal(["Curfew declared", "Troops deployed"], health.RecentArticles.Select(a => a.Title).Order(StringComparer.Ordinal)); // kept with the feed, for admins
        Assert.All(health.RecentArticles, a => Assert.Contains(articles, m => m.Id == a.Id && m.Url == a.Url));
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Null(health.LastError);
        Assert.Equal(_host.Time.GetUtcNow(), health.LastSuccessAt);
        Assert.Equal(_host.Time.GetUtcNow() + feed.PollInterval, health.NextDueAt);
    }

    [Fact]
    public async Task Run_SameMessageDeliveredTwice_YieldsOneArticleEach()
    {
        _server.Feed("wire", Rss(("Coup attempt reported", "https://wire.example/coup", null)));
        var feed = await _host.AddFeedAsync(_server.Url("wire"));
        var message = new FeedFetchMessage(feed.Id, feed.Url, _host.Time.GetUtcNow());
        var fetch = _host.Create<FetchFeed>();

        var first = await fetch.Run(message, default);
        var second = await fetch.Run(message, default); // no validators stored yet? they are: the server sent an ETag
        await _host.Registry.UpdateAsync(feed.Id, f => f with { ETag = null }, default);
        var third = await fetch.Run(message, default);  // full body again, same items

        Assert.Equal(1, first.NewArticles);
        Assert.Equal(IngestOutcome.NotModified, second.Outcome);
        Assert.Equal(new IngestResult(IngestOutcome.Fetched, 1, 0), third);
        Assert.Single(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue));
    }

    [Fact]
    public async Task Run_ItemHeldByAPublisherThatDied_IsTakenOverAfterItsClaim_NotSkippedForGood()
    {
        var rss = Rss(("Curfew declared", "https://wire.example/held", "w-held"), ("Troops deployed", "https://wire.example/other", "w-other"));
        _server.Feed("wire", rss, etag: "\"e1\"");
        var feed = await _host.AddFeedAsync(_server.Url("wire"));
        var held = FeedParser.ToArticles(feed.Id, FeedParser.Parse(rss, _server.Url("wire"))).First(a => a.Title == "Curfew declared");
        // A publisher claimed it, then died before queueing it.
        Assert.Equal(ArticleClaim.Claimed, await _host.Get<IArticleIndex>().TryClaimAsync(held.Id, ArticleKeys.AliasesFor(held.Key, held.Url), _host.Time.GetUtcNow(), TimeSpan.FromMinutes(5), default));

        var first = Assert.Single(await PollAndFetchAsync());
        Assert.Equal(1, first.NewArticles);
        Assert.Null((await _host.Registry.GetAsync(feed.Id, default))!.ETag); // not done: no validators kept, so no 304 next time
        _host.Time.Advance(TimeSpan.FromMinutes(16));
        var second = Assert.Single(await PollAndFetchAsync());

        Assert.Equal(1, second.NewArticles);
        Assert.Equal(["Curfew declared", "Troops deployed"], (await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue)).Select(a => a.Title).Order(StringComparer.Ordinal));
        Assert.Equal("\"e1\"", (await _host.Registry.GetAsync(feed.Id, default))!.ETag);
    }

    [Fact]
    public async Task Run_ConcurrentDuplicateDeliveries_YieldOneArticle()
    {
        _server.Feed("wire", Rss(("Mass arrests in capital", "https://wire.example/arrests", "a-1")), etag: null);
        var feed = await _host.AddFeedAsync(_server.Url("wire"));
        var message = new FeedFetchMessage(feed.Id, feed.Url, _host.Time.GetUtcNow());

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _host.Create<FetchFeed>().Run(message, default)));

        Assert.Single(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue));
    }

    [Fact]
    public async Task Run_SameItemInTwoFeeds_YieldsOneArticle()
    {
        _server.Feed("a", Rss(("Martial law declared", "https://wire.example/ml?utm_source=a", "feed-a-77")));
        _server.Feed("b", Rss(("Martial law declared", "https://WIRE.example/ml#top", "b:991"), ("Other story", "https://wire.example/other", "b:992")));
        await _host.AddFeedAsync(_server.Url("a"));
        await _host.AddFeedAsync(_server.Url("b"));

        var results = await PollAndFetchAsync();

        var articles = await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue);
        Assert.Equal(2, results.Count);
        Assert.Equal(["Martial law declared", "Other story"], articles.Select(a => a.Title).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_ItemsWithoutGuidOrLink_DedupAcrossFetches()
    {
        _server.Feed("board", Rss(("Water points open", null, null), ("Clinic hours", null, null)), etag: null);
        var feed = await _host.AddFeedAsync(_server.Url("board"));
        var message = new FeedFetchMessage(feed.Id, feed.Url, _host.Time.GetUtcNow());

        await _host.Create<FetchFeed>().Run(message, default);
        await _host.Create<FetchFeed>().Run(message, default);

        Assert.Equal(2, (await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue)).Count);
    }

    [Fact]
    public async Task Run_NotModified_ReadsNoBodyAndCountsA304()
    {
        _server.Feed("wire", Rss(("Internet shutdown", "https://wire.example/net", "n-1")), etag: "\"same\"");
        var feed = await _host.AddFeedAsync(_server.Url("wire"));
        var fetch = _host.Create<FetchFeed>();
        var message = new FeedFetchMessage(feed.Id, feed.Url, _host.Time.GetUtcNow());
        await fetch.Run(message, default);
        _host.Time.Advance(TimeSpan.FromMinutes(10));

        var result = await fetch.Run(message, default);

        var health = (await _host.Registry.GetAsync(feed.Id, default))!;
        Assert.Equal(new IngestResult(IngestOutcome.NotModified, 0, 0), result);
        Assert.Equal("\"same\"", _server.Requests[^1].IfNoneMatch);
        Assert.Equal(2, health.FetchCount);
        Assert.Equal(1, health.NotModifiedCount);
        Assert.Equal(304, health.LastHttpStatus);
        Assert.Equal(_host.Time.GetUtcNow() + feed.PollInterval, health.NextDueAt);
    }

    [Fact]
    public async Task Poll_FeedsThatAnswer304_CostTwoRequestsEach_AndKeepEverythingElseOfTheFeed()
    {
        // Requests counted by a proxy in front of Azurite, the host's own queue reads aside. Per feed: PollFeeds queues it
        // with what its claim knew; FetchFeed gets a 304 and records it in one conditional write, without reading the feed.
        // Per timer run: the query for the due feeds, one claim per hundred due feeds, and the run's record.
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = proxy.ConnectionString }, shareWith: _host.Names);
        var feeds = new List<FeedRecord>();
        for (var i = 0; i < 3; i++)
        {
            _server.Feed($"steady{i}", Rss(($"Calm day {i} in the capital", $"https://steady.example/{i}", null)), etag: $"\"s{i}\"");
            feeds.Add(await host.AddFeedAsync(_server.Url($"steady{i}"), interval: TimeSpan.FromMinutes(5)));
        }

        async Task<List<IngestResult>> PollAndFetchAsync()
        {
            await host.Create<PollFeeds>().Run(new TimerInfo(), default);
            var results = new List<IngestResult>();
            foreach (var message in await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue))
            {
                results.Add(await host.Create<FetchFeed>().Run(message, default));
            }

            return results;
        }

        Assert.All(await PollAndFetchAsync(), r => Assert.Equal(IngestOutcome.Fetched, r.Outcome)); // the first read: 200s
        await host.Registry.UpdateAsync(feeds[0].Id, f => f with { Title = "Steady desk" }, default); // an admin's change before the poll
        var before = (await host.Registry.GetAsync(feeds[0].Id, default))!;
        host.Time.Advance(TimeSpan.FromMinutes(6));

        var requests = proxy.Counts.GetValueOrDefault("requests");
        proxy.Requests.Clear();
        var results = await PollAndFetchAsync();
        var cost = proxy.Counts.GetValueOrDefault("requests") - requests;

        Assert.Equal(3, results.Count(r => r.Outcome == IngestOutcome.NotModified));
        Assert.True(cost == 3 + (3 * 2), $"{cost} requests: {string.Join(", ", proxy.Requests)}");
        var after = (await host.Registry.GetAsync(feeds[0].Id, default))!;
        Assert.Equal((2L, 1L, 304, (string?)"\"s0\""), (after.FetchCount, after.NotModifiedCount, after.LastHttpStatus, after.ETag));
        Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromMinutes(5), after.NextDueAt);
        Assert.Equal(host.Time.GetUtcNow(), after.LastFetchedAt);
        Assert.Equal("Steady desk", after.Title);
        Assert.Equal(before.SeenItems, after.SeenItems);
        Assert.Equal(before.RecentArticles.Select(a => a.Id), after.RecentArticles.Select(a => a.Id));
    }

    [Fact]
    public async Task Run_AClaimedFeedChangedSinceTheClaim_IsReadAndRecordedAsUsual()
    {
        _server.Feed("moved", Rss(("Calm day", "https://moved.example/1", null)), etag: "\"m1\"");
        var feed = await _host.AddFeedAsync(_server.Url("moved"), interval: TimeSpan.FromMinutes(5));
        await _host.Create<FetchFeed>().Run(new FeedFetchMessage(feed.Id, feed.Url, _host.Time.GetUtcNow()), default);
        _host.Time.Advance(TimeSpan.FromMinutes(6));
        await _host.Create<PollFeeds>().Run(new TimerInfo(), default);
        var message = Assert.Single(await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue));
        Assert.NotNull(message.Claimed);

        await _host.Registry.UpdateAsync(feed.Id, f => f with { Title = "Renamed", FetchCount = f.FetchCount + 10 }, default); // after the claim
        var result = await _host.Create<FetchFeed>().Run(message, default);

        Assert.Equal(IngestOutcome.NotModified, result.Outcome);
        var after = (await _host.Registry.GetAsync(feed.Id, default))!;
        Assert.Equal(("Renamed", 12L, 1L), (after.Title, after.FetchCount, after.NotModifiedCount)); // nothing of the change lost
        Assert.Equal(2, _server.CountRequests("moved")); // fetched once per poll, not twice
    }

    [Fact]
    public async Task Run_RateLimited_ReschedulesAfterRetryAfter()
    {
        _server.Status("busy", 429, retryAfterSeconds: 7200);
        var feed = await _host.AddFeedAsync(_server.Url("busy"));

        var result = Assert.Single(await PollAndFetchAsync());

        var health = (await _host.Registry.GetAsync(feed.Id, default))!;
        Assert.Equal(IngestOutcome.Failed, result.Outcome);
        Assert.Equal(_host.Time.GetUtcNow().AddHours(2), health.NextDueAt);
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.Equal(429, health.LastHttpStatus);
        Assert.Contains("429", health.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TransientFailures_BackOffExponentiallyAndRecoverOnSuccess()
    {
        _server.Status("flaky", 500);
        var feed = await _host.AddFeedAsync(_server.Url("flaky"), interval: TimeSpan.FromMinutes(10));
        var fetch = _host.Create<FetchFeed>();
        var message = new FeedFetchMessage(feed.Id, feed.Url, _host.Time.GetUtcNow());

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            await fetch.Run(message, default);
            waits.Add((await _host.Registry.GetAsync(feed.Id, default))!.NextDueAt - _host.Time.GetUtcNow());
        }

        _server.Feed("flaky", Rss(("Back", "https://wire.example/back", "b")));
        await fetch.Run(message, default);
        var healed = (await _host.Registry.GetAsync(feed.Id, default))!;

        Assert.Equal([TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(40)], waits);
        Assert.Equal(0, healed.ConsecutiveFailures);
        Assert.Equal(3, healed.FailureCount);
        Assert.Null(healed.LastError);
    }

    [Fact]
    public async Task Run_NotFound_RecordsErrorAndCompletes()
    {
        var feed = await _host.AddFeedAsync(_server.Url("missing"));

        var result = Assert.Single(await PollAndFetchAsync());

        var health = (await _host.Registry.GetAsync(feed.Id, default))!;
        Assert.Equal(IngestOutcome.Failed, result.Outcome);
        Assert.True(health.Enabled);
        Assert.Equal("HTTP 404 Not Found.", health.LastError);
    }

    [Fact]
    public async Task Run_Gone_DisablesTheFeed()
    {
        _server.Status("gone", 410);
        var feed = await _host.AddFeedAsync(_server.Url("gone"));

        var result = Assert.Single(await PollAndFetchAsync());

        Assert.Equal(IngestOutcome.Disabled, result.Outcome);
        Assert.False((await _host.Registry.GetAsync(feed.Id, default))!.Enabled);
        _host.Time.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await PollAndFetchAsync());
    }

    [Fact]
    public async Task Run_TruncatedXml_ReadsTheWholeItems_DropsTheCutOne_RecordsTheRepairAsAWarning()
    {
        _server.Feed("broken", "<?xml version=\"1.0\"?><rss><channel><title>Cut</title><item><title>Curfew declared in the capital</title><link>https://wire.example/c1</link></item><item><title>Fir");
        var feed = await _host.AddFeedAsync(_server.Url("broken"));

        var result = Assert.Single(await PollAndFetchAsync());

        var health = (await _host.Registry.GetAsync(feed.Id, default))!;
        Assert.Equal((IngestOutcome.Fetched, 1), (result.Outcome, result.NewArticles));
        Assert.Null(health.LastError);
        Assert.StartsWith("Malformed XML at line 1", health.LastWarning, StringComparison.Ordinal);
        Assert.Contains("tolerant pass: 1 item", health.LastWarning, StringComparison.Ordinal);
        Assert.Equal("Curfew declared in the capital", Assert.Single(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue)).Title);
    }

    [Fact]
    public async Task Run_NotAFeedAtAll_RecordsTheParseError()
    {
        _server.Feed("html", "<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Please sign in</p></body></html>");
        var feed = await _host.AddFeedAsync(_server.Url("html"));

        var result = Assert.Single(await PollAndFetchAsync());

        Assert.Equal(IngestOutcome.Failed, result.Outcome);
        Assert.Equal("Not a feed: the root element is <html>.", (await _host.Registry.GetAsync(feed.Id, default))!.LastError);
        Assert.Empty(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue));
    }

    [Fact]
    public async Task Run_OneBadFeed_DoesNotAffectAnother()
    {
        _server.Status("bad", 503);
        _server.Feed("good", Rss(("Fatalities confirmed", "https://wire.example/f", "f-1")));
        var bad = await _host.AddFeedAsync(_server.Url("bad"));
        var good = await _host.AddFeedAsync(_server.Url("good"));

        var results = await PollAndFetchAsync();

        Assert.Equal(2, results.Count);
        Assert.Single(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue));
        Assert.Equal(1, (await _host.Registry.GetAsync(bad.Id, default))!.ConsecutiveFailures);
        Assert.Equal(0, (await _host.Registry.GetAsync(good.Id, default))!.ConsecutiveFailures);
    }

    [Fact]
    public async Task Run_PrivateAddressFeed_IsRefusedAndRecorded()
    {
        await using var strict = new FunctionHost(azurite, new() { ["Fetcher:AllowLoopback"] = "false" });
        _server.Feed("wire", Rss(("x", "https://wire.example/x", "x")));
        var feed = await strict.AddFeedAsync(_server.Url("wire"));

        var result = await strict.Create<FetchFeed>().Run(new FeedFetchMessage(feed.Id, feed.Url, strict.Time.GetUtcNow()), default);

        Assert.Equal(IngestOutcome.Failed, result.Outcome);
        Assert.Contains("127.0.0.1", (await strict.Registry.GetAsync(feed.Id, default))!.LastError, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Run_LongArticle_MessageIsCutAndFullTextIsStored()
    {
        var longText = string.Join(" ", Enumerable.Repeat("Security forces opened fire on the crowd near the ministry.", 3000));
        _server.Feed("long", $"<rss><channel><title>L</title><item><title>Long report</title><link>https://wire.example/long</link><description>{longText}</description></item></channel></rss>");
        await _host.AddFeedAsync(_server.Url("long"));

        await PollAndFetchAsync();

        var message = Assert.Single(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue));
        Assert.True(message.ContentTruncated);
        var stored = await _host.Services.GetRequiredService<IArticleContentStore>().GetAsync(message.Id, default);
        Assert.Equal(longText, stored!.Content);
    }

    [Fact]
    public async Task Run_UnknownFeed_IsSkipped()
    {
        var result = await _host.Create<FetchFeed>().Run(new FeedFetchMessage("nope", "https://x.example/", _host.Time.GetUtcNow()), default);

        Assert.Equal(IngestOutcome.Skipped, result.Outcome);
    }

    [Fact]
    public async Task Run_RecordsCounters()
    {
        var meterFactory = _host.Services.GetRequiredService<IMeterFactory>();
        using var fetched = new MetricCollector<long>(meterFactory, IngestionMetrics.MeterName, "alerts.feeds.fetched");
        using var notModified = new MetricCollector<long>(meterFactory, IngestionMetrics.MeterName, "alerts.feeds.not_modified");
        using var failed = new MetricCollector<long>(meterFactory, IngestionMetrics.MeterName, "alerts.feeds.failed");
        using var newArticles = new MetricCollector<long>(meterFactory, IngestionMetrics.MeterName, "alerts.articles.new");
        _server.Feed("ok", Rss(("One", "https://wire.example/one", "1"), ("Two", "https://wire.example/two", "2")));
        _server.Status("down", 500);
        await _host.AddFeedAsync(_server.Url("ok"));
        await _host.AddFeedAsync(_server.Url("down"));

        await PollAndFetchAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await PollAndFetchAsync();

        Assert.Equal(1, fetched.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, notModified.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, failed.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, newArticles.GetMeasurementSnapshot().EvaluateAsCounter());
    }
}
