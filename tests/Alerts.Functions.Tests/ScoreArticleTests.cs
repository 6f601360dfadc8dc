using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Testing;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ScoreArticleTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private FunctionHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new FunctionHost(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ArticleMessage Message(string title, string content, string id = "0123456789abcdef0123456789abcdef", string site = "wire.example") => ArticleMessage.From(
        new Article { Id = id, FeedId = "f-" + site, Key = $"url:https://{site}/{id}", Url = $"https://www.{site}/{id}", Title = title, Content = content },
        _host.Time.GetUtcNow());

    private const string CriticalTitle = "Emergency declared as troops fire on crowds";
    private const string CriticalContent = "The president declared a state of emergency. Soldiers opened fire on protesters, killing at least 12 people. A curfew was imposed and the internet was cut nationwide.";

    private BlobContainerClient Lists => new(_host.ConnectionString, _host.Names.KeywordListsContainer);

    [Fact]
    public async Task Run_CriticalArticle_StoresScoreCreatesAlertAndQueuesOneBreakingMessage()
    {
        var function = _host.Create<ScoreArticle>();
        var message = Message(CriticalTitle, CriticalContent);

        var first = await function.Run(message, default);
        var second = await function.Run(message, default);

        Assert.Equal(Severity.Critical, first.Article.Result.Severity);
        Assert.True(first.AlertCreated);
        Assert.True(first.BreakingQueued);
        Assert.False(second.AlertCreated);
        Assert.False(second.BreakingQueued);
        var stored = await _host.Services.GetRequiredService<IScoredArticleStore>().GetAsync(message.Id, default);
        Assert.NotNull(stored);
        Assert.Equal(first.Article.Result.Severity, stored.Result.Severity);
        Assert.Contains(stored.Result.Signals, s => s.Id == "state-of-emergency" && s.Evidence.Count > 0);
        Assert.Equal(["escalation@1"], stored.Lists);
        var alert = await _host.Services.GetRequiredService<IAlertStore>().GetAsync(stored.StoryId!, default);
        Assert.Equal(Severity.Critical, alert!.Severity);
        var breaking = Assert.Single(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue));
        Assert.Equal(message.Id, breaking.ArticleId);
        Assert.Equal(stored.StoryId, breaking.StoryId);
        Assert.Contains("live-fire", breaking.Signals);
    }

    [Fact]
    public async Task Run_RequestsPerArticle_CountedThroughAProxy_StayBoundedAsTheWindowFills()
    {
        // What ScoreArticle asks of storage for one new article, counted by a proxy in front of Azurite (the host's
        // queue reads aside): with an empty window, and once the country has more stories than the lookup reads.
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = proxy.ConnectionString }, shareWith: _host.Names);
        var function = host.Create<ScoreArticle>();
        string[] towns = ["Kidal", "Gao", "Mopti", "Segou", "Kayes", "Sikasso", "Tombouctou", "Koulikoro"];
        async Task<int> CostAsync(int i, string title, string content)
        {
            var before = proxy.Counts.GetValueOrDefault("requests");
            await function.Run(Message(title, content, id: i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), site: $"site{i % 7}.example"), default);
            return proxy.Counts.GetValueOrDefault("requests") - before;
        }

        var first = await CostAsync(1, "Curfew imposed in Mali after clashes", "Authorities in Mali imposed a curfew in Bamako after clashes between soldiers and protesters.");
        for (var i = 2; i < 60; i++)
        {
            await CostAsync(i, $"Market {i} reopens in {towns[i % towns.Length]}, Mali", $"Traders in {towns[i % towns.Length]} said prices of rice and millet {i} were steady this week in Mali, report number {i}.");
        }

        var late = await CostAsync(100, "Floods cut the road to Gao in Mali", "Heavy rain cut the main road between Gao and Mopti in Mali on Sunday, officials said.");
        var calm = await CostAsync(101, "Football season opens in Kayes, Mali", "The regional football season opened in Kayes in Mali with a draw.");
        output.WriteLine($"requests per new article: empty window {first}; after 60 stories of the country {late}, {calm}");

        // The first pays for creating the tables and reading the lists once per instance. Then a new story costs three
        // index queries (one more at most for band candidates' sketches), its row, its index rows (two batches, the first
        // checking that no story of the country was created since the lookup), the scored article (2) and its archive
        // entry with its words (one batch): 9 to 11, however many stories the window holds (docs/architecture.md).
        Assert.InRange(first, 1, 24);
        Assert.InRange(Math.Min(late, calm), 1, 9);
        Assert.InRange(Math.Max(late, calm), 1, 11);
    }

    [Fact]
    public async Task Run_RequestsPerArticle_OneThatStartsNoStory_AndOneThatMakesItsStoryCritical()
    {
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = proxy.ConnectionString }, shareWith: _host.Names);
        var function = host.Create<ScoreArticle>();
        async Task<(int Requests, ScoreOutcome Outcome)> CostAsync(string id, string title, string content)
        {
            var before = proxy.Counts.GetValueOrDefault("requests");
            var outcome = await function.Run(Message(title, content, id: id, site: id[..4] + ".example"), default);
            return (proxy.Counts.GetValueOrDefault("requests") - before, outcome);
        }

        // A warm instance: tables, lists and the breaking queue made before (once per instance, not per article).
        await CostAsync("a0000000000000000000000000000001", "Curfew and shooting in Lima, Peru", "Soldiers opened fire on protesters in Lima in Peru, killing at least 12 people, and a curfew was imposed.");
        var (placeless, _) = await CostAsync("a0000000000000000000000000000002", "Shares close higher", "Markets ended the week slightly higher on steady trading.");
        const string Title = "Curfew imposed in Gao, Mali";
        const string Lead = "Authorities in Mali imposed a curfew in Gao after clashes between armed groups on Sunday. Residents said shops closed early and the main market stayed shut. The regional governor said the measure would last until further notice and asked people to stay at home after dark. Local radio reported long queues at fuel stations and bakeries as families stocked up before the curfew began in the town.";
        var (_, first) = await CostAsync("b0000000000000000000000000000001", Title, Lead);
        var (escalating, second) = await CostAsync("c0000000000000000000000000000001", Title, Lead + " Later soldiers opened fire on protesters, killing at least 12 people, and the president declared a state of emergency.");
        output.WriteLine($"requests: an article with no place and no signal {placeless}; one that joins a story and makes its alert critical {escalating}");

        Assert.Equal(3, placeless); // the scored article, by id and by day, and its archive batch: no story, no story index
        Assert.Equal((Severity.Warning, Severity.Critical), (first.Article.Result.Severity, second.Article.Result.Severity));
        Assert.Equal(first.Article.StoryId, second.Article.StoryId);
        Assert.True(second.BreakingQueued);
        Assert.InRange(escalating, 1, 14); // docs/architecture.md: the worst case, 14 (20 with FetchFeed's 6)
    }

    [Fact]
    public async Task Run_AnArticleInALanguageNoListCovers_IsMarkedAndCountedOncePerFeed_AFeedsWrongLanguageIsOverruled()
    {
        var function = _host.Create<ScoreArticle>();
        var feed = await _host.AddFeedAsync(new Uri("https://chinese.example/rss"));
        // Written for this test: "Curfew in the capital after the protests", in Chinese, which no default list covers.
        var chinese = ArticleMessage.From(
            new Article { Id = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", FeedId = feed.Id, Key = "url:https://chinese.example/1", Url = "https://chinese.example/1", Title = "抗议活动后首都实行宵禁", Content = "政府说，士兵在抗议两天后被派往城市的主要广场。", Language = "zh-CN" },
            _host.Time.GetUtcNow());

        var first = await function.Run(chinese, default);
        await function.Run(chinese, default); // a retry counts nothing twice

        Assert.Equal("zh", first.Article.Language);
        Assert.False(first.Article.LanguageCovered);
        var stored = await _host.Services.GetRequiredService<IScoredArticleStore>().GetAsync(chinese.Id, default);
        Assert.Equal(("zh", false), (stored!.Language, stored.LanguageCovered));
        var health = (await _host.Registry.GetAsync(feed.Id, default))!;
        Assert.Equal((1L, "zh"), (health.NotCoveredCount, health.NotCoveredLanguage));

        // A feed that says "en" for Arabic text is overruled, and Arabic is covered: the curfew is found.
        var arabic = ArticleMessage.From(
            new Article { Id = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0", FeedId = feed.Id, Key = "url:https://chinese.example/2", Url = "https://chinese.example/2", Title = "حظر تجول في العاصمة بعد الاحتجاجات", Content = "قالت الحكومة إن الجنود أرسلوا إلى الساحة الرئيسية في المدينة بعد يومين من الاحتجاجات.", Language = "en" },
            _host.Time.GetUtcNow());
        var scored = await function.Run(arabic, default);
        Assert.Equal(("ar", true), (scored.Article.Language, scored.Article.LanguageCovered));
        Assert.Contains(scored.Article.Result.Signals, s => s.Id == "curfew");

        var english = await function.Run(Message(CriticalTitle, CriticalContent) with { Language = "en-GB" }, default);
        Assert.Equal(("en", true), (english.Article.Language, english.Article.LanguageCovered));
    }

    [Fact]
    public async Task Run_ArticleAboutATown_StoresItsPlacesAndTheAlertNamesThePlace()
    {
        var function = _host.Create<ScoreArticle>();
        var message = Message("Curfew in Goma after soldiers fire on crowds", "Soldiers opened fire on protesters in Goma on Tuesday, killing at least 12 people, and a curfew was imposed in the city.");

        var outcome = await function.Run(message, default);

        var stored = await _host.Services.GetRequiredService<IScoredArticleStore>().GetAsync(message.Id, default);
        Assert.Equal("CD", stored!.Countries[0]);
        Assert.Equal("Goma, North Kivu", stored.Places[0].Label);
        var alert = await _host.Services.GetRequiredService<IAlertStore>().GetAsync(stored.StoryId!, default);
        Assert.Equal("Goma, North Kivu", alert!.Place?.Label);
        Assert.True(outcome.BreakingQueued);
        Assert.Equal("Goma", Assert.Single(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue)).Place?.Name);
    }

    [Fact]
    public async Task Run_ConcurrentDuplicates_QueueOneBreakingMessage()
    {
        var message = Message(CriticalTitle, CriticalContent, id: "11111111111111111111111111111111");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _host.Create<ScoreArticle>().Run(message, default)));

        Assert.Single(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue));
    }

    [Fact]
    public async Task Run_ScorerDiedHoldingTheHandOff_TheRetryQueuesACopyForWhenTheClaimRunsOut()
    {
        // The first attempt claims the hand-off and dies before queueing; the retry (redelivered within the claim's
        // lease) must not complete without a breaking message, or the alert is lost.
        var dying = new DyingQueue();
        await using var host = new FunctionHost(azurite, shareWith: _host.Names, services: s => s.AddSingleton<IBreakingQueue>(sp => dying.Wrap(sp)));
        var message = Message(CriticalTitle, CriticalContent, id: "22222222222222222222222222222222", site: "dying.example");
        await Assert.ThrowsAsync<IOException>(() => host.Create<ScoreArticle>().Run(message, default));

        var retry = await host.Create<ScoreArticle>().Run(message, default);

        Assert.False(retry.BreakingQueued); // the claim is still held...
        var copy = Assert.Single(dying.Delayed); // ...so a copy waits for its end
        Assert.Equal(retry.Article.StoryId, copy.Message.StoryId);
        Assert.InRange(copy.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
    }

    /// <summary>The breaking queue of a scorer that dies on its first hand-off; later hand-offs are recorded.</summary>
    private sealed class DyingQueue
    {
        private int _calls;

        public List<(BreakingAlertMessage Message, TimeSpan Delay)> Delayed { get; } = [];

        public IBreakingQueue Wrap(IServiceProvider services) => new Queue(this);

        private sealed class Queue(DyingQueue owner) : IBreakingQueue
        {
            public Task EnqueueAsync(BreakingAlertMessage message, CancellationToken cancellationToken) =>
                Interlocked.Increment(ref owner._calls) == 1 ? throw new IOException("the process died here") : Task.CompletedTask;

            public Task EnqueueAsync(BreakingAlertMessage message, TimeSpan delay, CancellationToken cancellationToken)
            {
                lock (owner.Delayed)
                {
                    owner.Delayed.Add((message, delay));
                }

                return Task.CompletedTask;
            }
        }
    }

    [Fact]
    public async Task Run_WarningArticle_CreatesAlertWithoutBreakingMessage()
    {
        var outcome = await _host.Create<ScoreArticle>().Run(Message("Curfew imposed in port city", "The governor ordered shops to close early."), default);

        Assert.Equal(Severity.Warning, outcome.Article.Result.Severity);
        Assert.True(outcome.AlertCreated);
        Assert.False(outcome.BreakingQueued);
        Assert.Empty(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue));
    }

    [Fact]
    public async Task Run_CalmArticle_IsStoredWithoutAlert_AndWithoutAStoryWhenItNamesNoPlace()
    {
        var message = Message("Markets steady", "Shares closed slightly higher.");
        var placed = Message("Markets steady in Peru", "Shares closed slightly higher in Lima.", id: "22222222222222222222222222222222");

        var outcome = await _host.Create<ScoreArticle>().Run(message, default);
        var placedOutcome = await _host.Create<ScoreArticle>().Run(placed, default);

        Assert.Equal(Severity.None, outcome.Article.Result.Severity);
        Assert.False(outcome.AlertCreated);
        var stored = await _host.Services.GetRequiredService<IScoredArticleStore>().GetAsync(message.Id, default);
        Assert.NotNull(stored);
        Assert.Null(stored.StoryId); // no place, no signal: nothing to follow, nothing to alert on
        Assert.Equal(0, outcome.SourceCount);
        var storedPlaced = await _host.Services.GetRequiredService<IScoredArticleStore>().GetAsync(placed.Id, default);
        Assert.Equal(["PE"], storedPlaced!.Countries);
        Assert.NotNull(storedPlaced.StoryId); // a place: a story, so that later reports of it join
        Assert.Equal((1, false), (placedOutcome.SourceCount, placedOutcome.AlertCreated));
        Assert.Null(await _host.Services.GetRequiredService<IAlertStore>().GetAsync(storedPlaced.StoryId, default));
    }

    [Fact]
    public async Task Run_AnArticleThatNamesNoCountry_IsPlacedInItsSourcesCountry_WithoutAStoryUnlessItReportsASignal()
    {
        var calm = Message("Markets steady", "Shares closed slightly higher.", id: "33333333333333333333333333333333", site: "daily.example.ru");
        var curfew = Message("Curfew imposed after clashes", "The regional governor imposed a night curfew after clashes in the old town.", id: "44444444444444444444444444444444", site: "news.example.com.tr");

        await _host.Create<ScoreArticle>().Run(calm, default);
        var outcome = await _host.Create<ScoreArticle>().Run(curfew, default);

        var articles = _host.Services.GetRequiredService<IScoredArticleStore>();
        var storedCalm = await articles.GetAsync(calm.Id, default);
        Assert.Equal("RU", storedCalm!.SourceCountry); // .ru: where its source publishes
        Assert.Empty(storedCalm.Countries); // not a country it names: the map and the trend detector do not count it
        Assert.Null(storedCalm.StoryId); // nothing to follow
        var storedCurfew = await articles.GetAsync(curfew.Id, default);
        Assert.Equal("TR", storedCurfew!.SourceCountry);
        Assert.NotNull(storedCurfew.StoryId);
        Assert.True(outcome.AlertCreated);
        var alert = await _host.Services.GetRequiredService<IAlertStore>().GetAsync(storedCurfew.StoryId, default);
        Assert.Equal(["TR"], alert!.Countries); // its story and alert are placed there, for subscribers who follow Turkey
    }

    [Fact]
    public async Task Run_FirstStart_SeedsDefaultListsIntoBlobStorage()
    {
        await _host.Create<ScoreArticle>().Run(Message("Quiet day", "Nothing happened."), default);

        var names = new List<string>();
        await foreach (var blob in Lists.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["escalation.keywords"], names);
    }

    [Fact]
    public async Task Run_ListEditedInStorage_IsPickedUpWithoutRestart()
    {
        var function = _host.Create<ScoreArticle>();
        await function.Run(Message("Quiet day", "Nothing happened."), default); // seeds and caches
        var store = _host.Services.GetRequiredService<IKeywordListStore>();
        var stored = (await store.GetAsync("escalation", default))!;
        var edited = stored.Document.Replace("version: 1", "version: 2", StringComparison.Ordinal)
            + "\nsignal: blockade\n  label: Blockade\n  weight: 5\n  languages: en\n  phrase: naval blockade\n";
        Assert.NotNull(await store.TrySaveAsync("escalation", edited, stored.ETag, default));

        var before = await function.Run(Message("Naval blockade announced", "Ships were turned back.", id: "22222222222222222222222222222222"), default);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var after = await function.Run(Message("Naval blockade announced", "Ships were turned back.", id: "33333333333333333333333333333333"), default);

        Assert.DoesNotContain(before.Article.Result.Signals, s => s.Id == "blockade");
        Assert.Contains(after.Article.Result.Signals, s => s.Id == "blockade");
        Assert.Equal(["escalation@2"], after.Article.Lists);
    }

    [Fact]
    public async Task Run_InvalidListInStorage_IsIgnoredAndTheLastValidOneKeepsWorking()
    {
        var function = _host.Create<ScoreArticle>();
        await function.Run(Message("Quiet day", "Nothing happened."), default);
        var store = _host.Services.GetRequiredService<IKeywordListStore>();
        var stored = (await store.GetAsync("escalation", default))!;
        Assert.NotNull(await store.TrySaveAsync("escalation", "list: escalation\nthis is not valid\n", stored.ETag, default));
        _host.Time.Advance(TimeSpan.FromMinutes(1));

        var outcome = await function.Run(Message(CriticalTitle, CriticalContent, id: "44444444444444444444444444444444"), default);

        Assert.Equal(Severity.Critical, outcome.Article.Result.Severity);
        Assert.Equal(["escalation@1"], outcome.Article.Lists);
    }

    private const string WireTitle = "Curfew imposed in Almaty as protests spread";
    private const string WireLead = "Kazakh authorities imposed a night curfew in Almaty on Wednesday after protests over fuel prices spread to several cities.";
    private const string RewriteTitle = "Kazakhstan: curfew in Almaty as fuel protests widen";
    private const string RewriteLead = "Authorities in Kazakhstan imposed a nighttime curfew in Almaty on Wednesday as protests over fuel prices spread to other cities. Security forces opened fire on protesters, killing at least 12 people.";

    [Fact]
    public async Task Run_SameEventFromTwoSources_JoinsOneStoryAndOneAlertThatCountsBothSources()
    {
        var function = _host.Create<ScoreArticle>();

        var first = await function.Run(Message(WireTitle, WireLead, id: "66666666666666666666666666666666", site: "wire.example"), default);
        var second = await function.Run(Message(RewriteTitle, RewriteLead, id: "77777777777777777777777777777777", site: "daily.example"), default);

        Assert.Equal(first.Article.StoryId, second.Article.StoryId);
        Assert.Equal(["KZ"], first.Article.Countries);
        Assert.Equal(["Central Asia", "Asia"], first.Article.Regions);
        Assert.True(first.AlertCreated);
        Assert.False(second.AlertCreated);
        var alert = await _host.Services.GetRequiredService<IAlertStore>().GetAsync(first.Article.StoryId!, default);
        Assert.Equal(2, alert!.SourceCount);
        Assert.Equal(Severity.Critical, alert.Severity); // raised by the second, more severe report
        var breaking = Assert.Single(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue));
        Assert.Equal(2, breaking.SourceCount);
    }

    [Fact]
    public async Task Run_TwoInstancesScoringNearDuplicatesAtOnce_ProduceOneStory()
    {
        await using var other = new FunctionHost(azurite, shareWith: _host.Names);
        var a = _host.Create<ScoreArticle>();
        var b = other.Create<ScoreArticle>();

        var results = await Task.WhenAll(
            a.Run(Message(WireTitle, WireLead, id: "88888888888888888888888888888888", site: "wire.example"), default),
            b.Run(Message(RewriteTitle, RewriteLead, id: "99999999999999999999999999999999", site: "daily.example"), default));

        Assert.Equal(results[0].Article.StoryId, results[1].Article.StoryId);
        Assert.Single(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue));
    }

    [Fact]
    public async Task Run_DifferentEvents_GetDifferentStories()
    {
        var function = _host.Create<ScoreArticle>();

        var first = await function.Run(Message(WireTitle, WireLead, id: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), default);
        var second = await function.Run(Message("Kazakhstan central bank holds rates", "The National Bank of Kazakhstan kept its base rate unchanged on Friday.", id: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), default);

        Assert.NotEqual(first.Article.StoryId, second.Article.StoryId);
    }

    [Fact]
    public async Task Run_TruncatedMessage_ScoresTheFullTextFromTheContentStore()
    {
        var filler = string.Join(" ", Enumerable.Repeat("Officials met to discuss the budget and the harvest.", 2000));
        var article = new Article
        {
            Id = "55555555555555555555555555555555", FeedId = "f1", Key = "k", Title = "Budget talks",
            Content = filler + " Then the army declared martial law across the country.",
        };
        await _host.Services.GetRequiredService<IArticleContentStore>().SaveAsync(article, default);
        var message = ArticleMessage.From(article, _host.Time.GetUtcNow());
        Assert.True(message.ContentTruncated);

        var outcome = await _host.Create<ScoreArticle>().Run(message, default);

        Assert.Contains(outcome.Article.Result.Signals, s => s.Id == "martial-law");
    }
}
