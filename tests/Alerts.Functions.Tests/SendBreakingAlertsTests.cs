using System.Text.Json;
using Alerts.Core.Channels;
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
    private FakeChannelReceiver _receivers = null!;

    private FakeSendGrid SendGrid => _host.SendGrid!;

    public async Task InitializeAsync()
    {
        _receivers = await FakeChannelReceiver.StartAsync();
        _host = await FunctionHost.WithSendGridAsync(azurite, new Dictionary<string, string?>
        {
            ["Email:MaxImmediatePerHour"] = "2",
            ["Channels:AllowLoopback"] = "true",
            ["Channels:TelegramBotToken"] = FakeChannelReceiver.TelegramToken,
            ["Channels:TelegramApiBaseUrl"] = _receivers.BaseUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receivers.DisposeAsync();
    }

    /// <summary>Adds a channel the way admins do (checked, then a test message); it must come out active.</summary>
    private async Task<Channel> ChannelAsync(Subscriber subscriber, ChannelKind kind, string target)
    {
        var service = _host.Get<ChannelService>();
        var added = await _host.WithClockRunningAsync(() => service.AddAsync(subscriber.Id, kind.ToString(), target, default));
        Assert.Equal(ChannelWriteStatus.Saved, added.Status);
        if (kind == ChannelKind.Webhook)
        {
            // Saved inactive with its secret; the receiver is set up with it, then the channel is verified.
            Assert.False(added.Channel!.Active);
            _receivers.Secret(target, added.Secret!);
            added = await _host.WithClockRunningAsync(() => service.VerifyAsync(subscriber.Id, added.Channel.Id, default));
        }

        Assert.True(added.Channel!.Active, added.Error);
        return added.Channel;
    }

    private DateTimeOffset Now => _host.Time.GetUtcNow();

    private async Task<Subscriber> AddAsync(Subscriber subscriber)
    {
        Assert.True(await _host.Get<ISubscriberStore>().TryAddAsync(subscriber, default));
        return subscriber;
    }

    /// <summary>A critical report from Almaty scored by ScoreArticle; the breaking message it queued.</summary>
    private async Task<BreakingAlertMessage> ScoredAsync(string id, string slug, string title)
    {
        var article = ArticleMessage.From(new Article
        {
            Id = id,
            FeedId = "f-wire",
            Key = "url:https://wire.example/" + slug,
            Url = "https://wire.example/" + slug,
            Title = title,
            Content = "The president of Kazakhstan declared a state of emergency. Soldiers opened fire on protesters in Almaty, killing at least 12 people. A curfew was imposed and the internet was cut nationwide.",
        }, Now);
        await _host.Create<ScoreArticle>().Run(article, default);
        return Assert.Single(await FunctionHost.DrainAsync<BreakingAlertMessage>(_host.BreakingQueue));
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
        var message = await ScoredAsync("0123456789abcdef0123456789abcdef", "almaty", "Troops fire on protesters in Almaty");

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

    [Fact]
    public async Task Run_OneAlert_ReachesEmailWebhookSlackTeamsAndTelegramSubscribersExactlyOnceEach()
    {
        var channelOnly = new SubscriberPreferences { ImmediateByEmail = false };
        var mail = await AddAsync(Subscriber("mail@example.org", Now.AddDays(-1)));
        var hook = await AddAsync(Subscriber("hook@example.org", Now.AddDays(-1), preferences: channelOnly));
        var slack = await AddAsync(Subscriber("slack@example.org", Now.AddDays(-1), preferences: channelOnly));
        var teams = await AddAsync(Subscriber("teams@example.org", Now.AddDays(-1), language: "fr", preferences: channelOnly));
        var telegram = await AddAsync(Subscriber("telegram@example.org", Now.AddDays(-1), preferences: channelOnly));
        var webhookUrl = _receivers.WebhookUrl("ops");
        await ChannelAsync(hook, ChannelKind.Webhook, webhookUrl);
        await ChannelAsync(slack, ChannelKind.Slack, _receivers.SlackUrl("desk"));
        await ChannelAsync(teams, ChannelKind.Teams, _receivers.TeamsUrl("desk"));
        await ChannelAsync(telegram, ChannelKind.Telegram, "-1001234567890");
        Assert.Equal(4, _receivers.Delivered().Count); // the four test messages

        // The whole pipeline from here: an article scored by ScoreArticle, its breaking message sent by SendBreakingAlerts.
        var message = await ScoredAsync("0123456789abcdef0123456789abc0de", "almaty-channels", "Troops fire on protesters in Almaty <script>alert(1)</script>");

        var report = await RunAsync(message);
        var again = await RunAsync(message);

        Assert.Equal((5, 5, 0), (report.Matched, report.Accepted, report.Failed));
        Assert.Equal((0, 5), (again.Accepted, again.AlreadyAccepted));
        Assert.Equal([mail.Email], SendGrid.Delivered.Select(d => d.To));
        var alerts = _receivers.Delivered().Skip(4).ToList();
        Assert.Equal(4, alerts.Count);
        Assert.Equal(["/bot" + FakeChannelReceiver.TelegramToken + "/sendMessage", "/hooks/ops", "/services/T000/B000/desk", "/workflows/desk/triggers/manual/paths/invoke"], alerts.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(alerts, r => Assert.Null(r.Problem)); // the webhook's signature verified, every payload well-formed
        var webhook = alerts.Single(r => r.Path == "/hooks/ops");
        Assert.Equal(hook.Id + "/breaking:" + message.StoryId + ":" + (await _host.Get<ISubscriberStore>().GetAsync(hook.Id, default))!.Channels[0].Id, webhook.Headers["Idempotency-Key"]);
        var payload = webhook.Json!.Value.GetProperty("alert");
        Assert.Equal(message.StoryId, payload.GetProperty("storyId").GetString());
        Assert.Equal("KZ", payload.GetProperty("countries")[0].GetString());
        Assert.Contains(payload.GetProperty("signals").EnumerateArray(), s => s.GetProperty("id").GetString() == "curfew");
        Assert.Contains("Critique, Kazakhstan", alerts.Single(r => r.Path.StartsWith("/workflows/", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
        // The Slack message's feedback buttons record the desk's word on this story and can do nothing else: the same
        // token does not open the preferences page (a shared channel is read by others).
        var slackMessage = alerts.Single(r => r.Path.StartsWith("/services/", StringComparison.Ordinal)).Json!.Value;
        var falseAlarm = slackMessage.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray()).Select(e => e.GetProperty("url").GetString()!).Single(u => u.EndsWith("kind=false-alarm", StringComparison.Ordinal));
        Assert.StartsWith("https://alerts.example/api/feedback?token=", falseAlarm, StringComparison.Ordinal);
        var feedbackToken = System.Web.HttpUtility.ParseQueryString(new Uri(falseAlarm).Query)["token"]!;
        var post = HttpCall.Request("POST", "/api/feedback", new Uri(falseAlarm).Query.TrimStart('?'));
        Assert.Equal(200, (await HttpCall.ExecuteAsync(post, _host.Create<SubscriptionRoutes>().Feedback(post, default))).Status);
        var recorded = Assert.Single(await _host.Get<Alerts.Core.Feedback.IFeedbackStore>().ListAsync(Now.AddDays(-1), default));
        Assert.Equal((slack.Id, message.StoryId, Alerts.Core.Feedback.FeedbackKind.FalseAlarm), (recorded.SubscriberId, recorded.StoryId, recorded.Kind));
        var manage = HttpCall.Request("GET", "/api/preferences", "token=" + Uri.EscapeDataString(feedbackToken));
        Assert.Equal(400, (await HttpCall.ExecuteAsync(manage, _host.Create<SubscriptionRoutes>().Preferences(manage, default))).Status);
        var erase = HttpCall.Request("POST", "/api/preferences", "token=" + Uri.EscapeDataString(feedbackToken), "action=erase", "application/x-www-form-urlencoded");
        Assert.Equal(400, (await HttpCall.ExecuteAsync(erase, _host.Create<SubscriptionRoutes>().Preferences(erase, default))).Status);
        Assert.NotNull(await _host.Get<ISubscriberStore>().GetAsync(slack.Id, default));

        // The feed's markup arrives as text everywhere: JSON-escaped, and HTML-escaped for Telegram.
        Assert.All(alerts, r => Assert.DoesNotContain("<script>", r.Body, StringComparison.Ordinal));
        Assert.Contains("&lt;script&gt;", alerts.Single(r => r.Path.StartsWith("/bot", StringComparison.Ordinal)).Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_TheLinksInAnAlert_RecordTheSubscribersWordOnce_AndAdminsSeeItPerSignalAndRule()
    {
        var ana = await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        var bo = await AddAsync(Subscriber("bo@example.org", Now.AddDays(-1)));
        var message = await AlertAsync("s-feedback");
        await RunAsync(message);
        string Link(Subscriber to, string kind)
        {
            var text = SendGrid.Delivered.Single(d => d.To == to.Email).Text;
            return System.Text.RegularExpressions.Regex.Match(text, @"https://alerts\.example/api/preferences\?token=[^&\s]+&story=s-feedback&kind=" + kind).Value;
        }

        async Task<HttpAnswer> Open(string method, string link)
        {
            var uri = new Uri(link);
            var request = HttpCall.Request(method, uri.AbsolutePath, uri.Query.TrimStart('?'));
            return await HttpCall.ExecuteAsync(request, _host.Create<SubscriptionRoutes>().Preferences(request, default));
        }

        var falseAlarm = Link(ana, "false-alarm");
        var page = await Open("GET", falseAlarm);
        var before = await _host.Get<Alerts.Core.Feedback.IFeedbackStore>().ListAsync(Now.AddDays(-1), default);
        var recorded = await Open("POST", falseAlarm);
        var again = await Open("POST", falseAlarm);
        await Open("POST", Link(bo, "useful"));
        var tampered = await Open("POST", falseAlarm.Replace("token=", "token=x", StringComparison.Ordinal));
        var summaryRequest = HttpCall.Request("GET", "/api/admin/feedback", "days=7");
        var summary = JsonDocument.Parse((await HttpCall.ExecuteAsync(summaryRequest, _host.Create<AdminRoutes>().Feedback(summaryRequest, default))).Body).RootElement;

        Assert.NotEmpty(falseAlarm);
        Assert.Equal(200, page.Status);
        Assert.Contains("Troops fire on protesters s-feedback", page.Body, StringComparison.Ordinal);
        Assert.Empty(before); // the GET page records nothing (mail scanners follow links)
        Assert.Equal((200, 200, 400), (recorded.Status, again.Status, tampered.Status));
        Assert.Equal(2, summary.GetProperty("records").GetInt32()); // ana once, bo once
        var liveFire = summary.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "live-fire");
        Assert.Equal((1, 1, 0), (liveFire.GetProperty("useful").GetInt32(), liveFire.GetProperty("falseAlarm").GetInt32(), liveFire.GetProperty("wrongPlace").GetInt32()));
        Assert.Equal(0.5, liveFire.GetProperty("falseAlarmRate").GetDouble());
        Assert.StartsWith("escalation/live-fire: ", summary.GetProperty("rules")[0].GetProperty("key").GetString(), StringComparison.Ordinal);
        var alarm = Assert.Single(summary.GetProperty("falseAlarms").EnumerateArray());
        Assert.Equal(("s-feedback", ana.Id, "falseAlarm"), (alarm.GetProperty("storyId").GetString(), alarm.GetProperty("subscriberId").GetString(), alarm.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Run_EmailOffAndNoActiveChannel_TakesNoSlot_SoTheStoryGoesIntoTheDigest()
    {
        var quiet = await AddAsync(Subscriber("quiet@example.org", Now.AddDays(-1), preferences: new SubscriberPreferences { ImmediateByEmail = false }));

        var report = await RunAsync(await AlertAsync("s-nowhere"));

        Assert.Equal((0, 0), (report.Matched, report.Accepted));
        Assert.Empty((await _host.Get<ISubscriberStore>().GetAsync(quiet.Id, default))!.Immediate);
        Assert.Empty(SendGrid.Delivered);
    }

    [Fact]
    public async Task Run_PausedSubscriber_GetsNothing_UntilThePauseEnds()
    {
        await AddAsync(Subscriber("away@example.org", Now.AddDays(-1)) with { PausedUntil = Now.AddDays(2) });

        var away = await RunAsync(await AlertAsync("s-away"));
        _host.Time.Advance(TimeSpan.FromDays(3));
        var back = await RunAsync(await AlertAsync("s-back"));

        Assert.Equal((0, 0), (away.Matched, away.Accepted));
        Assert.Equal(1, back.Accepted);
        Assert.Single(SendGrid.Delivered);
    }

    [Fact]
    public async Task Run_ChannelDown_TheMessageComesBackAtRetryAfter_ThenTheChannelGetsTheAlertOnce()
    {
        var slack = await AddAsync(Subscriber("slack@example.org", Now.AddDays(-1), preferences: new SubscriberPreferences { ImmediateByEmail = false }));
        var url = _receivers.SlackUrl("down");
        await ChannelAsync(slack, ChannelKind.Slack, url);
        var message = await AlertAsync("s-slack-down");
        _receivers.Script(url, [.. Enumerable.Repeat(new FakeChannelResponse(503, "service_unavailable", new Dictionary<string, string> { ["Retry-After"] = "120" }), 1)]);

        var deferred = await RunAsync(message);

        Assert.Equal((0, 1), (deferred.Accepted, deferred.Waiting));
        Assert.Equal(Now.AddSeconds(121), deferred.RetryAt!.Value, TimeSpan.FromSeconds(5)); // Retry-After beyond the inline wait: deferred to it
        Assert.Equal(1, await BreakingQueuedAsync());

        _host.Time.Advance(TimeSpan.FromMinutes(3));
        var retry = await RunAsync(message);

        Assert.Equal(1, retry.Accepted);
        Assert.Equal(0, (await RunAsync(message)).Accepted);
        Assert.Single(_receivers.Delivered(new Uri(url).AbsolutePath).Skip(1)); // after the test message: one alert
    }

    [Fact]
    public async Task Run_ChannelRefusesForGood_TheRefusalIsRecordedOnTheChannel_AndNotRetried()
    {
        var teams = await AddAsync(Subscriber("teams@example.org", Now.AddDays(-1)));
        var url = _receivers.TeamsUrl("gone");
        await ChannelAsync(teams, ChannelKind.Teams, url);
        var message = await AlertAsync("s-teams-gone");
        _receivers.Script(url, new FakeChannelResponse(404, "{\"error\":{\"code\":\"WorkflowNotFound\"}}"));

        var report = await RunAsync(message);
        var again = await RunAsync(message);

        Assert.Equal((1, 1), (report.Accepted, report.Failed)); // the email went, the channel refused
        Assert.Equal(0, again.Accepted + again.Failed);
        Assert.Equal(2, _receivers.Requests.Count(r => r.Path == new Uri(url).AbsolutePath)); // the test message and one try
        var channel = Assert.Single((await _host.Get<ISubscriberStore>().GetAsync(teams.Id, default))!.Channels);
        Assert.StartsWith("HTTP 404", channel.LastError, StringComparison.Ordinal);
        Assert.Single(SendGrid.Delivered);
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
