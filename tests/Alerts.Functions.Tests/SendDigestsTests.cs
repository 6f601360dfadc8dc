using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Alerts.Functions.Tests.DigestFixtures;

namespace Alerts.Functions.Tests;

/// <summary>SendDigests through its function class, against Azurite and the fake SendGrid with the real client.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendDigestsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionHost _host = null!;

    private FakeSendGrid SendGrid => _host.SendGrid!;

    public async Task InitializeAsync()
    {
        _host = await FunctionHost.WithSendGridAsync(azurite);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    private DateTimeOffset Now => _host.Time.GetUtcNow();

    private Task<DigestRunReport> RunAsync(FunctionHost? host = null)
    {
        host ??= _host;
        return host.WithClockRunningAsync(() => host.Create<SendDigests>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default));
    }

    private async Task AddAsync(params AlertRecord[] alerts)
    {
        foreach (var alert in alerts)
        {
            Assert.True(await _host.Get<IAlertStore>().TryAddAsync(alert, null, default));
        }
    }

    private async Task<Subscriber> AddAsync(Subscriber subscriber)
    {
        Assert.True(await _host.Get<ISubscriberStore>().TryAddAsync(subscriber, default));
        return subscriber;
    }

    private Task<Subscriber?> ReadAsync(Subscriber subscriber) => _host.Get<ISubscriberStore>().GetAsync(subscriber.Id, default);

    [Fact]
    public async Task Run_DueSubscriber_GetsOneDigestOfWhatIsNewMostSevereFirst_ThenNothingUntilSomethingIsNew()
    {
        var ana = await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        await AddAsync(
            Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)),
            Alert("s-kz", Severity.Critical, "KZ", "Troops fire on protesters in Almaty", Now.AddHours(-2), "live-fire", evidence: "soldiers opened fire on the crowd"),
            Alert("s-fr", Severity.Watch, "FR", "Minor unrest in Lyon", Now.AddHours(-1)),
            Alert("s-old", Severity.Critical, "ML", "Old news from Bamako", Now.AddDays(-2)));

        var start = Now;
        var report = await RunAsync();

        Assert.Equal((1, 1), (report.Due, report.Accepted));
        var email = Assert.Single(SendGrid.Delivered);
        Assert.Equal("ana@example.org", email.To);
        Assert.Equal("1 critical, 1 warning: Kazakhstan, Sudan", email.Subject);
        Assert.Equal("digest", Assert.Single(email.Categories));
        Assert.Equal(ana.Id + "/digest:20261128T0700Z", email.CustomArgs["delivery_id"]);
        Assert.Equal("digest:20261128T0700Z", email.CustomArgs["batch_id"]);
        Assert.True(email.Html.IndexOf("Troops fire on protesters", StringComparison.Ordinal) < email.Html.IndexOf("Curfew in Khartoum", StringComparison.Ordinal), "most severe first");
        Assert.Contains("href=\"https://news.example/s-kz\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("soldiers opened fire on the crowd", email.Html, StringComparison.Ordinal);
        Assert.Contains("Sources (2): news.example, wire.example", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Lyon", email.Html, StringComparison.Ordinal); // below the minimum severity
        Assert.DoesNotContain("Bamako", email.Html, StringComparison.Ordinal); // before the watermark
        Assert.Contains("Troops fire on protesters in Almaty", email.Text, StringComparison.Ordinal);
        var after = await ReadAsync(ana);
        Assert.Equal((start, new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.Zero)), (after!.DigestWatermark, after.LastDigestDueAt!.Value));

        await RunAsync();
        Assert.Single(SendGrid.Requests);

        _host.Time.Advance(TimeSpan.FromDays(1));
        await AddAsync(Alert("s-ng", Severity.Warning, "NE", "Curfew in Niamey", Now.AddHours(-3)));
        await RunAsync();
        var second = SendGrid.Delivered[^1];
        Assert.Equal("1 warning: Niger", second.Subject);
        Assert.DoesNotContain("Almaty", second.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Filters_EachGetsWhatMatches_NobodyGetsAnEmptyDigest()
    {
        var sudan = await AddAsync(Subscriber("sudan@example.org", Now.AddDays(-1), preferences: new SubscriberPreferences { Countries = ["SD"] }));
        var asia = await AddAsync(Subscriber("asia@example.org", Now.AddDays(-1), preferences: new SubscriberPreferences { Regions = ["Central Asia"] }));
        var coups = await AddAsync(Subscriber("coups@example.org", Now.AddDays(-1), preferences: new SubscriberPreferences { Signals = ["coup"] }));
        await AddAsync(
            Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)),
            Alert("s-kz", Severity.Critical, "KZ", "Troops fire on protesters in Almaty", Now.AddHours(-2), "live-fire"));

        var start = Now;
        var report = await RunAsync();

        Assert.Equal((3, 1, 2), (report.Due, report.Empty, report.Accepted));
        Assert.Contains("Khartoum", Assert.Single(SendGrid.Delivered, d => d.To == sudan.Email).Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Almaty", Assert.Single(SendGrid.Delivered, d => d.To == sudan.Email).Html, StringComparison.Ordinal);
        Assert.Contains("Almaty", Assert.Single(SendGrid.Delivered, d => d.To == asia.Email).Html, StringComparison.Ordinal);
        Assert.DoesNotContain(SendGrid.Delivered, d => d.To == coups.Email);
        Assert.Equal(start, (await ReadAsync(coups))!.DigestWatermark); // the empty window is done too
    }

    [Fact]
    public async Task Run_DueTimesFollowEachSubscribersZoneAndDaylightSaving()
    {
        _host.Time.SetUtcNow(new DateTimeOffset(2027, 3, 28, 4, 30, 0, TimeSpan.Zero)); // Paris moves to summer time at 01:00 UTC today
        await AddAsync(Subscriber("paris@example.org", Now.AddDays(-1), "Europe/Paris"));
        await AddAsync(Subscriber("almaty@example.org", Now.AddDays(-1), "Asia/Almaty"));
        await AddAsync(Subscriber("newyork@example.org", Now.AddDays(-1), "America/New_York"));
        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));

        await RunAsync(); // 04:30 UTC: 09:30 in Almaty (due since 02:00 UTC), 06:30 in Paris, 00:30 in New York
        Assert.Equal(["almaty@example.org"], SendGrid.Delivered.Select(d => d.To));

        _host.Time.SetUtcNow(new DateTimeOffset(2027, 3, 28, 5, 0, 0, TimeSpan.Zero)); // 07:00 in Paris (CEST), not 06:00 UTC as in winter
        await RunAsync();
        Assert.Equal(["almaty@example.org", "paris@example.org"], SendGrid.Delivered.Select(d => d.To));

        _host.Time.SetUtcNow(new DateTimeOffset(2027, 3, 28, 11, 0, 0, TimeSpan.Zero)); // 07:00 in New York (EDT)
        await RunAsync();
        Assert.Equal(3, SendGrid.Delivered.Count);
        Assert.Contains("(America/New_York)", SendGrid.Delivered[^1].Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_429ThenAccepted_GivesOneEmail()
    {
        await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));
        SendGrid.Script(new FakeSendGridResponse(429, new Dictionary<string, string> { ["Retry-After"] = "3" }));

        var report = await RunAsync();

        Assert.Equal([429, 202], SendGrid.Requests.Select(r => r.Status));
        Assert.Single(SendGrid.Delivered);
        Assert.Equal((1, 2), (report.Accepted, report.Requests));
    }

    [Fact]
    public async Task Run_ServerErrorOrTimeoutThenAccepted_GivesOneEmail()
    {
        await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));
        SendGrid.Script(new FakeSendGridResponse(500), new FakeSendGridResponse(503, Delay: TimeSpan.FromSeconds(4))); // the second times out (2 s)

        await RunAsync();

        Assert.Equal([500, 503, 202], SendGrid.Requests.Select(r => r.Status));
        Assert.Single(SendGrid.Delivered);
    }

    [Fact]
    public async Task Run_FailureAfterAcceptance_NextRunSendsNothingAgainAndFinishesTheBookkeeping()
    {
        await using var flaky = new FunctionHost(azurite, shareWith: _host.Names, sendGrid: SendGrid,
            services: s => s.AddSingleton<ISubscriberStore>(sp => new FailingOnceSubscriberStore(new TableSubscriberStore(sp.GetRequiredService<StorageClients>()))));
        flaky.Time.SetUtcNow(Now);
        var ana = await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));

        // Accepted by SendGrid, then the instance fails before moving the watermark (storage error, timeout, crash).
        await Assert.ThrowsAsync<IOException>(() => RunAsync(flaky));
        Assert.Single(SendGrid.Delivered);
        Assert.Equal(ana.LastDigestDueAt, (await ReadAsync(ana))!.LastDigestDueAt);

        var report = await RunAsync();

        Assert.Single(SendGrid.Requests);
        Assert.Equal((0, 1), (report.Accepted, report.AlreadyAccepted));
        Assert.True((await ReadAsync(ana))!.DigestWatermark > ana.DigestWatermark, "the watermark moved to the accepted digest's cutoff");
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.Zero), (await ReadAsync(ana))!.LastDigestDueAt);
    }

    [Fact]
    public async Task Run_400_RecordsAFailureWithoutRetrying_AndTheAlertsGoIntoTheNextDigest()
    {
        var ana = await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));
        SendGrid.Script(new FakeSendGridResponse(400));

        var report = await RunAsync();
        await RunAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        await RunAsync();

        Assert.Equal(1, report.Failed);
        Assert.Equal([400], SendGrid.Requests.Select(r => r.Status));
        var delivery = await _host.Get<IDeliveryStore>().GetAsync(ana.Id, "digest:20261128T0700Z", default);
        Assert.Equal(DeliveryState.Failed, delivery!.State);
        Assert.Contains("400", delivery.Error, StringComparison.Ordinal);
        Assert.Equal(ana.DigestWatermark, (await ReadAsync(ana))!.DigestWatermark);

        _host.Time.Advance(TimeSpan.FromDays(1));
        await RunAsync();
        Assert.Contains("Khartoum", Assert.Single(SendGrid.Delivered).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ProviderDownForEveryAttempt_DefersTheDigestAndSendsItOnceLater()
    {
        await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));
        SendGrid.Script(Enumerable.Repeat(new FakeSendGridResponse(503), 4).ToArray());

        var first = await RunAsync();
        Assert.Equal((1, 4), (first.Pending, first.Requests));

        var meanwhile = await _host.Create<SendDigests>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default); // before the retry time: left alone
        Assert.Equal(1, meanwhile.Pending);
        Assert.Equal(4, SendGrid.Requests.Count);

        _host.Time.Advance(TimeSpan.FromMinutes(15));
        var later = await RunAsync();

        Assert.Equal(1, later.Accepted);
        Assert.Single(SendGrid.Delivered);
    }

    [Fact]
    public async Task Run_TwoInstancesAtOnce_EachSubscriberGetsTheDigestOnce()
    {
        await using var second = new FunctionHost(azurite, shareWith: _host.Names, sendGrid: SendGrid);
        second.Time.SetUtcNow(Now);
        for (var i = 0; i < 6; i++)
        {
            await AddAsync(Subscriber($"user{i}@example.org", Now.AddDays(-1), zone: i % 2 == 0 ? "UTC" : "Europe/Madrid"));
        }

        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));

        await Task.WhenAll(RunAsync(), RunAsync(second), RunAsync());

        Assert.Equal(6, SendGrid.Delivered.Count);
        Assert.Equal(6, SendGrid.Delivered.Select(d => d.To).Distinct().Count());
    }

    [Fact]
    public async Task Run_IdenticalDigests_ShareOneRequest_EachWithTheirOwnUnsubscribeLink()
    {
        for (var i = 0; i < 3; i++)
        {
            await AddAsync(Subscriber($"same{i}@example.org", Now.AddDays(-1)));
        }

        await AddAsync(Subscriber("madrid@example.org", Now.AddDays(-1), "Europe/Madrid", "es"));
        await AddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", Now.AddHours(-1)));

        var report = await RunAsync();

        Assert.Equal((4, 2), (report.Accepted, report.Requests));
        Assert.Equal([3, 1], SendGrid.Requests.Select(r => r.Personalizations).Order().Reverse());
        var links = SendGrid.Delivered.Select(d => d.Headers["List-Unsubscribe"]).ToList();
        Assert.Equal(4, links.Distinct().Count());
        Assert.All(SendGrid.Delivered, d => Assert.Contains(d.Headers["List-Unsubscribe"].Trim('<', '>'), d.Html, StringComparison.Ordinal));
        Assert.Equal("1 alerta: Sudán", SendGrid.Delivered.Single(d => d.To == "madrid@example.org").Subject);
    }

    [Fact]
    public async Task Run_HostileFeedText_ComesOutInertAndCannotAddAHeader()
    {
        await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        await AddAsync(Alert("s-x", Severity.Critical, "SD", "<script>alert(1)</script> Curfew\r\nBcc: victim@example.org", Now.AddHours(-1),
            url: "javascript:alert(document.cookie)", evidence: "<img src=x onerror=alert(2)> curfew imposed"));

        await RunAsync();

        var email = Assert.Single(SendGrid.Delivered);
        Assert.DoesNotContain("<script", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Curfew  Bcc: victim@example.org", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', email.Subject);
        Assert.Equal(["List-Unsubscribe", "List-Unsubscribe-Post"], email.Headers.Keys.Order(StringComparer.Ordinal));
        var body = Assert.Single(SendGrid.Requests).Body;
        Assert.False(body.TryGetProperty("headers", out _), "feed text never reaches a header");
    }

    [Fact]
    public async Task Run_ManyAlerts_ShowsTheMostSevereUpToTheLimitAndCountsTheRest()
    {
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Email:MaxDigestItems"] = "5" }, shareWith: _host.Names, sendGrid: SendGrid);
        host.Time.SetUtcNow(Now);
        await AddAsync(Subscriber("ana@example.org", Now.AddDays(-1)));
        for (var i = 0; i < 8; i++)
        {
            await AddAsync(Alert($"s-{i}", i == 7 ? Severity.Critical : Severity.Warning, "SD", $"Story number {i}", Now.AddHours(-1).AddMinutes(i)));
        }

        await RunAsync(host);

        var email = Assert.Single(SendGrid.Delivered);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(email.Html, "<h2"));
        Assert.Contains("Story number 7", email.Html, StringComparison.Ordinal); // the critical one, although not the newest
        Assert.DoesNotContain("Story number 0", email.Html, StringComparison.Ordinal); // the oldest warnings are left out
        Assert.Contains("3 more matching alerts were left out", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PendingOrUnsubscribed_GetNothing()
    {
        await AddAsync(Subscriber("pending@example.org", Now.AddDays(-1)) with { Status = SubscriberStatus.Pending });
        await AddAsync(Subscriber("gone@example.org", Now.AddDays(-1)) with { Status = SubscriberStatus.Unsubscribed });
        await AddAsync(Alert("s-sd", Severity.Critical, "SD", "Curfew in Khartoum", Now.AddHours(-1)));

        var report = await RunAsync();

        Assert.Equal(0, report.Due);
        Assert.Empty(SendGrid.Requests);
    }

    [Fact]
    public async Task Run_Paused_SendsNothing_AndThePausedTimeIsNotMailedAfterwards()
    {
        var away = await AddAsync(Subscriber("away@example.org", Now.AddDays(-1)) with { PausedUntil = Now.AddDays(1) });
        await AddAsync(Alert("s-during", Severity.Critical, "SD", "Curfew in Khartoum", Now.AddHours(-1)));

        var paused = await RunAsync();
        _host.Time.Advance(TimeSpan.FromDays(2));
        await AddAsync(Alert("s-after", Severity.Critical, "SD", "Troops in Omdurman", Now.AddHours(-1)));
        var back = await RunAsync();

        Assert.Equal((1, 1, 0), (paused.Due, paused.Empty, paused.Accepted));
        Assert.Equal(1, back.Accepted);
        var digest = Assert.Single(SendGrid.Delivered);
        Assert.Equal(away.Email, digest.To);
        Assert.Contains("Omdurman", digest.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Khartoum", digest.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_APauseEndingBetweenTwoDigests_ItsTimeIsStillNotMailed()
    {
        // Daily at 07:00, last served this morning; paused from noon to 18:00.
        var eve = await AddAsync(Subscriber("eve@example.org", Now.AddHours(-1)) with { PausedUntil = Now.AddHours(6) });
        await AddAsync(Alert("s-paused", Severity.Critical, "SD", "Curfew in Khartoum", Now.AddHours(1)));
        await AddAsync(Alert("s-after", Severity.Critical, "SD", "Troops in Omdurman", Now.AddHours(7)));
        _host.Time.Advance(TimeSpan.FromHours(19.5)); // the next morning, 07:30

        var report = await RunAsync();

        Assert.Equal(1, report.Accepted);
        var digest = Assert.Single(SendGrid.Delivered);
        Assert.Equal(eve.Email, digest.To);
        Assert.Contains("Omdurman", digest.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Khartoum", digest.Html, StringComparison.Ordinal);
    }

    /// <summary>Fails the first update, as a storage outage or a crash right after sending would.</summary>
    private sealed class FailingOnceSubscriberStore(ISubscriberStore inner) : ISubscriberStore
    {
        private int _failed;

        public Task<bool> TryAddAsync(Subscriber subscriber, CancellationToken cancellationToken) => inner.TryAddAsync(subscriber, cancellationToken);

        public Task<Subscriber?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<Subscriber?> UpdateAsync(string id, Func<Subscriber, Subscriber> change, CancellationToken cancellationToken) =>
            Interlocked.Exchange(ref _failed, 1) == 0 ? throw new IOException("storage unavailable") : inner.UpdateAsync(id, change, cancellationToken);

        public Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken) => inner.DeleteAsync(id, ifMatch, cancellationToken);

        public IAsyncEnumerable<Subscriber> ListAsync(SubscriberStatus status, CancellationToken cancellationToken) => inner.ListAsync(status, cancellationToken);
    }
}
