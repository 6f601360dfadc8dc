using Alerts.Core.Digests;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Testing;
using static Alerts.Functions.Tests.DigestFixtures;

namespace Alerts.Functions.Tests;

/// <summary>SendBreakingAlerts through its function class, fed by ScoreArticle's breaking queue, against the fake SendGrid.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendBreakingAlertsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionHost _host = null!;

    private FakeSendGrid SendGrid => _host.SendGrid!;

    public async Task InitializeAsync()
    {
        _host = await FunctionHost.WithSendGridAsync(azurite, new Dictionary<string, string?> { ["Email:MaxImmediatePerHour"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    private DateTimeOffset Now => _host.Time.GetUtcNow();

    private async Task<Subscriber> AddAsync(Subscriber subscriber)
    {
        Assert.True(await _host.Get<ISubscriberStore>().TryAddAsync(subscriber, default));
        return subscriber;
    }

    private Task<BreakingReport> RunAsync(BreakingAlertMessage message) =>
        _host.WithClockRunningAsync(() => _host.Create<SendBreakingAlerts>().Run(message, default));

    private async Task<BreakingAlertMessage> AlertAsync(string story, string country = "KZ")
    {
        var alert = Alert(story, Severity.Critical, country, "Troops fire on protesters " + story, Now, "live-fire", evidence: "soldiers opened fire on the crowd");
        await _host.Get<IAlertStore>().TryAddAsync(alert, null, default);
        return new BreakingAlertMessage(alert.StoryId, alert.ArticleId, alert.Title, alert.Url, alert.Score, alert.Signals, alert.Countries, alert.SourceCount, Now);
    }

    [Fact]
    public async Task Run_CriticalArticleFromTheQueue_ReachesOptedInMatchingSubscribersOnce()
    {
        var all = await AddAsync(Subscriber("all@example.org", Now.AddDays(-1)));
        var asia = await AddAsync(Subscriber("asia@example.org", Now.AddDays(-1), "Asia/Almaty", "fr", new SubscriberPreferences { Regions = ["Central Asia"] }));
        await AddAsync(Subscriber("digestonly@example.org", Now.AddDays(-1), preferences: new SubscriberPreferences { ImmediateCritical = false }));
        await AddAsync(Subscriber("france@example.org", Now.AddDays(-1), preferences: new SubscriberPreferences { Countries = ["FR"] }));
        await AddAsync(Subscriber("pending@example.org", Now.AddDays(-1)) with { Status = SubscriberStatus.Pending });
        var article = ArticleMessage.From(new Article
        {
            Id = "0123456789abcdef0123456789abcdef",
            FeedId = "f-wire",
            Key = "url:https://wire.example/almaty",
            Url = "https://wire.example/almaty",
            Title = "Troops fire on protesters in Almaty",
            Content = "The president of Kazakhstan declared a state of emergency. Soldiers opened fire on protesters in Almaty, killing at least 12 people. A curfew was imposed and the internet was cut nationwide.",
        }, Now);
        await _host.Create<ScoreArticle>().Run(article, default);
        var message = Assert.Single(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue));

        var report = await RunAsync(message);
        var again = await RunAsync(message);

        Assert.Equal((2, 2), (report.Matched, report.Accepted));
        Assert.Equal(0, again.Accepted);
        Assert.Equal([all.Email, asia.Email], SendGrid.Delivered.Select(d => d.To).Order(StringComparer.Ordinal));
        var email = SendGrid.Delivered.Single(d => d.To == all.Email);
        Assert.StartsWith("Critical, Kazakhstan: Troops fire on protesters", email.Subject, StringComparison.Ordinal);
        Assert.Equal("breaking", Assert.Single(email.Categories));
        Assert.Equal(all.Id + "/breaking:" + message.StoryId, email.CustomArgs["delivery_id"]);
        Assert.Contains("opened fire", email.Html, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
        Assert.StartsWith("Critique, Kazakhstan\u00A0: ", SendGrid.Delivered.Single(d => d.To == asia.Email).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OverTheHourlyCap_TheRestFoldIntoTheNextDigest()
    {
        var ana = await AddAsync(Subscriber("ana@example.org", Now.AddMinutes(-5)));

        var reports = new List<BreakingReport>();
        foreach (var story in new[] { "s-1", "s-2", "s-3" })
        {
            reports.Add(await RunAsync(await AlertAsync(story)));
        }

        Assert.Equal([1, 1, 0], reports.Select(r => r.Accepted));
        Assert.Equal(1, reports[2].Capped);
        Assert.Equal(2, SendGrid.Delivered.Count);

        _host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero));
        await _host.WithClockRunningAsync(() => _host.Create<SendDigests>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default));
        var digest = SendGrid.Delivered[^1];
        Assert.Equal("1 critical: Kazakhstan", digest.Subject);
        Assert.Contains("protesters s-3", digest.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("protesters s-1", digest.Html, StringComparison.Ordinal);

        // An hour later the cap has room again.
        Assert.Equal(1, (await RunAsync(await AlertAsync("s-4"))).Accepted);
        Assert.Equal(ana.Email, SendGrid.Delivered[^1].To);
    }

    private async Task<int> BreakingQueuedAsync() =>
        await _host.BreakingQueue.ExistsAsync() ? (await _host.BreakingQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

    [Fact]
    public async Task Run_ProviderDown_QueuesTheMessageAgainForTheRetryTime_ThenSendsOnce()
    {
        await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        var message = await AlertAsync("s-down");
        SendGrid.Script(Enumerable.Repeat(new FakeSendGridResponse(503), 4).ToArray());

        var deferred = await RunAsync(message);
        Assert.Empty(SendGrid.Delivered);
        Assert.Equal((0, 1), (deferred.Accepted, deferred.Waiting));
        Assert.True(deferred.RetryAt > Now);
        Assert.Equal(1, await BreakingQueuedAsync()); // the same message, due at the retry time
        Assert.Empty((await _host.BreakingQueue.ReceiveMessagesAsync(1)).Value); // and not visible before it

        _host.Time.Advance(TimeSpan.FromMinutes(5)); // the queue's visibility timeout
        var retry = await RunAsync(message);

        Assert.Equal(1, retry.Accepted);
        Assert.Single(SendGrid.Delivered);
        Assert.Equal(0, (await RunAsync(message)).Accepted);
    }

    [Fact]
    public async Task Run_ClaimLeftByACrashedInstance_NothingIsLost_TheMessageComesBackAtTheLeaseEnd_ThenSendsOnce()
    {
        var ana = await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        var message = await AlertAsync("s-crash");
        // An instance claimed the delivery and reserved the hourly slot, then died before SendGrid answered.
        var lease = TimeSpan.FromMinutes(6);
        var claim = await _host.Get<IDeliveryStore>().TryClaimAsync(
            new Delivery { SubscriberId = ana.Id, Id = BreakingAlertSender.DeliveryId("s-crash"), Kind = BreakingAlertSender.Category, StoryId = "s-crash" }, Now, lease, default);
        Assert.Equal(ClaimStatus.Claimed, claim.Status);
        await _host.Get<ISubscriberStore>().UpdateAsync(ana.Id, s => s with { Immediate = [new ImmediateSend("s-crash", Now)] }, default);

        // The host redelivers the message long before the lease ends: it must not be completed with nothing sent.
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var early = await RunAsync(message);
        Assert.Equal((0, 1), (early.Accepted, early.Waiting));
        Assert.Empty(SendGrid.Delivered);
        Assert.InRange(early.RetryAt!.Value - Now, lease - TimeSpan.FromSeconds(45), lease);
        Assert.Equal(1, await BreakingQueuedAsync());

        _host.Time.Advance(lease);
        var late = await RunAsync(message);
        Assert.Equal((1, 0), (late.Accepted, late.Waiting));
        Assert.Equal(ana.Email, Assert.Single(SendGrid.Delivered).To);
        Assert.Equal(0, (await RunAsync(message)).Accepted);
        Assert.Single(SendGrid.Delivered);
    }

    [Fact]
    public async Task Run_Refused_GivesTheSlotBackAndTheStoryGoesIntoTheDigest()
    {
        var ana = await AddAsync(Subscriber("ana@example.org", Now.AddMinutes(-5)));
        SendGrid.Script(new FakeSendGridResponse(400));

        var report = await RunAsync(await AlertAsync("s-refused"));

        Assert.Equal(1, report.Failed);
        Assert.Empty((await _host.Get<ISubscriberStore>().GetAsync(ana.Id, default))!.Immediate);
        _host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero));
        await _host.WithClockRunningAsync(() => _host.Create<SendDigests>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default));
        Assert.Contains("protesters s-refused", Assert.Single(SendGrid.Delivered).Html, StringComparison.Ordinal);
    }
}
