using Alerts.Core.Channels;
using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Channels;
using Alerts.Infrastructure.Http;
using Alerts.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Infrastructure.Tests.Channels;

/// <summary>The channel sender through the safe connector against the fake receivers on loopback.</summary>
public sealed class HttpChannelSenderTests : IAsyncLifetime
{
    private FakeChannelReceiver _receiver = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _receiver = await FakeChannelReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private HttpChannelSender Sender(bool allowLoopback = true, TimeSpan? timeout = null)
    {
        var options = new ChannelOptions
        {
            AllowLoopback = allowLoopback,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            TelegramBotToken = FakeChannelReceiver.TelegramToken,
            TelegramApiBaseUrl = _receiver.BaseUrl,
        };
        return new HttpChannelSender(new HttpClient(SafeConnector.CreatePostingHandler(new TestHostResolver(), allowLoopback, options.Timeout)) { Timeout = Timeout.InfiniteTimeSpan }, Options.Create(options), _time);
    }

    private static readonly Subscriber Ana = new() { Id = "ana", Email = "ana@example.org", Language = "en" };

    /// <summary>A critical story whose feed text tries every receiver's markup.</summary>
    private static DigestItem Hostile() => new(
        "s-hostile",
        "<!channel> *Curfew* in <b>Almaty</b> & <http://evil.example|click> [x](http://evil.example)",
        "https://wire.example/almaty?a=1&b=2",
        Severity.Critical,
        new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero),
        ["KZ"],
        ["Wire <script>"],
        [new SignalMatch("curfew", "Curfew", "escalation", 1, [new Evidence(ArticleField.Content, "a curfew <i>was</i> imposed @everyone", "curfew", null, "curfew")])]);

    private static Channel Channel(ChannelKind kind, string target, string? secret = null) => new() { Id = "c1", Kind = kind, Target = target, Secret = secret, Active = true };

    private Task<SendResult> SendAsync(Channel channel, HttpChannelSender? sender = null) =>
        (sender ?? Sender()).SendAsync(channel, ChannelRenderer.RenderAlert(channel, Ana, Hostile(), "ana/breaking:s-hostile:c1", _time.GetUtcNow()), default);

    [Fact]
    public async Task Webhook_SignedOverTimestampAndBody_TheReceiverVerifiesIt_WithEventAndIdempotencyKey()
    {
        var url = _receiver.WebhookUrl("ops");
        var channel = Channel(ChannelKind.Webhook, url, Core.Channels.Channel.NewSecret());
        _receiver.Secret(url, channel.Secret!);

        var result = await SendAsync(channel);

        Assert.Equal(SendStatus.Accepted, result.Status);
        var request = Assert.Single(_receiver.Delivered());
        Assert.Null(request.Problem);
        Assert.Equal("alert.critical", request.Headers["X-Alerts-Event"]);
        Assert.Equal("ana/breaking:s-hostile:c1", request.Headers["Idempotency-Key"]);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["X-Alerts-Timestamp"]);
        var alert = request.Json!.Value.GetProperty("alert");
        Assert.Equal("s-hostile", alert.GetProperty("storyId").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("KZ", alert.GetProperty("countries")[0].GetString());
        Assert.Equal("curfew", alert.GetProperty("signals")[0].GetProperty("evidence")[0].GetProperty("matched").GetString());
        Assert.Equal(Hostile().Title, alert.GetProperty("title").GetString()); // data, exactly as written, JSON-escaped
    }

    [Fact]
    public async Task Webhook_WrongSecret_IsRefusedByTheReceiver_AndRecordedWithoutRetry()
    {
        var url = _receiver.WebhookUrl("ops");
        _receiver.Secret(url, "the-receiver-knows-another-secret");

        var result = await SendAsync(Channel(ChannelKind.Webhook, url, "ours"));

        Assert.Equal(SendStatus.Rejected, result.Status);
        Assert.StartsWith("HTTP 401", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slack_FeedTextOnlyInPlainTextObjects_AndTheFallbackEscaped()
    {
        var result = await SendAsync(Channel(ChannelKind.Slack, _receiver.SlackUrl("room")));

        Assert.Equal(SendStatus.Accepted, result.Status);
        var json = Assert.Single(_receiver.Delivered()).Json!.Value;
        var fallback = json.GetProperty("text").GetString()!;
        Assert.DoesNotContain("<!channel>", fallback, StringComparison.Ordinal);
        Assert.DoesNotContain("<http://evil", fallback, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", fallback, StringComparison.Ordinal);
        foreach (var block in json.GetProperty("blocks").EnumerateArray().Where(b => b.TryGetProperty("text", out _)))
        {
            Assert.Equal("plain_text", block.GetProperty("text").GetProperty("type").GetString());
        }

        var button = json.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements")[0];
        Assert.Equal("https://wire.example/almaty?a=1&b=2", button.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Teams_AnAdaptiveCardWhoseFeedTextIsInTextRunsOnly_WithTheMatchedWordsHighlighted()
    {
        var result = await SendAsync(Channel(ChannelKind.Teams, _receiver.TeamsUrl("room")));

        Assert.Equal(SendStatus.Accepted, result.Status);
        var card = Assert.Single(_receiver.Delivered()).Json!.Value.GetProperty("attachments")[0].GetProperty("content");
        var elements = card.GetProperty("body").EnumerateArray().ToList();
        Assert.All(elements, e => Assert.Equal("RichTextBlock", e.GetProperty("type").GetString()));
        Assert.All(elements.SelectMany(e => e.GetProperty("inlines").EnumerateArray()), r => Assert.Equal("TextRun", r.GetProperty("type").GetString()));
        var highlighted = elements.SelectMany(e => e.GetProperty("inlines").EnumerateArray()).Single(r => r.TryGetProperty("highlight", out _));
        Assert.Equal("curfew", highlighted.GetProperty("text").GetString());
        Assert.Equal("Action.OpenUrl", card.GetProperty("actions")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Telegram_HtmlParseMode_EveryFeedCharacterEscaped_ChatIdAsANumber()
    {
        var result = await SendAsync(Channel(ChannelKind.Telegram, "-1001234567890"));

        Assert.Equal(SendStatus.Accepted, result.Status);
        var json = Assert.Single(_receiver.Delivered()).Json!.Value;
        Assert.Equal(-1001234567890, json.GetProperty("chat_id").GetInt64());
        Assert.Equal("HTML", json.GetProperty("parse_mode").GetString());
        var text = json.GetProperty("text").GetString()!;
        Assert.Contains("&lt;b&gt;Almaty&lt;/b&gt;", text, StringComparison.Ordinal);
        Assert.Contains("&lt;i&gt;was&lt;/i&gt;", text, StringComparison.Ordinal);
        Assert.Contains("Wire &lt;script&gt;", text, StringComparison.Ordinal);
        Assert.Contains("<u>curfew</u>", text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://wire.example/almaty?a=1&amp;b=2\">", text, StringComparison.Ordinal);
        // Only our own tags remain once the escaped feed text is set aside.
        var tags = System.Text.RegularExpressions.Regex.Matches(text, "<(/?[a-z]+)").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["/a", "/b", "/u", "a", "b", "u"], tags);
    }

    [Fact]
    public async Task RateLimited_429_WaitsForRetryAfter_FromTheHeaderOrTelegramsBody()
    {
        var slack = _receiver.SlackUrl("busy");
        _receiver.Script(slack, new FakeChannelResponse(429, "rate_limited", new Dictionary<string, string> { ["Retry-After"] = "30" }));
        _receiver.Script(_receiver.TelegramUrl, new FakeChannelResponse(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 17\",\"parameters\":{\"retry_after\":17}}"));

        var fromHeader = await SendAsync(Channel(ChannelKind.Slack, slack));
        var fromBody = await SendAsync(Channel(ChannelKind.Telegram, "42"));

        Assert.Equal((SendStatus.Retry, TimeSpan.FromSeconds(30)), (fromHeader.Status, fromHeader.RetryAfter));
        Assert.Equal((SendStatus.Retry, TimeSpan.FromSeconds(17)), (fromBody.Status, fromBody.RetryAfter));
    }

    [Fact]
    public async Task ServerError_IsRetried_ClientError_IsRefused_Redirect_IsNotFollowed()
    {
        var teams = _receiver.TeamsUrl("flaky");
        _receiver.Script(teams, new FakeChannelResponse(502));
        var gone = _receiver.SlackUrl("archived");
        _receiver.Script(gone, new FakeChannelResponse(410, "channel_is_archived"));
        var moved = _receiver.SlackUrl("moved");
        _receiver.Script(moved, new FakeChannelResponse(302, "", new Dictionary<string, string> { ["Location"] = _receiver.SlackUrl("elsewhere") }));

        Assert.Equal(SendStatus.Retry, (await SendAsync(Channel(ChannelKind.Teams, teams))).Status);
        var refused = await SendAsync(Channel(ChannelKind.Slack, gone));
        var redirected = await SendAsync(Channel(ChannelKind.Slack, moved));

        Assert.Equal((SendStatus.Rejected, "HTTP 410: channel_is_archived"), (refused.Status, refused.Error));
        Assert.Equal(SendStatus.Rejected, redirected.Status);
        Assert.Contains("redirects are not followed", redirected.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.Requests, r => r.Path.EndsWith("/elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReceiverAcceptsButAnswersTooLate_IsATimeoutToRetry()
    {
        var slow = _receiver.SlackUrl("slow");
        _receiver.Script(slow, new FakeChannelResponse(200, "ok", Delay: TimeSpan.FromSeconds(10)));

        // Two seconds for the request to arrive even on a loaded machine (at 500 ms a busy CI run once timed out before
        // the receiver had read it), then the answer comes too late.
        var result = await SendAsync(Channel(ChannelKind.Slack, slow), Sender(timeout: TimeSpan.FromSeconds(2)));

        Assert.Equal((SendStatus.Retry, "timeout"), (result.Status, result.Error));
        Assert.Single(_receiver.Requests); // it did arrive: Slack has no idempotency key, so the retry will repeat it
    }

    [Theory]
    [InlineData("https://127.0.0.1:1/hook")] // loopback, when loopback is not allowed
    [InlineData("https://hook.metadata.test/x")] // a name resolving to 169.254.169.254
    [InlineData("http://hooks.example/x")] // plain http
    public async Task RefusedDestinations_AreNeverConnectedTo_AndRefusedForGood(string url)
    {
        var result = await SendAsync(Channel(ChannelKind.Webhook, url, "s"), Sender(allowLoopback: false));

        Assert.Equal(SendStatus.Rejected, result.Status);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task Telegram_WithoutABotToken_IsRefused()
    {
        var options = Options.Create(new ChannelOptions { AllowLoopback = true, TelegramApiBaseUrl = _receiver.BaseUrl });
        var sender = new HttpChannelSender(new HttpClient(), options, _time);

        var result = await sender.SendAsync(Channel(ChannelKind.Telegram, "42"), ChannelRenderer.RenderTest(Channel(ChannelKind.Telegram, "42"), "en", "k", _time.GetUtcNow()), default);

        Assert.Equal(SendStatus.Rejected, result.Status);
        Assert.Empty(_receiver.Requests);
    }
}
