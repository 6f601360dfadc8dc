using System.Globalization;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Core.Subscriptions;
using Alerts.Testing;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Alerts.Functions.Tests.DigestFixtures;

namespace Alerts.Functions.Tests;

/// <summary>
/// The whole pipeline as the host drives it: PollFeeds, FetchFeed, ScoreArticle, SendBreakingAlerts and SendDigests
/// through their function classes, every message through the Azurite queues (Base64, bound like the queue extension,
/// poison after five failures), feeds from the loopback feed server, email to the fake SendGrid with the real client.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineTests(AzuriteFixture azurite, ITestOutputHelper log) : IAsyncLifetime
{
    private FeedServer _feeds = null!;
    private FunctionHost _host = null!;

    private FakeSendGrid SendGrid => _host.SendGrid!;

    public async Task InitializeAsync()
    {
        _feeds = await FeedServer.StartAsync();
        _host = await FunctionHost.WithSendGridAsync(azurite);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _feeds.DisposeAsync();
    }

    private static string Item(string title, string text, string slug) =>
        $"<item><title>{title}</title><link>https://news.example/{slug}</link><guid>https://news.example/{slug}</guid><description>{text}</description></item>";

    private static string Rss(string title, params string[] items) => $"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>{string.Concat(items)}</channel></rss>";

    private QueueTriggerDriver Queue(string name) => new(_host.ConnectionString, name);

    private async Task<(int Fetched, int Scored, int Breaking)> CycleAsync()
    {
        await _host.Create<PollFeeds>().Run(new TimerInfo(), default);
        var fetched = await Queue(_host.Names.FeedFetchQueue).DrainAsync<FeedFetchMessage>(m => _host.Create<FetchFeed>().Run(m, default));
        var scored = await Queue(_host.Names.ArticlesQueue).DrainAsync<ArticleMessage>(m => _host.Create<ScoreArticle>().Run(m, default));
        var breaking = await Queue(_host.Names.BreakingQueue).DrainAsync<BreakingAlertMessage>(m => _host.WithClockRunningAsync(() => _host.Create<SendBreakingAlerts>().Run(m, default)));
        await _host.WithClockRunningAsync(() => _host.Create<SendDigests>().Run(new TimerInfo(), default));
        return (fetched, scored, breaking);
    }

    [Fact]
    public async Task ANewArticle_ThroughFetchFeedAndScoreArticle_CostsAtMostTwentyRequests_WithAThousandStoriesOfItsCountryOpen()
    {
        // Requests counted by a proxy in front of Azurite, the host's own queue reads aside: one new critical report about
        // Mali, fetched and scored, while 1,000 stories of Mali (generated, skewed vocabulary) are open in the window.
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = proxy.ConnectionString }, shareWith: _host.Names);
        var stories = host.Services.GetRequiredService<IStoryStore>();
        var corpus = new NewsCorpus(11);
        var now = host.Time.GetUtcNow();
        for (var i = 0; i < 1_000; i++)
        {
            var report = corpus.Next();
            var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
            await stories.TryCreateAsync(
                new Story { Id = $"sml{i:D5}", FirstArticleId = $"ml{i:D5}", Title = report.Title, FirstSeen = now.AddMinutes(-4 * i), LastSeen = now, Countries = ["ML"], Signature = signature.ToBytes() },
                new StoryKeys("ML", signature.BandKeys("ML")),
                null,
                default);
        }

        // A first report through a warm instance (tables, containers and the lists' cache made once per instance, not per article).
        _feeds.Feed("andes", Rss("Andes desk", Item("Peru declares state of emergency as soldiers fire on marchers", "Soldiers opened fire on marchers in Lima, killing at least nine people. The government of Peru declared a state of emergency.", "peru-emergency")));
        var warm = await host.AddFeedAsync(_feeds.Url("andes"));
        await host.Create<FetchFeed>().Run(new FeedFetchMessage(warm.Id, warm.Url, now), default);
        await host.Create<ScoreArticle>().Run(Assert.Single(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue)), default);

        _feeds.Feed("sahel", Rss("Sahel desk", Item("Mali declares state of emergency as soldiers fire on marchers", "Soldiers opened fire on marchers in Bamako, killing at least nine people. The government of Mali declared a state of emergency and imposed a curfew.", "mali-emergency")));
        var feed = await host.AddFeedAsync(_feeds.Url("sahel"));

        var before = proxy.Counts.GetValueOrDefault("requests");
        Assert.Equal(1, (await host.Create<FetchFeed>().Run(new FeedFetchMessage(feed.Id, feed.Url, now), default)).NewArticles);
        var fetch = proxy.Counts.GetValueOrDefault("requests") - before;
        var article = Assert.Single(await FunctionHost.DrainAsync<ArticleMessage>(_host.ArticleQueue));
        before = proxy.Counts.GetValueOrDefault("requests");
        var outcome = await host.Create<ScoreArticle>().Run(article, default);
        var score = proxy.Counts.GetValueOrDefault("requests") - before;
        log.WriteLine($"requests for a new article: FetchFeed {fetch}, ScoreArticle {score} (a new story, an alert, a breaking message), 1,000 stories of the country open");

        Assert.Equal((Severity.Critical, true, true), (outcome.Article.Result.Severity, outcome.AlertCreated, outcome.BreakingQueued));
        // docs/architecture.md: 5 + 12, the story lookup in three queries; one more at most when the sketches of band
        // candidates outside the country's newest are read (18), whatever the number of stories.
        Assert.InRange(fetch + score, 1, 17);
    }

    [Fact]
    public async Task TwoCycles_EscalationsReachTheSubscriberOnce_TrapsNever_PoisonIsIsolated()
    {
        _feeds.Feed("world", Rss("World desk",
            Item("Guinea declares state of emergency as soldiers fire on marchers", "Soldiers opened fire on marchers in Conakry, killing at least nine people. The government of Guinea declared a state of emergency and imposed a night curfew; mobile internet was cut.", "guinea"),
            Item("Curfew ordered in Goma after clashes between armed groups", "Authorities in the Democratic Republic of the Congo ordered a curfew in Goma. Residents were told to stay indoors after 7pm.", "goma"),
            Item("Review: \"Martial Law\" is a slick thriller", "The film imagines a coup in a fictional republic. In cinemas from Friday.", "review")));
        _feeds.Feed("local", Rss("City desk",
            Item("Shopping centre brings in teen curfew", "Teenagers under 16 will need an adult with them after 6pm at the mall.", "mall"),
            Item("Curfew lifted in Ziguinchor as calm returns", "Authorities lifted the curfew imposed last week in Ziguinchor, Senegal, saying calm had returned.", "lifted"),
            Item("New tram line opens", "Trams will run every six minutes.", "tram")));
        await _host.AddFeedAsync(_feeds.Url("world"));
        await _host.AddFeedAsync(_feeds.Url("local"));
        var ana = Subscriber("ana@example.org", _host.Time.GetUtcNow().AddDays(-1));
        await _host.Get<ISubscriberStore>().TryAddAsync(ana with { Preferences = ana.Preferences with { MinimumSeverity = Severity.Watch } }, default);
        _host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero).AddMinutes(-30)); // the digest is due at 07:00 UTC
        await _host.Registry.UpdateAsync(FeedRecordId("world"), f => f with { NextDueAt = _host.Time.GetUtcNow() }, default);
        await _host.Registry.UpdateAsync(FeedRecordId("local"), f => f with { NextDueAt = _host.Time.GetUtcNow() }, default);

        // A malformed message on the articles queue: it must end in articles-poison and change nothing else.
        var articles = new QueueClient(_host.ConnectionString, _host.Names.ArticlesQueue);
        await articles.CreateIfNotExistsAsync();
        await articles.SendMessageAsync(Convert.ToBase64String("{\"id\": 12, not json"u8.ToArray()));

        var published = TimeProvider.System.GetUtcNow();
        var first = await CycleAsync();
        _host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 7, 1, 0, TimeSpan.Zero));
        await _host.WithClockRunningAsync(() => _host.Create<SendDigests>().Run(new TimerInfo(), default));

        Assert.Equal(2, first.Fetched);
        Assert.Equal(6, first.Scored);
        Assert.Equal(1, first.Breaking);
        var poison = new QueueClient(_host.ConnectionString, _host.Names.ArticlesQueue + "-poison");
        Assert.Equal(1, (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        var breaking = Assert.Single(SendGrid.Delivered, d => d.Categories.Contains("breaking"));
        Assert.StartsWith("Critical, Guinea: Guinea declares state of emergency", breaking.Subject, StringComparison.Ordinal);
        Assert.Contains("opened fire", breaking.Html, StringComparison.Ordinal);
        var digest = Assert.Single(SendGrid.Delivered, d => d.Categories.Contains("digest"));
        Assert.Contains("Curfew ordered in Goma", digest.Html, StringComparison.Ordinal);
        Assert.Contains("Curfew</strong>: <em dir=\"auto\">", digest.Html, StringComparison.Ordinal); // with its evidence
        Assert.DoesNotContain("Guinea", digest.Html, StringComparison.Ordinal); // already sent at once
        foreach (var trap in new[] { "Martial Law", "teen curfew", "Ziguinchor", "tram" })
        {
            Assert.DoesNotContain(SendGrid.Delivered, d => d.Html.Contains(trap, StringComparison.OrdinalIgnoreCase));
        }

        var requests = SendGrid.Requests.OrderBy(r => r.ReceivedAt).ToList();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Publish-to-email, processing only (no polling or schedule waits): breaking {(requests[0].ReceivedAt - published).TotalMilliseconds:F0} ms, digest {(requests[^1].ReceivedAt - published).TotalMilliseconds:F0} ms"));

        // Second cycle, once the feeds are due again: they answer 304, nothing is new, nothing is sent.
        _host.Time.Advance(TimeSpan.FromMinutes(20));
        var second = await CycleAsync();

        Assert.Equal((2, 0, 0), (second.Fetched, second.Scored, second.Breaking));
        Assert.Equal(2, SendGrid.Delivered.Count);
        Assert.Equal(1, (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private string FeedRecordId(string path) => FeedRecord.IdForUrl(_feeds.Url(path).AbsoluteUri);
}
