using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alerts.Core.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>Every kind of HTTP route through the real host: its routing, route constraints, key checks and binding.</summary>
[Collection(RealHostCollection.Name)]
public sealed partial class HostRoutesTests(RealHostFixture fixture)
{
    private FunctionsHostProcess Host => fixture.Host;

    [Fact]
    public async Task Health_IsPublicJson()
    {
        using var http = Host.CreateClient();
        using var response = await http.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(health.RootElement.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.Contains(health.RootElement.GetProperty("status").GetString(), new[] { "healthy", "degraded" });
        // escalation@1 as seeded, or a later version when another test of the collection saved it first.
        Assert.Matches("^escalation@[0-9]+$", health.RootElement.GetProperty("lists").GetProperty("loaded").EnumerateArray().First().GetString());
    }

    [Fact]
    public async Task Subscribe_Confirm_Unsubscribe_ThroughTheHost()
    {
        const string address = "sam@e2e.example";
        using var http = Host.CreateClient();
        using var subscribed = await http.PostAsync("api/subscribe", new StringContent("""{"email":"sam@e2e.example","timeZone":"Europe/Paris","language":"en","frequency":"daily","at":"07:30"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, subscribed.StatusCode);

        await Host.WaitForAsync(() => fixture.SendGrid.Delivered.Any(d => d.To == address), TimeSpan.FromSeconds(30), "the confirmation email");
        var email = fixture.SendGrid.Delivered.Single(d => d.To == address);
        var confirm = ConfirmLink().Match(email.Text).Value;
        Assert.StartsWith(Host.BaseAddress + "api/confirm?token=", confirm, StringComparison.Ordinal);

        using var page = await http.GetAsync(confirm);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SubscriberStatus.Pending, (await SubscriberAsync(address))!.Status); // GET changes nothing

        using var confirmed = await http.PostAsync(confirm, new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("You are subscribed", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync(address))!.Status);

        // RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the List-Unsubscribe address.
        var unsubscribe = email.Headers["List-Unsubscribe"].Trim('<', '>');
        Assert.StartsWith(Host.BaseAddress + "api/unsubscribe?token=", unsubscribe, StringComparison.Ordinal);
        using var oneClick = await http.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await SubscriberAsync(address))!.Status);

        var tampered = unsubscribe[..^2] + (unsubscribe.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        using var refused = await http.PostAsync(tampered, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task AdminRoutes_NeedAFunctionKey()
    {
        using var anonymous = Host.CreateClient();
        using var wrong = Host.CreateClient("not-the-key");
        using var admin = Host.CreateClient(Host.FunctionKey);

        foreach (var path in new[] { "api/admin/feeds", "api/admin/feeds.opml", "api/admin/subscribers", "api/admin/keyword-lists", "api/admin/alerts", "api/admin/alerts.atom" })
        {
            using var none = await anonymous.GetAsync(path);
            using var bad = await wrong.GetAsync(path);
            using var good = await admin.GetAsync(path);
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (none.StatusCode, bad.StatusCode, good.StatusCode));
        }

        using var query = await anonymous.GetAsync("api/admin/feeds?code=" + Uri.EscapeDataString(Host.FunctionKey));
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);

        // The routes added with the console's new buttons answer through the host too.
        using var article = new StringContent("""{"title": "Curfew in Goma", "content": "Soldiers opened fire on protesters in Goma, killing 12 people."}""", System.Text.Encoding.UTF8, "application/json");
        using var scoredAnonymously = await anonymous.PostAsync("api/admin/score", article);
        using var scored = await admin.PostAsync("api/admin/score", article);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (scoredAnonymously.StatusCode, scored.StatusCode));
        using var result = JsonDocument.Parse(await scored.Content.ReadAsStringAsync());
        Assert.Equal("critical", result.RootElement.GetProperty("severity").GetString());
        foreach (var (method, path) in new[] { (HttpMethod.Post, "api/admin/feeds/nope/refresh"), (HttpMethod.Get, "api/admin/feeds/nope/articles") })
        {
            using var unknownFeed = await admin.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.NotFound, unknownFeed.StatusCode);
            Assert.Contains("There is no feed 'nope'", await unknownFeed.Content.ReadAsStringAsync(), StringComparison.Ordinal); // our answer, not the host's
        }
    }

    [Fact]
    public async Task RouteConstraints_AndTheConsoleCatchAll()
    {
        using var admin = Host.CreateClient(Host.FunctionKey);
        var versionCalls = Host.Executions("AdminKeywordListVersion").Count;

        using var notInt = await admin.GetAsync("api/admin/keyword-lists/escalation/versions/latest");
        Assert.Equal(HttpStatusCode.NotFound, notInt.StatusCode);
        using var missing = await admin.GetAsync("api/admin/keyword-lists/escalation/versions/999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType); // the app answered this one
        await Host.WaitForAsync(() => Host.Executions("AdminKeywordListVersion").Count == versionCalls + 1, TimeSpan.FromSeconds(10), "the one invocation of AdminKeywordListVersion");
        await Task.Delay(500);
        Assert.Equal(versionCalls + 1, Host.Executions("AdminKeywordListVersion").Count); // "latest" never reached the function

        using var anonymous = Host.CreateClient();
        using var page = await anonymous.GetAsync("api/admin/console");
        using var script = await anonymous.GetAsync("api/admin/console/console.js");
        using var style = await anonymous.GetAsync("api/admin/console/console.css");
        using var unknown = await anonymous.GetAsync("api/admin/console/nothing-here.js");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "text/javascript"), (script.StatusCode, script.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.OK, "text/css"), (style.StatusCode, style.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task KeywordListPut_NeedsIfMatch_ReportsLineAndColumn_SavesWithTheETag()
    {
        using var admin = Host.CreateClient(Host.FunctionKey);
        using var current = await admin.GetAsync("api/admin/keyword-lists/escalation");
        var etag = current.Headers.ETag!.ToString();
        using var json = JsonDocument.Parse(await current.Content.ReadAsStringAsync());
        var document = json.RootElement.GetProperty("document").GetString()!;

        using var noIfMatch = await admin.PutAsync("api/admin/keyword-lists/escalation", new StringContent(document, Encoding.UTF8, "text/plain"));
        Assert.Equal((HttpStatusCode)428, noIfMatch.StatusCode);

        var broken = document.Replace("  weight: 5\n", "  weight: heavy\n", StringComparison.Ordinal);
        using var invalid = await PutAsync(admin, broken, etag);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync());
        var weightLine = 1 + broken.Split('\n').ToList().FindIndex(l => l == "  weight: heavy");
        Assert.Contains(problem.RootElement.GetProperty("errors").EnumerateArray(), e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32()) == (weightLine, 11));

        var edited = document.Replace("description: ", "description: (reviewed) ", StringComparison.Ordinal);
        using var saved = await PutAsync(admin, edited, etag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.NotEqual(etag, saved.Headers.ETag!.ToString());
        using var stale = await PutAsync(admin, document, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient http, string document, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "api/admin/keyword-lists/escalation") { Content = new StringContent(document, Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return http.SendAsync(request);
    }

    private async Task<Subscriber?> SubscriberAsync(string address)
    {
        using var stores = RealHostFixture.Stores(fixture.Azurite.ConnectionString);
        return await stores.GetRequiredService<ISubscriberStore>().GetAsync(Subscriber.IdForEmail(address), default);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/api/confirm\?token=\S+")]
    private static partial Regex ConfirmLink();
}
