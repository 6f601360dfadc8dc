using System.Text.Json;
using Alerts.Core.Admin;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions.Tests;

/// <summary>/api/admin/keyword-lists through the function class, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdminKeywordListsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Small = """
        list: regional
        version: 1
        thresholds: watch 2, warning 4, critical 10
        signal: blockade
          label: Blockade
          weight: 5
          phrase: naval blockade | blockade of the port
        """;

    private FunctionHost _host = null!;
    private string _default = "";

    public async Task InitializeAsync()
    {
        _host = new FunctionHost(azurite);
        await _host.Get<KeywordListProvider>().GetAsync(default); // seeds the default list, as the first scorer does
        _default = DefaultKeywordLists.All["escalation"];
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AdminRoutes Routes => _host.Create<AdminRoutes>();

    private Task<HttpAnswer> GetAsync(string name)
    {
        var request = HttpCall.Request("GET", "/api/admin/keyword-lists/" + name);
        return HttpCall.ExecuteAsync(request, Routes.KeywordList(request, name, default));
    }

    private Task<HttpAnswer> PutAsync(string name, string document, string? ifMatch = null, bool create = false)
    {
        var headers = new Dictionary<string, string>();
        if (ifMatch is not null)
        {
            headers["If-Match"] = ifMatch;
        }

        if (create)
        {
            headers["If-None-Match"] = "*";
        }

        var request = HttpCall.Request("PUT", "/api/admin/keyword-lists/" + name, body: document, contentType: "text/plain; charset=utf-8", headers: headers);
        return HttpCall.ExecuteAsync(request, Routes.KeywordList(request, name, default));
    }

    private static JsonElement Json(HttpAnswer answer) => JsonDocument.Parse(answer.Body).RootElement;

    [Fact]
    public async Task List_AndGet_ShowTheLiveListWithItsETag()
    {
        var listRequest = HttpCall.Request("GET", "/api/admin/keyword-lists");
        var list = Json(await HttpCall.ExecuteAsync(listRequest, Routes.KeywordLists(listRequest, default)));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("escalation", true, 9), (item.GetProperty("name").GetString(), item.GetProperty("valid").GetBoolean(), item.GetProperty("signals").GetInt32()));

        var answer = await GetAsync("escalation");

        Assert.Equal(200, answer.Status);
        Assert.Equal(_default, Json(answer).GetProperty("document").GetString());
        Assert.Equal(Json(answer).GetProperty("etag").GetString(), answer.Headers.ETag.ToString());
        Assert.Equal(404, (await GetAsync("nothing-here")).Status);
        Assert.Equal(400, (await GetAsync("Bad Name")).Status);
    }

    [Fact]
    public async Task Put_WithoutIfMatch_Is428_WithAStaleOne412WithTheCurrentETag()
    {
        var etag = (await GetAsync("escalation")).Headers.ETag.ToString();
        var edited = _default.Replace("weight: 5", "weight: 6", StringComparison.Ordinal);

        var missing = await PutAsync("escalation", edited);
        var saved = await PutAsync("escalation", edited, etag);
        var stale = await PutAsync("escalation", _default, etag);

        Assert.Equal(428, missing.Status);
        Assert.StartsWith("application/problem+json", missing.ContentType, StringComparison.Ordinal);
        Assert.Equal(200, saved.Status);
        Assert.Equal(412, stale.Status);
        Assert.Equal(saved.Headers.ETag.ToString(), stale.Headers.ETag.ToString());
        Assert.Equal(saved.Headers.ETag.ToString(), Json(stale).GetProperty("currentEtag").GetString());
        Assert.Equal(KeywordListAdmin.WithVersion(edited, 2), Json(await GetAsync("escalation")).GetProperty("document").GetString()); // the seeded default is version 1
    }

    [Fact]
    public async Task Put_TwoAdminsWithTheSameETag_OneWinsOneGets412()
    {
        var etag = (await GetAsync("escalation")).Headers.ETag.ToString();

        var answers = await Task.WhenAll(
            PutAsync("escalation", _default.Replace("weight: 5", "weight: 7", StringComparison.Ordinal), etag),
            PutAsync("escalation", _default.Replace("weight: 6", "weight: 8", StringComparison.Ordinal), etag));

        Assert.Equal([200, 412], answers.Select(a => a.Status).Order());
    }

    [Fact]
    public async Task Put_Invalid_Is400WithEveryErrorAtItsLineAndColumn_AndNothingChanges()
    {
        var etag = (await GetAsync("escalation")).Headers.ETag.ToString();
        var broken = _default.Replace("  weight: 5\n", "  weight: heavy\n", StringComparison.Ordinal).Replace("  phrase: martial law", "  phrase: martial law | (", StringComparison.Ordinal);

        var answer = await PutAsync("escalation", broken, etag);

        Assert.Equal(400, answer.Status);
        var errors = Json(answer).GetProperty("errors").EnumerateArray().ToList();
        var weightLine = 1 + broken.Split('\n').ToList().FindIndex(l => l == "  weight: heavy");
        Assert.Contains(errors, e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32()) == (weightLine, 11) && e.GetProperty("message").GetString()!.Contains("weight", StringComparison.Ordinal));
        var martialLine = 1 + broken.Split('\n').ToList().FindIndex(l => l.StartsWith("  phrase: martial law | (", StringComparison.Ordinal));
        Assert.Contains(errors, e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32()) == (martialLine, 25) && e.GetProperty("message").GetString()!.Contains("'('", StringComparison.Ordinal));
        Assert.Equal(etag, (await GetAsync("escalation")).Headers.ETag.ToString());
    }

    [Fact]
    public async Task Put_NameDifferentFromTheRoute_IsRefused()
    {
        var answer = await PutAsync("other", Small, create: true);

        Assert.Equal(400, answer.Status);
        Assert.Contains("'regional'", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_RecordAuthorAndSignalChanges_AndRestoreBringsAnOldVersionBack()
    {
        var created = await PutAsync("regional", Small, create: true);
        Assert.Equal(200, created.Status);
        Assert.Equal(412, (await PutAsync("regional", Small.Replace("weight: 5", "weight: 3", StringComparison.Ordinal), create: true)).Status); // exists now
        var again = await PutAsync("regional", Small, create: true); // the same create repeated: idempotent, no new version
        Assert.Equal((200, 1), (again.Status, Json(again).GetProperty("version").GetProperty("number").GetInt32()));

        var second = Small.Replace("weight: 5", "weight: 6", StringComparison.Ordinal) + "\nsignal: siege\n  label: Siege\n  weight: 4\n  phrase: under siege\n";
        var updated = await PutAsync("regional", second, created.Headers.ETag.ToString());
        Assert.Equal(200, updated.Status);

        var versionsRequest = HttpCall.Request("GET", "/api/admin/keyword-lists/regional/versions");
        var versions = Json(await HttpCall.ExecuteAsync(versionsRequest, Routes.KeywordListVersions(versionsRequest, "regional", default))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([2, 1], versions.Select(v => v.GetProperty("number").GetInt32()));
        Assert.Equal(["siege"], versions[0].GetProperty("summary").GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["blockade"], versions[0].GetProperty("summary").GetProperty("changed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(("created", "function key"), (versions[1].GetProperty("action").GetString(), versions[1].GetProperty("author").GetString()));

        var restoreRequest = HttpCall.Request("POST", "/api/admin/keyword-lists/regional/versions/1/restore", headers: new Dictionary<string, string> { ["If-Match"] = updated.Headers.ETag.ToString() });
        var restored = await HttpCall.ExecuteAsync(restoreRequest, Routes.RestoreKeywordList(restoreRequest, "regional", 1, default));

        Assert.Equal(200, restored.Status);
        Assert.Equal(3, Json(restored).GetProperty("version").GetProperty("number").GetInt32());
        Assert.Equal("restored from version 1", Json(restored).GetProperty("version").GetProperty("action").GetString());
        Assert.Equal(["siege"], Json(restored).GetProperty("version").GetProperty("summary").GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(KeywordListAdmin.WithVersion(Small, 3), Json(await GetAsync("regional")).GetProperty("document").GetString()); // version 1's text, as version 3
        var missingRequest = HttpCall.Request("POST", "/api/admin/keyword-lists/regional/versions/9/restore");
        Assert.Equal(404, (await HttpCall.ExecuteAsync(missingRequest, Routes.RestoreKeywordList(missingRequest, "regional", 9, default))).Status);
    }

    [Fact]
    public async Task Delete_NeedsIfMatch_ThenRemovesTheList()
    {
        var created = await PutAsync("regional", Small, create: true);
        var withoutEtag = HttpCall.Request("DELETE", "/api/admin/keyword-lists/regional");
        var withEtag = HttpCall.Request("DELETE", "/api/admin/keyword-lists/regional", headers: new Dictionary<string, string> { ["If-Match"] = created.Headers.ETag.ToString() });

        Assert.Equal(428, (await HttpCall.ExecuteAsync(withoutEtag, Routes.KeywordList(withoutEtag, "regional", default))).Status);
        Assert.Equal(204, (await HttpCall.ExecuteAsync(withEtag, Routes.KeywordList(withEtag, "regional", default))).Status);
        Assert.Equal(404, (await GetAsync("regional")).Status);
    }

    [Fact]
    public async Task Put_Valid_ScorersUseItWithoutARestart()
    {
        var message = ArticleMessage.From(new Article { Id = "abcdefabcdefabcdefabcdefabcdef01", FeedId = "f1", Key = "url:https://news.example/b", Url = "https://news.example/b", Title = "Navy announces naval blockade of the port", Content = "Ships were turned away." }, _host.Time.GetUtcNow());
        Assert.Equal(Severity.None, (await _host.Create<ScoreArticle>().Run(message, default)).Article.Result.Severity);

        Assert.Equal(200, (await PutAsync("regional", Small, create: true)).Status);
        _host.Time.Advance(TimeSpan.FromSeconds(31)); // the scorers' refresh interval

        var rescored = await _host.Create<ScoreArticle>().Run(message with { Id = "abcdefabcdefabcdefabcdefabcdef02" }, default);
        Assert.Contains(rescored.Article.Result.Signals, s => s.Id == "blockade");
        Assert.Contains("regional@1", rescored.Article.Lists);
    }

    [Fact]
    public async Task Put_StorageRetryAfterACommittedWrite_IsNotAConflict()
    {
        await using var host = new FunctionHost(azurite, shareWith: _host.Names,
            services: s => s.AddSingleton<IKeywordListStore>(sp => new CommitThenLoseTheAnswer(new BlobKeywordListStore(sp.GetRequiredService<StorageClients>()))));
        var etag = (await GetAsync("escalation")).Headers.ETag.ToString();
        var edited = _default.Replace("weight: 5", "weight: 9", StringComparison.Ordinal);
        var request = HttpCall.Request("PUT", "/api/admin/keyword-lists/escalation", body: edited, contentType: "text/plain", headers: new Dictionary<string, string> { ["If-Match"] = etag });

        var answer = await HttpCall.ExecuteAsync(request, host.Create<AdminRoutes>().KeywordList(request, "escalation", default));

        Assert.Equal(200, answer.Status);
        Assert.Equal(KeywordListAdmin.WithVersion(edited, 2), Json(await GetAsync("escalation")).GetProperty("document").GetString());
        Assert.Equal(answer.Headers.ETag.ToString(), (await GetAsync("escalation")).Headers.ETag.ToString());
    }

    [Fact]
    public async Task Validate_ReturnsErrorsWithoutSaving()
    {
        var request = HttpCall.Request("POST", "/api/admin/keyword-lists/regional/validate", body: JsonSerializer.Serialize(new { document = "list: regional\nthresholds: watch 2, warning 4, critical 10\nsignal: x\n  weight: lots\n" }), contentType: "application/json");

        var answer = Json(await HttpCall.ExecuteAsync(request, Routes.ValidateKeywordList(request, "regional", default)));

        Assert.False(answer.GetProperty("valid").GetBoolean());
        Assert.Contains(answer.GetProperty("errors").EnumerateArray(), e => e.GetProperty("line").GetInt32() == 4);
        Assert.Equal(0, answer.GetProperty("moreErrors").GetInt32());
        Assert.Equal(404, (await GetAsync("regional")).Status);
    }

    [Fact]
    public async Task Validate_AMegabyteOfErrors_ListsTheFirstHundredAndCountsTheRest()
    {
        var lines = new System.Text.StringBuilder("list: noisy\nthresholds: watch 2, warning 4, critical 10\n");
        while (lines.Length < Alerts.Infrastructure.Web.AdminListEndpoints.MaxDocumentBytes - 16)
        {
            lines.Append("?\n"); // each line is an error of its own
        }

        var request = HttpCall.Request("POST", "/api/admin/keyword-lists/noisy/validate", body: lines.ToString(), contentType: "text/plain");
        var answer = await HttpCall.ExecuteAsync(request, Routes.ValidateKeywordList(request, "noisy", default));
        var json = Json(answer);

        Assert.Equal(Alerts.Infrastructure.Web.AdminListEndpoints.MaxReportedErrors, json.GetProperty("errors").GetArrayLength());
        Assert.True(json.GetProperty("moreErrors").GetInt32() > 100_000, json.GetProperty("moreErrors").ToString());
        Assert.True(answer.Body.Length < 20_000, $"{answer.Body.Length} characters");
    }

    [Fact]
    public async Task Backtest_GivenArticles_ShowsCountsAndTheArticlesThatChangeWithEvidence()
    {
        var draft = _default.Replace("signal: coup", Small[Small.IndexOf("signal: blockade", StringComparison.Ordinal)..] + "\nsignal: coup", StringComparison.Ordinal)
            .Replace("phrase: curfew", "phrase: curfewxx", StringComparison.Ordinal);
        var body = JsonSerializer.Serialize(new
        {
            document = draft,
            articles = new object[]
            {
                new { id = "a1", title = "Navy imposes naval blockade of the port", content = "Warships turned back grain ships." },
                new { id = "a2", title = "Curfew imposed in the capital", content = "The governor ordered a curfew from 8pm." },
                new { id = "a3", title = "Local elections held", content = "Turnout was high." },
            },
        });
        var request = HttpCall.Request("POST", "/api/admin/keyword-lists/escalation/test", body: body, contentType: "application/json");

        var answer = await HttpCall.ExecuteAsync(request, Routes.TestKeywordList(request, "escalation", default));

        Assert.Equal(200, answer.Status);
        var result = Json(answer);
        Assert.Equal(3, result.GetProperty("articles").GetInt32());
        Assert.Equal((1, 1), (result.GetProperty("newAlerts").GetInt32(), result.GetProperty("droppedAlerts").GetInt32()));
        var changes = result.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal(("none", "warning"), (changes["a1"].GetProperty("live").GetString(), changes["a1"].GetProperty("draft").GetString()));
        Assert.Contains("naval blockade", changes["a1"].GetProperty("draftSignals")[0].GetProperty("evidence")[0].GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("none", changes["a2"].GetProperty("draft").GetString());
        Assert.False(changes.ContainsKey("a3"));
        Assert.Equal(1, result.GetProperty("live").GetProperty("warning").GetInt32());
    }

    [Fact]
    public async Task Backtest_StoredArticlesOfTheLastDays()
    {
        var score = _host.Create<ScoreArticle>();
        await score.Run(ArticleMessage.From(new Article { Id = "11111111111111111111111111111111", FeedId = "f1", Key = "k1", Title = "Curfew imposed in the capital", Content = "The governor ordered a curfew from 8pm." }, _host.Time.GetUtcNow()), default);
        await score.Run(ArticleMessage.From(new Article { Id = "22222222222222222222222222222222", FeedId = "f1", Key = "k2", Title = "Navy imposes naval blockade of the port", Content = "Warships turned back grain ships." }, _host.Time.GetUtcNow()), default);
        var draft = _default.Replace("phrase: curfew", "phrase: curfewxx", StringComparison.Ordinal);
        var request = HttpCall.Request("POST", "/api/admin/keyword-lists/escalation/test", body: JsonSerializer.Serialize(new { document = draft, days = 7 }), contentType: "application/json");

        var result = Json(await HttpCall.ExecuteAsync(request, Routes.TestKeywordList(request, "escalation", default)));

        Assert.Equal(2, result.GetProperty("articles").GetInt32());
        var change = Assert.Single(result.GetProperty("changes").EnumerateArray());
        Assert.Equal("11111111111111111111111111111111", change.GetProperty("id").GetString());
        Assert.Equal(1, result.GetProperty("droppedAlerts").GetInt32());

        var invalid = HttpCall.Request("POST", "/api/admin/keyword-lists/escalation/test", body: JsonSerializer.Serialize(new { document = "list: escalation\n", days = 7 }), contentType: "application/json");
        Assert.Equal(400, (await HttpCall.ExecuteAsync(invalid, Routes.TestKeywordList(invalid, "escalation", default))).Status);
        var noDays = HttpCall.Request("POST", "/api/admin/keyword-lists/escalation/test", body: JsonSerializer.Serialize(new { document = draft }), contentType: "application/json");
        Assert.Equal(400, (await HttpCall.ExecuteAsync(noDays, Routes.TestKeywordList(noDays, "escalation", default))).Status);
    }

    /// <summary>Commits the write, then reports a failed condition: what a retried request sees after its first attempt committed.</summary>
    private sealed class CommitThenLoseTheAnswer(IKeywordListStore inner) : IKeywordListStore
    {
        public Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(CancellationToken cancellationToken) => inner.GetVersionsAsync(cancellationToken);

        public Task<StoredKeywordList?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public async Task<string?> TrySaveAsync(string name, string document, string? ifMatch, CancellationToken cancellationToken)
        {
            await inner.TrySaveAsync(name, document, ifMatch, cancellationToken);
            return await inner.TrySaveAsync(name, document, ifMatch, cancellationToken); // the retry: 412, since the first one committed
        }

        public Task<bool> TryDeleteAsync(string name, string ifMatch, CancellationToken cancellationToken) => inner.TryDeleteAsync(name, ifMatch, cancellationToken);
    }
}
