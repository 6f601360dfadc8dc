using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Testing;
using Azure.Storage.Queues;
using static Alerts.Functions.Tests.DigestFixtures;

namespace Alerts.Functions.Tests;

/// <summary>Admin authorization, feeds, subscribers, alerts and health through the function classes, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdminRoutesTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private AdminRoutes Routes => _host.Create<AdminRoutes>();

    private static JsonElement Json(HttpAnswer answer) => JsonDocument.Parse(answer.Body).RootElement;

    private static string Principal(string name, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "preferred_username",
        role_typ = "roles",
        claims = new[] { new { typ = "preferred_username", val = name } }.Concat(roles.Select(r => new { typ = "roles", val = r })),
    })));

    // ---- authorization ----

    [Theory]
    [InlineData(null, 401)]
    [InlineData("not base64 at all!", 401)]
    [InlineData("eyJubyI6ImNsYWltcyJ9", 401)] // {"no":"claims"}
    [InlineData("reader", 403)]
    [InlineData("admin", 200)]
    public async Task RequiredRole_MissingForgedOrInsufficientPrincipal_IsRefused(string? who, int status)
    {
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Admin:RequiredRole"] = "Alerts.Admin" }, shareWith: _host.Names);
        var header = who switch
        {
            null => null,
            "reader" => Principal("rita@example.org", "Alerts.Reader"),
            "admin" => Principal("ana@example.org", "Alerts.Admin"),
            _ => who,
        };
        var request = HttpCall.Request("GET", "/api/admin/feeds", headers: header is null ? null : new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL"] = header });

        var answer = await HttpCall.ExecuteAsync(request, host.Create<AdminRoutes>().Feeds(request, default));

        Assert.Equal(status, answer.Status);
        if (status != 200)
        {
            Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RequiredRole_TheSignedInAdminIsRecordedAsTheAuthor()
    {
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Admin:RequiredRole"] = "Alerts.Admin" }, shareWith: _host.Names);
        const string Document = "list: regional\nthresholds: watch 2, warning 4, critical 10\nsignal: blockade\n  label: Blockade\n  weight: 5\n  phrase: naval blockade\n";
        var request = HttpCall.Request("PUT", "/api/admin/keyword-lists/regional", body: Document, contentType: "text/plain",
            headers: new Dictionary<string, string> { ["If-None-Match"] = "*", ["X-MS-CLIENT-PRINCIPAL"] = Principal("ana@example.org", "Alerts.Admin") });

        var answer = await HttpCall.ExecuteAsync(request, host.Create<AdminRoutes>().KeywordList(request, "regional", default));

        Assert.Equal("ana@example.org", Json(answer).GetProperty("version").GetProperty("author").GetString());
    }

    // ---- feeds ----

    private Task<HttpAnswer> PostFeedAsync(object body)
    {
        var request = HttpCall.Request("POST", "/api/admin/feeds", body: JsonSerializer.Serialize(body), contentType: "application/json");
        return HttpCall.ExecuteAsync(request, Routes.Feeds(request, default));
    }

    [Fact]
    public async Task Feeds_AddReadChangeDelete_WithHealth()
    {
        var created = await PostFeedAsync(new { url = "https://news.example/world/rss", title = "World", pollInterval = "00:10:00" });
        Assert.Equal(201, created.Status);
        var id = Json(created).GetProperty("id").GetString()!;
        Assert.Equal("/api/admin/feeds/" + id, created.Headers.Location.ToString());
        Assert.Equal(409, (await PostFeedAsync(new { url = "https://news.example/world/rss" })).Status);

        await _host.Registry.UpdateAsync(id, f => f with { FetchCount = 10, NotModifiedCount = 4, NewArticleCount = 12, LastError = "HTTP 503", LastHttpStatus = 503 }, default);
        var getRequest = HttpCall.Request("GET", "/api/admin/feeds/" + id);
        var read = await HttpCall.ExecuteAsync(getRequest, Routes.Feed(getRequest, id, default));
        var feed = Json(read);
        Assert.Equal((0.4, 12, "HTTP 503", "00:10:00"), (feed.GetProperty("notModifiedRatio").GetDouble(), feed.GetProperty("newArticles").GetInt32(), feed.GetProperty("lastError").GetString(), feed.GetProperty("pollInterval").GetString()));
        Assert.True(feed.TryGetProperty("nextDueAt", out _));

        var unconditional = HttpCall.Request("PUT", "/api/admin/feeds/" + id, body: """{"enabled":false}""", contentType: "application/json");
        Assert.Equal(428, (await HttpCall.ExecuteAsync(unconditional, Routes.Feed(unconditional, id, default))).Status);
        var stale = HttpCall.Request("PUT", "/api/admin/feeds/" + id, body: """{"enabled":false}""", contentType: "application/json", headers: new Dictionary<string, string> { ["If-Match"] = "W/\"stale\"" });
        var staleAnswer = await HttpCall.ExecuteAsync(stale, Routes.Feed(stale, id, default));
        Assert.Equal((412, read.Headers.ETag.ToString()), (staleAnswer.Status, staleAnswer.Headers.ETag.ToString()));
        Assert.Equal(read.Headers.ETag.ToString(), Json(staleAnswer).GetProperty("currentEtag").GetString());
        var disable = HttpCall.Request("PUT", "/api/admin/feeds/" + id, body: """{"enabled":false,"title":"World news"}""", contentType: "application/json", headers: new Dictionary<string, string> { ["If-Match"] = read.Headers.ETag.ToString() });
        var disabledAnswer = await HttpCall.ExecuteAsync(disable, Routes.Feed(disable, id, default));
        Assert.True(disabledAnswer.Status == 200, disabledAnswer.Body + " etag " + read.Headers.ETag);
        var disabled = Json(disabledAnswer);
        Assert.Equal((false, "World news"), (disabled.GetProperty("enabled").GetBoolean(), disabled.GetProperty("title").GetString()));

        var listRequest = HttpCall.Request("GET", "/api/admin/feeds");
        Assert.Single(Json(await HttpCall.ExecuteAsync(listRequest, Routes.Feeds(listRequest, default))).GetProperty("items").EnumerateArray());
        async Task<int> DeleteAsync(string? ifMatch)
        {
            var delete = HttpCall.Request("DELETE", "/api/admin/feeds/" + id, headers: ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });
            return (await HttpCall.ExecuteAsync(delete, Routes.Feed(delete, id, default))).Status;
        }

        Assert.Equal(428, await DeleteAsync(null));
        Assert.Equal(412, await DeleteAsync(read.Headers.ETag.ToString())); // the change above made it stale
        Assert.Equal(204, await DeleteAsync(disabledAnswer.Headers.ETag.ToString()));
        var again = HttpCall.Request("GET", "/api/admin/feeds/" + id);
        Assert.Equal(404, (await HttpCall.ExecuteAsync(again, Routes.Feed(again, id, default))).Status);
    }

    [Theory]
    [InlineData("http://10.0.0.1/feed")]
    [InlineData("http://127.0.0.1:8080/rss")]
    [InlineData("http://[::1]/rss")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fd00::1]/rss")]
    [InlineData("https://feeds.internal.test/rss")]
    [InlineData("https://instance.metadata.test/rss")]
    [InlineData("http://localhost/rss")]
    [InlineData("http://localhost./rss")]
    [InlineData("http://news.localhost./rss")]
    [InlineData("http://[::ffff:0:7f00:1]/rss")]
    [InlineData("http://[3fff::1]/rss")]
    [InlineData("ftp://news.example/rss")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:secret@news.example/rss")]
    [InlineData("not a url")]
    public async Task Feeds_UrlsTheFetcherWouldRefuse_AreRejectedAtSave(string url)
    {
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Fetcher:AllowLoopback"] = "false" }, shareWith: _host.Names);
        var request = HttpCall.Request("POST", "/api/admin/feeds", body: JsonSerializer.Serialize(new { url }), contentType: "application/json");

        var answer = await HttpCall.ExecuteAsync(request, host.Create<AdminRoutes>().Feeds(request, default));

        Assert.Equal(400, answer.Status);
        Assert.True(Json(answer).GetProperty("errors").TryGetProperty("url", out _));
        Assert.Empty(await host.Registry.ListAsync(default).ToListAsync());
    }

    [Fact]
    public async Task Feeds_InvalidInput_ClearProblems()
    {
        Assert.Equal(400, (await PostFeedAsync(new { url = "https://news.example/a", pollInterval = "00:00:10" })).Status);
        Assert.Equal(400, (await PostFeedAsync(new { title = "no url" })).Status);
        var malformed = HttpCall.Request("POST", "/api/admin/feeds", body: "{", contentType: "application/json");
        Assert.Equal(400, (await HttpCall.ExecuteAsync(malformed, Routes.Feeds(malformed, default))).Status);
        var wrongType = HttpCall.Request("POST", "/api/admin/feeds", body: "url=x", contentType: "text/plain");
        Assert.Equal(415, (await HttpCall.ExecuteAsync(wrongType, Routes.Feeds(wrongType, default))).Status);
    }

    [Fact]
    public async Task Feeds_ImportOpml_AddsPublicFeedsAndRejectsTheRest()
    {
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Fetcher:AllowLoopback"] = "false" }, shareWith: _host.Names);
        const string Opml = """
            <opml version="2.0"><body>
              <outline text="One" xmlUrl="https://one.example/rss"/>
              <outline text="Two" xmlUrl="https://two.example/atom"/>
              <outline text="Internal" xmlUrl="http://10.0.0.7/rss"/>
              <outline text="Metadata" xmlUrl="http://169.254.169.254/"/>
            </body></opml>
            """;
        var request = HttpCall.Request("POST", "/api/admin/feeds/import", body: Opml, contentType: "text/x-opml");

        var result = Json(await HttpCall.ExecuteAsync(request, host.Create<AdminRoutes>().ImportFeeds(request, default)));

        Assert.Equal(2, result.GetProperty("added").GetInt32());
        Assert.Equal(["http://10.0.0.7/rss", "http://169.254.169.254/"], result.GetProperty("rejected").EnumerateArray().Select(e => e.GetString()));
        var notOpml = HttpCall.Request("POST", "/api/admin/feeds/import", body: "<html><body>no</body></html>", contentType: "text/xml");
        Assert.Equal(400, (await HttpCall.ExecuteAsync(notOpml, host.Create<AdminRoutes>().ImportFeeds(notOpml, default))).Status);
    }

    [Fact]
    public async Task Feeds_ExportRefreshAndRecentArticles()
    {
        await using var host = new FunctionHost(azurite, shareWith: _host.Names);
        var routes = host.Create<AdminRoutes>();
        var add = HttpCall.Request("POST", "/api/admin/feeds", body: JsonSerializer.Serialize(new { url = "https://export.example/rss?x=1&y=2", title = "Export & check" }), contentType: "application/json");
        var feed = Json(await HttpCall.ExecuteAsync(add, routes.Feeds(add, default)));
        var id = feed.GetProperty("id").GetString()!;

        var export = HttpCall.Request("GET", "/api/admin/feeds.opml");
        var opml = await HttpCall.ExecuteAsync(export, routes.ExportFeeds(export, default));
        Assert.StartsWith("text/x-opml", opml.ContentType, StringComparison.Ordinal);
        var readBack = Alerts.Core.Feeds.Opml.Read(opml.Body);
        Assert.Contains(readBack, f => f.Url == "https://export.example/rss?x=1&y=2" && f.Title == "Export & check");

        var refresh = HttpCall.Request("POST", $"/api/admin/feeds/{id}/refresh");
        Assert.Equal(202, (await HttpCall.ExecuteAsync(refresh, routes.RefreshFeed(refresh, id, default))).Status);
        var queued = await FunctionHost.DrainAsync<Alerts.Core.Ingestion.FeedFetchMessage>(host.FeedQueue);
        Assert.Contains(queued, m => m.FeedId == id && m.Url == "https://export.example/rss?x=1&y=2");
        var unknown = HttpCall.Request("POST", "/api/admin/feeds/nope/refresh");
        Assert.Equal(404, (await HttpCall.ExecuteAsync(unknown, routes.RefreshFeed(unknown, "nope", default))).Status);

        await host.Get<Alerts.Core.Ingestion.IFeedRegistry>().UpdateAsync(id, f => f with
        {
            RecentArticles = [new Alerts.Core.Ingestion.FeedArticleRef("a1", "Curfew in the capital", "https://export.example/a1", null, host.Time.GetUtcNow())],
        }, default);
        var articles = HttpCall.Request("GET", $"/api/admin/feeds/{id}/articles");
        var items = Json(await HttpCall.ExecuteAsync(articles, routes.FeedArticles(articles, id, default))).GetProperty("items");
        Assert.Equal("Curfew in the capital", Assert.Single(items.EnumerateArray()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Score_APastedArticle_WithTheLiveLists()
    {
        var request = HttpCall.Request("POST", "/api/admin/score", body: JsonSerializer.Serialize(new { title = "Curfew in Goma", content = "Soldiers opened fire on protesters in Goma, killing 12 people." }), contentType: "application/json");

        var result = Json(await HttpCall.ExecuteAsync(request, _host.Create<AdminRoutes>().Score(request, default)));

        Assert.Equal("critical", result.GetProperty("severity").GetString());
        Assert.StartsWith("escalation@", result.GetProperty("lists")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("CD", result.GetProperty("countries")[0].GetString());
        Assert.Equal("Goma", result.GetProperty("places")[0].GetProperty("name").GetString());
        Assert.Contains(result.GetProperty("signals").EnumerateArray(), s => s.GetProperty("id").GetString() == "live-fire");
        var empty = HttpCall.Request("POST", "/api/admin/score", body: "{}", contentType: "application/json");
        Assert.Equal(400, (await HttpCall.ExecuteAsync(empty, _host.Create<AdminRoutes>().Score(empty, default))).Status);
    }

    // ---- subscribers ----

    private Task<HttpAnswer> SubscriberRequestAsync(string method, string? id, object? body = null, string? query = null, string? ifMatch = null)
    {
        var path = "/api/admin/subscribers" + (id is null ? "" : "/" + id);
        var request = HttpCall.Request(method, path, query, body is null ? null : JsonSerializer.Serialize(body), body is null ? null : "application/json",
            headers: ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });
        return HttpCall.ExecuteAsync(request, id is null ? Routes.Subscribers(request, default) : Routes.Subscriber(request, id, default));
    }

    [Fact]
    public async Task Subscribers_AddSearchPageChangeErase()
    {
        var active = await SubscriberRequestAsync("POST", null, new { email = "ana@example.org", name = "Ana", status = "active", countries = new[] { "KZ" } });
        var pending = await SubscriberRequestAsync("POST", null, new { email = "bo@example.org", timeZone = "Europe/Paris" });
        await SubscriberRequestAsync("POST", null, new { email = "chen@example.org", status = "active" });

        Assert.Equal((201, "active"), (active.Status, Json(active).GetProperty("status").GetString()));
        Assert.Equal("pending", Json(pending).GetProperty("status").GetString());
        Assert.Equal("bo@example.org", Assert.Single(SendGrid.Delivered).To); // the pending one got a confirmation email
        Assert.Equal(409, (await SubscriberRequestAsync("POST", null, new { email = "ana@example.org" })).Status);
        Assert.Equal(400, (await SubscriberRequestAsync("POST", null, new { email = "nope", status = "vip" })).Status);

        var exact = Json(await SubscriberRequestAsync("GET", null, query: "search=ana@example.org"));
        Assert.Equal("Ana", Assert.Single(exact.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        var part = Json(await SubscriberRequestAsync("GET", null, query: "search=example.org&pageSize=2"));
        var first = part.GetProperty("items").EnumerateArray().Count();
        var next = part.TryGetProperty("continuation", out var token) ? token.GetString() : null;
        var rest = next is null ? 0 : Json(await SubscriberRequestAsync("GET", null, query: "search=example.org&pageSize=2&continuation=" + Uri.EscapeDataString(next))).GetProperty("items").EnumerateArray().Count();
        Assert.Equal(3, first + rest);

        var id = Json(active).GetProperty("id").GetString()!;
        var read = await SubscriberRequestAsync("GET", id);
        var etag = read.Headers.ETag.ToString();
        Assert.Equal(etag, Json(read).GetProperty("etag").GetString());
        var change = new { name = "Ana M.", frequency = "weekly", day = "friday", at = "18:00", minimumSeverity = "critical", status = "unsubscribed" };
        Assert.Equal(428, (await SubscriberRequestAsync("PUT", id, change)).Status);
        await _host.Get<ISubscriberStore>().UpdateAsync(id, s => s with { LastDigestDueAt = _host.Time.GetUtcNow() }, default); // a digest went out meanwhile
        var stale = await SubscriberRequestAsync("PUT", id, change, ifMatch: etag);
        Assert.Equal(412, stale.Status);
        Assert.Equal("Ana", (await _host.Get<ISubscriberStore>().GetAsync(id, default))!.DisplayName); // nothing overwritten
        var current = stale.Headers.ETag.ToString();
        Assert.NotEqual(etag, current);
        var changedAnswer = await SubscriberRequestAsync("PUT", id, change, ifMatch: current);
        var changed = Json(changedAnswer);
        Assert.Equal(("Ana M.", "weekly", "friday", "unsubscribed"), (changed.GetProperty("name").GetString(), changed.GetProperty("preferences").GetProperty("frequency").GetString(), changed.GetProperty("preferences").GetProperty("day").GetString(), changed.GetProperty("status").GetString()));
        Assert.Equal(400, (await SubscriberRequestAsync("PUT", id, new { timeZone = "Nowhere/City" }, ifMatch: "*")).Status);

        Assert.Equal(428, (await SubscriberRequestAsync("DELETE", id)).Status);
        Assert.Equal(412, (await SubscriberRequestAsync("DELETE", id, ifMatch: current)).Status);
        Assert.NotNull(await _host.Get<ISubscriberStore>().GetAsync(id, default));
        Assert.Equal(204, (await SubscriberRequestAsync("DELETE", id, ifMatch: changedAnswer.Headers.ETag.ToString())).Status);
        Assert.Equal(404, (await SubscriberRequestAsync("GET", id)).Status);
        Assert.Null(await _host.Get<ISubscriberStore>().GetAsync(id, default));
        Assert.Equal(404, (await SubscriberRequestAsync("DELETE", id, ifMatch: "*")).Status);
    }

    // ---- channels ----

    [Fact]
    public async Task Channels_AddCheckedAndTested_SecretShownOnce_VerifyAndRemove()
    {
        await using var receivers = await FakeChannelReceiver.StartAsync();
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["Channels:AllowLoopback"] = "true" }, shareWith: _host.Names);
        var routes = host.Create<AdminRoutes>();
        var id = Json(await SubscriberRequestAsync("POST", null, new { email = "desk@example.org", status = "active" })).GetProperty("id").GetString()!;
        async Task<HttpAnswer> Call(string method, string path, object? body, Func<Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> route)
        {
            var request = HttpCall.Request(method, path, body: body is null ? null : JsonSerializer.Serialize(body), contentType: body is null ? null : "application/json");
            return await HttpCall.ExecuteAsync(request, host.WithClockRunningAsync(() => route(request)));
        }

        Task<HttpAnswer> Add(object body, string subscriber = "") =>
            Call("POST", $"/api/admin/subscribers/{(subscriber.Length > 0 ? subscriber : id)}/channels", body, r => routes.SubscriberChannels(r, subscriber.Length > 0 ? subscriber : id, default));

        var badKind = await Add(new { kind = "pager", target = "x" });
        var privateUrl = await Add(new { kind = "webhook", target = "https://10.1.2.3/hook" });
        var notSlack = await Add(new { kind = "slack", target = "https://hooks.example/services/T/B/X" });
        var noBot = await Add(new { kind = "telegram", target = "42" });
        var nobody = await Add(new { kind = "slack", target = receivers.SlackUrl("x") }, subscriber: "no-such-subscriber");
        var slack = await Add(new { kind = "slack", target = receivers.SlackUrl("desk") });
        var webhook = await Add(new { kind = "webhook", target = receivers.WebhookUrl("desk") });

        Assert.Equal([400, 400, 400, 400, 404], new[] { badKind, privateUrl, notSlack, noBot, nobody }.Select(a => a.Status));
        Assert.All(new[] { badKind, privateUrl, notSlack, noBot }, a => Assert.StartsWith("application/problem+json", a.ContentType, StringComparison.Ordinal));
        Assert.Contains("not public", Json(privateUrl).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("TelegramBotToken", Json(noBot).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, slack.Status);
        var slackChannel = Json(slack);
        Assert.True(slackChannel.GetProperty("active").GetBoolean()); // its test message was accepted
        Assert.Equal(receivers.BaseUrl + "/…", slackChannel.GetProperty("target").GetString()); // the URL is a credential: host only
        Assert.False(slackChannel.TryGetProperty("secret", out _));
        Assert.Single(receivers.Delivered());
        Assert.Equal(201, webhook.Status);
        var webhookChannel = Json(webhook);
        Assert.False(webhookChannel.GetProperty("active").GetBoolean()); // waits for its receiver to know the secret
        var secret = webhookChannel.GetProperty("secret").GetString()!;
        Assert.True(secret.Length >= 40);

        var channelId = webhookChannel.GetProperty("id").GetString()!;
        var read = await SubscriberRequestAsync("GET", id);
        Assert.DoesNotContain(secret, read.Body, StringComparison.Ordinal); // shown once, never again
        Assert.DoesNotContain("/services/T000/B000/desk", read.Body, StringComparison.Ordinal);
        Assert.Equal(2, Json(read).GetProperty("channels").GetArrayLength());

        Task<HttpAnswer> Verify() => Call("POST", $"/api/admin/subscribers/{id}/channels/{channelId}/verify", null, r => routes.SubscriberChannelVerify(r, id, channelId, default));
        var unverified = Json(await Verify()); // the receiver does not know the secret yet: 404 from it
        receivers.Secret(receivers.WebhookUrl("desk"), secret);
        var verified = Json(await Verify());

        Assert.False(unverified.GetProperty("active").GetBoolean());
        Assert.StartsWith("HTTP 404", unverified.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(verified.GetProperty("active").GetBoolean());
        Assert.Equal("test", receivers.Delivered(new Uri(receivers.WebhookUrl("desk")).AbsolutePath).Single().Headers["X-Alerts-Event"]);

        Task<HttpAnswer> Remove() => Call("DELETE", $"/api/admin/subscribers/{id}/channels/{channelId}", null, r => routes.SubscriberChannel(r, id, channelId, default));
        Assert.Equal(204, (await Remove()).Status);
        Assert.Equal(404, (await Remove()).Status);
        Assert.Single((await host.Get<ISubscriberStore>().GetAsync(id, default))!.Channels);
    }

    // ---- alerts ----

    [Fact]
    public async Task Alerts_FilteredAndPaged_AndAsAtom()
    {
        var now = _host.Time.GetUtcNow();
        var store = _host.Get<IAlertStore>();
        await store.TryAddAsync(Alert("s-kz", Severity.Critical, "KZ", "Troops fire on protesters in Almaty", now.AddHours(-1), "live-fire"), null, default);
        await store.TryAddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew in Khartoum", now.AddHours(-2)), null, default);
        await store.TryAddAsync(Alert("s-fr", Severity.Watch, "FR", "Tension in Lyon", now.AddHours(-3)), null, default);
        await store.TryAddAsync(Alert("s-old", Severity.Critical, "ML", "Old story", now.AddDays(-30)), null, default);

        async Task<JsonElement> GetAsync(string query)
        {
            var request = HttpCall.Request("GET", "/api/admin/alerts", query);
            return Json(await HttpCall.ExecuteAsync(request, Routes.Alerts(request, default)));
        }

        string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("storyId").GetString()!).Order(StringComparer.Ordinal)];

        Assert.Equal(["s-fr", "s-kz", "s-sd"], Ids(await GetAsync("")));
        Assert.Equal(["s-kz", "s-sd"], Ids(await GetAsync("severity=warning")));
        Assert.Equal(["s-kz"], Ids(await GetAsync("country=kz")));
        Assert.Equal(["s-kz"], Ids(await GetAsync("signal=live-fire")));
        Assert.Equal(["s-kz"], Ids(await GetAsync("signal=Live%20fire"))); // any case, the label's words
        Assert.Equal(["s-kz"], Ids(await GetAsync("country=Kazakhstan")));
        Assert.Equal(["s-sd"], Ids(await GetAsync("country=Soudan"))); // French
        Assert.Equal(["s-fr", "s-kz", "s-old", "s-sd"], Ids(await GetAsync("since=" + Uri.EscapeDataString(now.AddDays(-60).ToString("O")))));

        var seen = new List<string>();
        string? continuation = null;
        do
        {
            var page = await GetAsync("pageSize=1" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation)));
            seen.AddRange(Ids(page));
            continuation = page.TryGetProperty("continuation", out var token) ? token.GetString() : null;
        }
        while (continuation is not null);
        Assert.Equal(["s-fr", "s-kz", "s-sd"], seen.Order(StringComparer.Ordinal));

        var bad = HttpCall.Request("GET", "/api/admin/alerts", "since=yesterday&severity=extreme&country=XX");
        var problem = Json(await HttpCall.ExecuteAsync(bad, Routes.Alerts(bad, default)));
        Assert.Equal(["country", "severity", "since"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var atomRequest = HttpCall.Request("GET", "/api/admin/alerts.atom", "severity=warning&code=the-admin-key", headers: new Dictionary<string, string> { ["Host"] = "evil.example" });
        atomRequest.Host = new Microsoft.AspNetCore.Http.HostString("evil.example");
        var atom = await HttpCall.ExecuteAsync(atomRequest, Routes.AlertsAtom(atomRequest, default));
        Assert.StartsWith("application/atom+xml", atom.ContentType, StringComparison.Ordinal);
        XNamespace ns = "http://www.w3.org/2005/Atom";
        var self = XDocument.Parse(atom.Body).Root!.Elements(ns + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value;
        Assert.Equal(FunctionHost.PublicBaseUrl + "/api/admin/alerts.atom?severity=warning", self); // no key, no Host header echoed
        var entries = XDocument.Parse(atom.Body).Root!.Elements(ns + "entry").ToList();
        Assert.Equal(["[CRITICAL] Troops fire on protesters in Almaty", "[WARNING] Curfew in Khartoum"], entries.Select(e => e.Element(ns + "title")!.Value));
        Assert.Equal("https://news.example/s-kz", entries[0].Element(ns + "link")!.Attribute("href")!.Value);
        Assert.Contains("Kazakhstan", entries[0].Element(ns + "summary")!.Value, StringComparison.Ordinal);
    }

    // ---- health ----

    [Fact]
    public async Task Health_ReportsStorageListsRunsAndQueues_DegradedOnPoisonOrInvalidList()
    {
        await _host.Create<PollFeeds>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default);
        var health = _host.Create<HealthRoute>();
        var request = HttpCall.Request("GET", "/api/health");

        var healthy = Json(await HttpCall.ExecuteAsync(request, health.Get(request, default)));

        Assert.Equal("healthy", healthy.GetProperty("status").GetString());
        Assert.True(healthy.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.Equal(["escalation@1"], healthy.GetProperty("lists").GetProperty("loaded").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("PollFeeds", Assert.Single(healthy.GetProperty("runs").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(0, healthy.GetProperty("queues").GetProperty(_host.Names.BreakingQueue + "-poison").GetInt32());

        var poison = new QueueClient(_host.ConnectionString, _host.Names.ArticlesQueue + "-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync("eyJ9");
        await _host.Get<IKeywordListStore>().TrySaveAsync("broken", "list: broken\n", null, default);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var again = HttpCall.Request("GET", "/api/health");
        var degraded = Json(await HttpCall.ExecuteAsync(again, health.Get(again, default)));

        Assert.Equal("degraded", degraded.GetProperty("status").GetString());
        Assert.Equal(1, degraded.GetProperty("queues").GetProperty(_host.Names.ArticlesQueue + "-poison").GetInt32());
        Assert.True(degraded.GetProperty("lists").GetProperty("invalid").TryGetProperty("broken", out _));
    }

    [Fact]
    public async Task Health_StorageUnreachable_Is503()
    {
        await using var host = new FunctionHost(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;" });
        var request = HttpCall.Request("GET", "/api/health");

        var answer = await HttpCall.ExecuteAsync(request, host.Create<HealthRoute>().Get(request, default));

        Assert.Equal(503, answer.Status);
        Assert.False(Json(answer).GetProperty("storage").GetProperty("reachable").GetBoolean());
    }
}
