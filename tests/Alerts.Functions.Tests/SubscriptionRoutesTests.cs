using System.Text.Json;
using System.Web;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Testing;

namespace Alerts.Functions.Tests;

/// <summary>Subscribe, confirm and unsubscribe through the HTTP function classes, against Azurite and the fake SendGrid.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SubscriptionRoutesTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private SubscriptionRoutes Routes => _host.Create<SubscriptionRoutes>();

    private ISubscriberStore Subscribers => _host.Get<ISubscriberStore>();

    private Task<HttpAnswer> SubscribeAsync(string json, string clientAddress = "203.0.113.7")
    {
        var request = HttpCall.Json("/api/subscribe", json, clientAddress);
        return HttpCall.ExecuteAsync(request, Routes.Subscribe(request, default));
    }

    private Task<HttpAnswer> CallAsync(string method, string route, string token, string? body = null)
    {
        var request = HttpCall.Request(method, "/api/" + route, "token=" + Uri.EscapeDataString(token), body, body is null ? null : "application/x-www-form-urlencoded");
        return HttpCall.ExecuteAsync(request, route switch
        {
            "confirm" => Routes.Confirm(request, default),
            "preferences" => Routes.Preferences(request, default),
            _ => Routes.Unsubscribe(request, default),
        });
    }

    private static string TokenFrom(string link) => HttpUtility.ParseQueryString(new Uri(link).Query)["token"]!;

    private string ConfirmationLink(string to)
    {
        var email = Assert.Single(SendGrid.Delivered, d => d.To == to);
        var link = System.Text.RegularExpressions.Regex.Match(email.Text, @"https://alerts\.example/api/confirm\?token=\S+").Value;
        Assert.NotEmpty(link);
        return link;
    }

    [Fact]
    public async Task Subscribe_Valid_StoresPendingAndMailsASignedConfirmationLink()
    {
        var answer = await SubscribeAsync("""
            {"email":" Ana@Example.ORG ","name":"Ana","timeZone":"Asia/Almaty","language":"fr","frequency":"daily","at":"07:30",
             "minimumSeverity":"warning","countries":["kz","KG"],"regions":["Central Asia"],"signals":["curfew"],"immediateCritical":true}
            """);

        Assert.Equal(202, answer.Status);
        var subscriber = await Subscribers.GetAsync(Subscriber.IdForEmail("Ana@example.org"), default);
        Assert.NotNull(subscriber);
        Assert.Equal(SubscriberStatus.Pending, subscriber.Status);
        Assert.Equal("Ana@example.org", subscriber.Email);
        Assert.Equal(("Asia/Almaty", "fr", new TimeOnly(7, 30)), (subscriber.TimeZone, subscriber.Language, subscriber.Preferences.At));
        Assert.Equal(["KZ", "KG"], subscriber.Preferences.Countries);
        var email = Assert.Single(SendGrid.Delivered);
        Assert.Equal("Confirmez votre abonnement à Crisis Alerts", email.Subject);
        Assert.Equal("confirmation", Assert.Single(email.Categories));
        Assert.Equal(subscriber.Id, _host.Get<SubscriptionLinks>().VerifyConfirm(TokenFrom(ConfirmationLink("Ana@example.org")))!.SubscriberId);
        Assert.StartsWith("<https://alerts.example/api/unsubscribe?token=", email.Headers["List-Unsubscribe"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmAndUnsubscribePages_AreInTheSubscribersLanguage_AndSayWhatIsConfirmed()
    {
        await SubscribeAsync("""{"email":"marie@example.org","language":"fr","timeZone":"Europe/Paris","countries":["ML","TD"],"minimumSeverity":"critical","frequency":"weekly","day":"friday","at":"08:30"}""");
        var token = TokenFrom(ConfirmationLink("marie@example.org"));

        var page = await CallAsync("GET", "confirm", token);
        var body = System.Net.WebUtility.HtmlDecode(page.Body);

        Assert.Contains("<html lang=\"fr\" dir=\"ltr\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("Confirmez votre abonnement", body, StringComparison.Ordinal);
        Assert.Contains("marie@example.org", body, StringComparison.Ordinal);
        Assert.Contains("Mali, Tchad", body, StringComparison.Ordinal);
        Assert.Contains("critique", body, StringComparison.Ordinal);
        Assert.Contains("chaque vendredi à 08:30 (Europe/Paris)", body, StringComparison.Ordinal);
        var confirmed = System.Net.WebUtility.HtmlDecode((await CallAsync("POST", "confirm", token, "")).Body);
        Assert.Contains("Vous êtes abonné", confirmed, StringComparison.Ordinal);

        var bad = await CallAsync("GET", "confirm", token[..^3] + "xyz");
        Assert.Contains("This link is not valid", bad.Body, StringComparison.Ordinal); // a broken link names nobody: English
    }

    [Fact]
    public async Task Confirm_GetShowsAPageAndChangesNothing_PostActivates_SecondPostIsHarmless()
    {
        await SubscribeAsync("""{"email":"bo@example.org"}""");
        var token = TokenFrom(ConfirmationLink("bo@example.org"));
        var id = Subscriber.IdForEmail("bo@example.org");

        var page = await CallAsync("GET", "confirm", token);
        Assert.Equal(200, page.Status);
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Pending, (await Subscribers.GetAsync(id, default))!.Status);

        var confirmed = await CallAsync("POST", "confirm", token, "");
        Assert.Equal(200, confirmed.Status);
        Assert.Contains("You are subscribed", confirmed.Body, StringComparison.Ordinal);
        var active = (await Subscribers.GetAsync(id, default))!;
        Assert.Equal(SubscriberStatus.Active, active.Status);
        Assert.Equal(_host.Time.GetUtcNow(), active.DigestWatermark);

        Assert.Equal(200, (await CallAsync("POST", "confirm", token, "")).Status);
    }

    [Fact]
    public async Task Confirm_LinkMailedBeforeAnErase_DoesNotActivateTheRecordCreatedAgain()
    {
        await SubscribeAsync("""{"email":"ines@example.org"}""");
        var oldToken = TokenFrom(ConfirmationLink("ines@example.org"));
        var id = Subscriber.IdForEmail("ines@example.org");
        Assert.True(await _host.Get<SubscriptionService>().EraseAsync(id, null, default));
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await SubscribeAsync("""{"email":"ines@example.org"}""", "198.51.100.9"); // someone else signs the address up again

        var page = await CallAsync("GET", "confirm", oldToken);
        var post = await CallAsync("POST", "confirm", oldToken, "");

        Assert.Equal((404, 404), (page.Status, post.Status));
        Assert.Equal(SubscriberStatus.Pending, (await Subscribers.GetAsync(id, default))!.Status);
        var newToken = TokenFrom(SendGrid.Delivered.Last(d => d.To == "ines@example.org").Text is var text ? System.Text.RegularExpressions.Regex.Match(text, @"https://alerts\.example/api/confirm\?token=\S+").Value : "");
        Assert.Equal(200, (await CallAsync("POST", "confirm", newToken, "")).Status);
        Assert.Equal(SubscriberStatus.Active, (await Subscribers.GetAsync(id, default))!.Status);
    }

    [Fact]
    public async Task Confirm_TamperedToken_Is400AndActivatesNothing()
    {
        await SubscribeAsync("""{"email":"chen@example.org"}""");
        var token = TokenFrom(ConfirmationLink("chen@example.org"));
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        Assert.Equal(400, (await CallAsync("POST", "confirm", tampered, "")).Status);
        Assert.Equal(400, (await CallAsync("POST", "confirm", "", "")).Status);
        Assert.Equal(SubscriberStatus.Pending, (await Subscribers.GetAsync(Subscriber.IdForEmail("chen@example.org"), default))!.Status);
    }

    [Fact]
    public async Task Unsubscribe_GetChangesNothing_PostOneClickUnsubscribesIdempotently()
    {
        var id = await ActiveSubscriberAsync("dana@example.org");
        var token = TokenFrom(_host.Get<SubscriptionLinks>().Unsubscribe(id));

        var page = await CallAsync("GET", "unsubscribe", token);
        Assert.Equal(200, page.Status);
        Assert.Contains("<button", page.Body, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await Subscribers.GetAsync(id, default))!.Status);

        // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe URL.
        var first = await CallAsync("POST", "unsubscribe", token, "List-Unsubscribe=One-Click");
        var second = await CallAsync("POST", "unsubscribe", token, "List-Unsubscribe=One-Click");

        Assert.Equal((200, 200), (first.Status, second.Status));
        Assert.Contains("You are unsubscribed", second.Body, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await Subscribers.GetAsync(id, default))!.Status);
    }

    [Fact]
    public async Task Unsubscribe_TamperedForeignOrWrongPurposeToken_Is400AndChangesNothing()
    {
        var id = await ActiveSubscriberAsync("eve@example.org");
        var other = await ActiveSubscriberAsync("finn@example.org");
        var links = _host.Get<SubscriptionLinks>();
        var token = TokenFrom(links.Unsubscribe(id));
        var parts = token.Split('.');
        var foreign = new SignedTokens(new byte[32], _host.Time).Create(SubscriptionLinks.UnsubscribePurpose, id, TimeSpan.FromDays(1));
        var otherPayloadOurMac = TokenFrom(links.Unsubscribe(other)).Split('.')[0] + "." + parts[1];

        foreach (var bad in new[] { parts[0] + "." + parts[1][..^1], foreign, otherPayloadOurMac, TokenFrom(links.Confirm((await Subscribers.GetAsync(id, default))!)), "garbage" })
        {
            Assert.Equal(400, (await CallAsync("POST", "unsubscribe", bad, "List-Unsubscribe=One-Click")).Status);
        }

        Assert.Equal(SubscriberStatus.Active, (await Subscribers.GetAsync(id, default))!.Status);
        Assert.Equal(SubscriberStatus.Active, (await Subscribers.GetAsync(other, default))!.Status);

        // Another subscriber's genuine token unsubscribes that subscriber only.
        await CallAsync("POST", "unsubscribe", TokenFrom(links.Unsubscribe(other)), "List-Unsubscribe=One-Click");
        Assert.Equal(SubscriberStatus.Active, (await Subscribers.GetAsync(id, default))!.Status);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await Subscribers.GetAsync(other, default))!.Status);
    }

    [Fact]
    public async Task Subscribe_Invalid_Is400ProblemJsonListingEveryField()
    {
        var answer = await SubscribeAsync("""{"email":"not an address","timeZone":"Mars/Olympus","language":"xx","frequency":"sometimes","at":"25:00","countries":["XX"],"regions":["Atlantis"],"places":["Goma","Gotham City"]}""");

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(answer.Body);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal(["at", "countries", "email", "frequency", "language", "places", "regions", "timeZone"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("XX", errors.GetProperty("countries")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("Gotham City", Assert.Single(errors.GetProperty("places").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Empty(SendGrid.Requests);
    }

    [Fact]
    public async Task Subscribe_MalformedWrongTypeOrOversizedBody_ClearProblems()
    {
        Assert.Equal(400, (await SubscribeAsync("{\"email\": ")).Status);
        var text = HttpCall.Request("POST", "/api/subscribe", body: "email=a@example.org", contentType: "text/plain");
        Assert.Equal(415, (await HttpCall.ExecuteAsync(text, Routes.Subscribe(text, default))).Status);
        var huge = await SubscribeAsync("{\"email\":\"a@example.org\",\"name\":\"" + new string('x', 20_000) + "\"}");
        Assert.Equal(413, huge.Status);
        Assert.StartsWith("application/problem+json", huge.ContentType, StringComparison.Ordinal);

        // Errors speak of the caller's JSON, never of the server's types.
        foreach (var body in new[] { """{"email": 5}""", """{"email":"a@example.org","countries":"KZ"}""", "[1,2]", """{"email": "a@example.org",""" })
        {
            var wrong = await SubscribeAsync(body);
            var detail = JsonDocument.Parse(wrong.Body).RootElement.GetProperty("detail").GetString()!;
            Assert.Equal(400, wrong.Status);
            Assert.DoesNotContain("Alerts.", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        }

        Assert.Contains("$.countries", JsonDocument.Parse((await SubscribeAsync("""{"email":"a@example.org","countries":"KZ"}""")).Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A UTF-8 byte order mark in front of the JSON is allowed (RFC 8259 §8.1).
        Assert.Equal(202, (await SubscribeAsync("\uFEFF" + """{"email":"bom@example.org"}""")).Status);
    }

    [Fact]
    public async Task Subscribe_FromAnHtmlForm_Works()
    {
        var page = HttpCall.Request("GET", "/api/subscribe", headers: new Dictionary<string, string> { ["Accept-Language"] = "es-ES,es;q=0.9,en;q=0.5" });
        var form = await HttpCall.ExecuteAsync(page, Routes.Subscribe(page, default));
        var request = HttpCall.Request("POST", "/api/subscribe", body: "form=1&email=gina%40example.org&timeZone=Europe%2FMadrid&language=es&countries=Espa%C3%B1a,PT&signals=curfew&immediateByEmail=on", contentType: "application/x-www-form-urlencoded");
        var bad = HttpCall.Request("POST", "/api/subscribe", body: "form=1&email=nope&language=es&countries=Atlantis&timeZone=%3Cscript%3E", contentType: "application/x-www-form-urlencoded");

        var answer = await HttpCall.ExecuteAsync(request, Routes.Subscribe(request, default));
        var refused = await HttpCall.ExecuteAsync(bad, Routes.Subscribe(bad, default));

        Assert.Equal((200, "text/html; charset=utf-8"), (form.Status, form.ContentType));
        Assert.Contains("<html lang=\"es\" dir=\"ltr\">", form.Body, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/subscribe\"", form.Body, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", form.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal(200, answer.Status);
        Assert.Contains("Revise su correo", answer.Body, StringComparison.Ordinal);
        var subscriber = await Subscribers.GetAsync(Subscriber.IdForEmail("gina@example.org"), default);
        Assert.Equal(["ES", "PT"], subscriber!.Preferences.Countries);
        Assert.Equal("Europe/Madrid", subscriber.TimeZone);
        Assert.Equal(["curfew"], subscriber.Preferences.Signals);
        Assert.False(subscriber.Preferences.ImmediateCritical); // a box the form sent unticked means no
        Assert.True(subscriber.Preferences.ImmediateByEmail);
        Assert.Equal(400, refused.Status);
        Assert.Contains("role=\"alert\"", refused.Body, StringComparison.Ordinal); // the form again, with what to correct
        Assert.Contains("Atlantis", refused.Body, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Alerts.Core.Texts.TextCatalog.For("es").Page["error_countries"]), refused.Body, StringComparison.Ordinal); // what to correct, in Spanish
        Assert.DoesNotContain("<script>", refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preferences_NotAForm_IsAClearPageInTheVisitorsLanguage()
    {
        var request = HttpCall.Request("POST", "/api/preferences", query: "token=x", body: "{}", contentType: "application/json", headers: new Dictionary<string, string> { ["Accept-Language"] = "de-DE,de;q=0.9" });

        var answer = await HttpCall.ExecuteAsync(request, Routes.Preferences(request, default));

        Assert.Equal(400, answer.Status);
        Assert.Contains("<html lang=\"de\" dir=\"ltr\">", answer.Body, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Alerts.Core.Texts.TextCatalog.For("de").Page["form_only"]), answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preferences_TheEmailsLink_ShowsSavesPausesResumesAndErases()
    {
        var id = await ActiveSubscriberAsync("jo@example.org");
        var token = TokenFrom(_host.Get<SubscriptionLinks>().Preferences(id));

        var page = await CallAsync("GET", "preferences", token);
        var saved = await CallAsync("POST", "preferences", token, "form=1&action=save&language=fr&timeZone=Asia%2FAlmaty&countries=Kazakhstan&frequency=weekly&day=friday&at=08%3A00&minimumSeverity=critical&immediateCritical=on");
        var invalid = await CallAsync("POST", "preferences", token, "form=1&action=save&countries=Atlantis&timeZone=UTC");
        var stored = await Subscribers.GetAsync(id, default);
        var paused = await CallAsync("POST", "preferences", token, "action=pause&days=14");
        var pausedUntil = (await Subscribers.GetAsync(id, default))!.PausedUntil;
        var tooLong = await CallAsync("POST", "preferences", token, "action=pause&days=365");
        var resumed = await CallAsync("POST", "preferences", token, "action=resume");
        var forged = await CallAsync("POST", "preferences", token[..^2] + "xx", "action=erase");

        Assert.Equal(200, page.Status);
        Assert.Contains("jo@example.org", page.Body, StringComparison.Ordinal);
        Assert.Equal(200, saved.Status);
        Assert.Contains("Enregistré.", System.Net.WebUtility.HtmlDecode(saved.Body), StringComparison.Ordinal); // the page now in French
        Assert.Equal(400, invalid.Status);
        Assert.Equal(("fr", "Asia/Almaty", DigestFrequency.Weekly, DayOfWeek.Friday, Severity.Critical), (stored!.Language, stored.TimeZone, stored.Preferences.Frequency, stored.Preferences.Day, stored.Preferences.MinimumSeverity));
        Assert.Equal(["KZ"], stored.Preferences.Countries);
        Assert.Equal("jo@example.org", stored.Email); // the address cannot change here
        Assert.Equal(200, paused.Status);
        Assert.Equal(_host.Time.GetUtcNow().AddDays(14), pausedUntil);
        Assert.Equal(400, tooLong.Status);
        Assert.Equal(200, resumed.Status);
        var resumedAt = (await Subscribers.GetAsync(id, default))!;
        Assert.Equal(_host.Time.GetUtcNow(), resumedAt.PausedUntil); // the pause ended now: digests start from here
        Assert.False(resumedAt.IsPausedAt(_host.Time.GetUtcNow()));
        Assert.Equal(400, forged.Status);
        Assert.NotNull(await Subscribers.GetAsync(id, default));

        var erased = await CallAsync("POST", "preferences", token, "action=erase");
        Assert.Equal(200, erased.Status);
        Assert.Null(await Subscribers.GetAsync(id, default));
        Assert.Equal(404, (await CallAsync("GET", "preferences", token)).Status);
    }

    [Fact]
    public async Task Subscribe_RateLimitedPerAddressAndPerClient_WithRetryAfter()
    {
        var answers = new List<HttpAnswer>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await SubscribeAsync("""{"email":"hana@example.org"}""", clientAddress: "198.51.100." + i));
        }

        Assert.Equal([202, 202, 202, 429], answers.Select(a => a.Status));
        Assert.Equal("3600", answers[3].Headers.RetryAfter.ToString());
        Assert.Equal(3, SendGrid.Delivered.Count(d => d.To == "hana@example.org"));

        // One client trying many addresses: 20 an hour.
        var statuses = new List<int>();
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await SubscribeAsync($$"""{"email":"bulk{{i}}@example.org"}""", clientAddress: "203.0.113.99")).Status);
        }

        Assert.Equal(20, statuses.Count(s => s == 202));
        Assert.Equal(429, statuses[^1]);
    }

    [Fact]
    public async Task Subscribe_AgainWhileActive_ChangesNothingAndSendsNothing()
    {
        var id = await ActiveSubscriberAsync("ivan@example.org");

        var answer = await SubscribeAsync("""{"email":"ivan@example.org","countries":["FR"],"frequency":"hourly"}""");

        Assert.Equal(202, answer.Status);
        var subscriber = await Subscribers.GetAsync(id, default);
        Assert.Empty(subscriber!.Preferences.Countries);
        Assert.Equal(DigestFrequency.Daily, subscriber.Preferences.Frequency);
        Assert.Empty(SendGrid.Requests);
    }

    [Fact]
    public async Task Erase_DeletesTheSubscriberAndTheirDeliveryRecords()
    {
        await SubscribeAsync("""{"email":"jo@example.org"}""");
        var id = Subscriber.IdForEmail("jo@example.org");

        Assert.True(await _host.Get<SubscriptionService>().EraseAsync(id, null, default));

        Assert.Null(await Subscribers.GetAsync(id, default));
        var deliveries = new Azure.Data.Tables.TableClient(_host.ConnectionString, _host.Names.DeliveriesTable);
        Assert.Empty(deliveries.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == id).ToList());
        // The old unsubscribe link still answers calmly.
        Assert.Equal(200, (await CallAsync("POST", "unsubscribe", TokenFrom(_host.Get<SubscriptionLinks>().Unsubscribe(id)), "List-Unsubscribe=One-Click")).Status);
    }

    [Fact]
    public async Task Preferences_TheSubscriberAddsTestsAndRemovesChannels()
    {
        await using var receivers = await FakeChannelReceiver.StartAsync();
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Channels:AllowLoopback"] = "true" }, shareWith: _host.Names);
        var routes = host.Create<SubscriptionRoutes>();
        var id = await ActiveSubscriberAsync("kim@example.org");
        var token = TokenFrom(host.Get<SubscriptionLinks>().Preferences(id));
        async Task<string> Post(string body, int status = 200)
        {
            var request = HttpCall.Request("POST", "/api/preferences", "token=" + Uri.EscapeDataString(token), body, "application/x-www-form-urlencoded");
            var answer = await HttpCall.ExecuteAsync(request, host.WithClockRunningAsync(() => routes.Preferences(request, default)));
            Assert.Equal(status, answer.Status);
            return System.Net.WebUtility.HtmlDecode(answer.Body);
        }

        var webhookUrl = receivers.WebhookUrl("kim");
        var slack = await Post("action=channel-add&kind=slack&target=" + Uri.EscapeDataString(receivers.SlackUrl("kim")));
        var hook = await Post("action=channel-add&kind=webhook&target=" + Uri.EscapeDataString(webhookUrl));
        var refused = await Post("action=channel-add&kind=webhook&target=" + Uri.EscapeDataString("https://192.168.1.20/hook"), status: 400);
        var stored = (await Subscribers.GetAsync(id, default))!.Channels;

        Assert.Contains("Channel added and its test message accepted.", slack, StringComparison.Ordinal);
        Assert.DoesNotContain("/services/T000/B000/kim", slack, StringComparison.Ordinal); // the Slack URL is a credential
        Assert.Equal(2, stored.Count);
        Assert.True(stored[0].Active);
        Assert.False(stored[1].Active);
        Assert.Contains(stored[1].Secret!, hook, StringComparison.Ordinal); // shown once, on the page that added it
        Assert.Contains("not public", refused, StringComparison.Ordinal);

        receivers.Secret(webhookUrl, stored[1].Secret!);
        var verified = await Post("action=channel-verify&channel=" + stored[1].Id);
        var removed = await Post("action=channel-remove&channel=" + stored[0].Id);
        var read = HttpCall.Request("GET", "/api/preferences", "token=" + Uri.EscapeDataString(token));
        var again = await HttpCall.ExecuteAsync(read, routes.Preferences(read, default));

        Assert.Contains("Test message accepted: the channel is active.", verified, StringComparison.Ordinal);
        Assert.Contains("Channel removed.", removed, StringComparison.Ordinal);
        var left = Assert.Single((await Subscribers.GetAsync(id, default))!.Channels);
        Assert.True(left.Active);
        Assert.DoesNotContain(left.Secret!, again.Body, StringComparison.Ordinal); // never again
    }

    [Fact]
    public async Task Subscribe_WithAChannel_ItIsCheckedAndTestedOnlyOnceTheAddressIsConfirmed()
    {
        await using var receivers = await FakeChannelReceiver.StartAsync();
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Channels:AllowLoopback"] = "true" }, shareWith: _host.Names);
        var routes = host.Create<SubscriptionRoutes>();
        var slack = receivers.SlackUrl("signup");
        var form = "form=1&email=max%40example.org&channel=slack&channelTarget=" + Uri.EscapeDataString(slack);
        var bad = HttpCall.Request("POST", "/api/subscribe", body: "form=1&email=nia%40example.org&channel=pager&channelTarget=x", contentType: "application/x-www-form-urlencoded");
        var request = HttpCall.Request("POST", "/api/subscribe", body: form, contentType: "application/x-www-form-urlencoded");

        Assert.Equal(400, (await HttpCall.ExecuteAsync(bad, routes.Subscribe(bad, default))).Status);
        Assert.Equal(200, (await HttpCall.ExecuteAsync(request, routes.Subscribe(request, default))).Status);
        var pending = (await Subscribers.GetAsync(Subscriber.IdForEmail("max@example.org"), default))!;
        Assert.Equal(new PendingChannel(Core.Channels.ChannelKind.Slack, slack), pending.PendingChannel);
        Assert.Empty(pending.Channels);
        Assert.Empty(receivers.Requests); // nothing is contacted for an address nobody confirmed

        var look = HttpCall.Request("GET", "/api/confirm", "token=" + Uri.EscapeDataString(TokenFrom(host.Get<SubscriptionLinks>().Confirm(pending))));
        Assert.Contains("Slack: " + receivers.BaseUrl + "/…", System.Net.WebUtility.HtmlDecode((await HttpCall.ExecuteAsync(look, routes.Confirm(look, default))).Body), StringComparison.Ordinal); // what is confirmed includes the channel
        var confirm = HttpCall.Request("POST", "/api/confirm", "token=" + Uri.EscapeDataString(TokenFrom(host.Get<SubscriptionLinks>().Confirm(pending))));
        var page = await HttpCall.ExecuteAsync(confirm, host.WithClockRunningAsync(() => routes.Confirm(confirm, default)));

        Assert.Equal(200, page.Status);
        Assert.Contains("Channel added and its test message accepted.", System.Net.WebUtility.HtmlDecode(page.Body), StringComparison.Ordinal);
        var confirmed = (await Subscribers.GetAsync(pending.Id, default))!;
        Assert.Null(confirmed.PendingChannel);
        Assert.True(Assert.Single(confirmed.Channels).Active);
        Assert.Single(receivers.Delivered());
    }

    [Fact]
    public async Task Subscribe_AgainForAKnownAddress_CannotSlipAChannelIntoItsConfirmation()
    {
        var first = HttpCall.Request("POST", "/api/subscribe", body: "form=1&email=ola%40example.org", contentType: "application/x-www-form-urlencoded");
        var planted = HttpCall.Request("POST", "/api/subscribe", body: "form=1&email=ola%40example.org&channel=slack&channelTarget=" + Uri.EscapeDataString("https://hooks.slack.com/services/T/B/someone-else"), contentType: "application/x-www-form-urlencoded");

        Assert.Equal(200, (await HttpCall.ExecuteAsync(first, Routes.Subscribe(first, default))).Status);
        Assert.Equal(200, (await HttpCall.ExecuteAsync(planted, Routes.Subscribe(planted, default))).Status);

        Assert.Null((await Subscribers.GetAsync(Subscriber.IdForEmail("ola@example.org"), default))!.PendingChannel);
    }

    [Fact]
    public async Task Feed_APersonalLinkOfTheAlertsTheFiltersMatch_AtomOrJson_Replaceable()
    {
        var id = await ActiveSubscriberAsync("lea@example.org");
        await Subscribers.UpdateAsync(id, s => s with { Preferences = s.Preferences with { Countries = ["KZ"] } }, default);
        var now = _host.Time.GetUtcNow();
        var store = _host.Get<IAlertStore>();
        await store.TryAddAsync(DigestFixtures.Alert("s-kz", Severity.Critical, "KZ", "Troops <b>fire</b> in Almaty", now.AddHours(-1), "live-fire"), null, default);
        await store.TryAddAsync(DigestFixtures.Alert("s-sd", Severity.Critical, "SD", "Curfew in Khartoum", now.AddHours(-2)), null, default);
        await store.TryAddAsync(DigestFixtures.Alert("s-kz-watch", Severity.Watch, "KZ", "Tension in Aktau", now.AddHours(-3)), null, default);
        var token = TokenFrom(_host.Get<SubscriptionLinks>().Preferences(id));
        async Task<HttpAnswer> FeedAsync(string feedToken, string? format = null)
        {
            var request = HttpCall.Request("GET", "/api/feed", "token=" + Uri.EscapeDataString(feedToken) + (format is null ? "" : "&format=" + format));
            return await HttpCall.ExecuteAsync(request, Routes.MyFeed(request, default));
        }

        var before = await CallAsync("GET", "preferences", token);
        var made = await CallAsync("POST", "preferences", token, "action=feed-replace");
        var first = PersonalFeed.TokenFor((await Subscribers.GetAsync(id, default))!)!;
        var atom = await FeedAsync(first);
        var json = await FeedAsync(first, "json");
        await CallAsync("POST", "preferences", token, "action=feed-replace");
        var second = PersonalFeed.TokenFor((await Subscribers.GetAsync(id, default))!)!;

        Assert.Contains("Create my feed link", before.Body, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(first), made.Body, StringComparison.Ordinal);
        Assert.Equal((200, "application/atom+xml; charset=utf-8"), (atom.Status, atom.ContentType));
        var feed = System.Xml.Linq.XDocument.Parse(atom.Body);
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2005/Atom";
        var entry = Assert.Single(feed.Root!.Elements(ns + "entry"));
        Assert.Equal("[CRITICAL] Troops <b>fire</b> in Almaty", entry.Element(ns + "title")!.Value); // text, escaped by the XML writer
        var self = feed.Root.Elements(ns + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value;
        Assert.StartsWith("https://alerts.example/api/feed?token=", self, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", self, StringComparison.Ordinal);
        Assert.Equal("application/feed+json; charset=utf-8", json.ContentType);
        var items = JsonDocument.Parse(json.Body).RootElement.GetProperty("items");
        Assert.Equal("urn:crisis-alerts:story:s-kz", Assert.Single(items.EnumerateArray()).GetProperty("id").GetString());
        Assert.NotEqual(first, second);
        Assert.Equal(404, (await FeedAsync(first)).Status); // replaced: the old link stops working
        Assert.Equal(200, (await FeedAsync(second)).Status);
        Assert.Equal(404, (await FeedAsync(second[..^3] + "abc")).Status);
        Assert.Equal(404, (await FeedAsync("garbage")).Status);
        await CallAsync("POST", "unsubscribe", token, "List-Unsubscribe=One-Click");
        Assert.Equal(404, (await FeedAsync(second)).Status);
    }

    private async Task<string> ActiveSubscriberAsync(string email)
    {
        var subscriber = new Subscriber { Id = Subscriber.IdForEmail(email), Email = email, Status = SubscriberStatus.Active, DigestWatermark = _host.Time.GetUtcNow() };
        Assert.True(await Subscribers.TryAddAsync(subscriber, default));
        return subscriber.Id;
    }
}
