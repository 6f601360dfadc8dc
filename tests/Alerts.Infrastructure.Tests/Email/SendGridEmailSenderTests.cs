using Alerts.Core.Digests;
using Alerts.Infrastructure.Email;
using Alerts.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Infrastructure.Tests.Email;

/// <summary>The real SendGrid client against a fake SendGrid endpoint on loopback.</summary>
public sealed class SendGridEmailSenderTests : IAsyncLifetime
{
    private FakeSendGrid _sendGrid = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _sendGrid = await FakeSendGrid.StartAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    private SendGridEmailSender Sender(TimeSpan? timeout = null, string apiKey = FakeSendGrid.ApiKey) => new(
        new HttpClient(),
        Options.Create(new SendGridOptions { ApiKey = apiKey, BaseUrl = _sendGrid.BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(10) }),
        _time);

    private static EmailMessage Message(params string[] to) => new()
    {
        From = "alerts@crisis-alerts.example",
        FromName = "Crisis Alerts",
        Content = new EmailContent("1 critical: Sudan", "<p>Curfew</p><a href=\"" + EmailMessage.UnsubscribePlaceholder + "\">Unsubscribe</a>", "Curfew\nUnsubscribe: " + EmailMessage.UnsubscribePlaceholder),
        Category = "digest",
        BatchId = "digest:20261128T0700Z",
        Recipients = [.. to.Select((address, i) => new EmailRecipient(address, $"https://alerts.example/api/unsubscribe?token=t{i}.sig", $"sub{i}/digest:20261128T0700Z"))],
    };

    [Fact]
    public async Task Send_Accepted_RequestCarriesAddressesContentHeadersAndCustomArgs()
    {
        var result = await Sender().SendAsync(Message("ana@example.org"), default);

        Assert.Equal(SendStatus.Accepted, result.Status);
        var body = Assert.Single(_sendGrid.Requests).Body;
        Assert.Equal("alerts@crisis-alerts.example", body.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("Crisis Alerts", body.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("1 critical: Sudan", body.GetProperty("subject").GetString());
        Assert.Equal(["text/plain", "text/html"], body.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("type").GetString()!).ToArray());
        Assert.Equal("digest", body.GetProperty("categories")[0].GetString());
        Assert.Equal("digest:20261128T0700Z", body.GetProperty("custom_args").GetProperty("batch_id").GetString());
        var email = Assert.Single(_sendGrid.Delivered);
        Assert.Equal("ana@example.org", email.To);
        Assert.Equal("<https://alerts.example/api/unsubscribe?token=t0.sig>", email.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("sub0/digest:20261128T0700Z", email.CustomArgs["delivery_id"]);
        Assert.Contains("href=\"https://alerts.example/api/unsubscribe?token=t0.sig\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe: https://alerts.example/api/unsubscribe?token=t0.sig", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SeveralRecipients_OneRequestOnePersonalizationEach()
    {
        await Sender().SendAsync(Message("ana@example.org", "bo@example.org", "chen@example.org"), default);

        Assert.Equal(3, Assert.Single(_sendGrid.Requests).Personalizations);
        Assert.Equal(["ana@example.org", "bo@example.org", "chen@example.org"], _sendGrid.Delivered.Select(d => d.To).ToArray());
        Assert.Equal(["t0", "t1", "t2"], _sendGrid.Delivered.Select(d => d.Headers["List-Unsubscribe"].Split("token=")[1][..2]).ToArray());
    }

    [Fact]
    public async Task Send_429WithRetryAfter_IsRetryAfterThatDelay()
    {
        _sendGrid.Script(new FakeSendGridResponse(429, new Dictionary<string, string> { ["Retry-After"] = "7" }));

        var result = await Sender().SendAsync(Message("ana@example.org"), default);

        Assert.Equal(SendStatus.Retry, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Empty(_sendGrid.Delivered);
    }

    [Fact]
    public async Task Send_429WithRateLimitReset_WaitsUntilTheReset()
    {
        var reset = _time.GetUtcNow().AddSeconds(42).ToUnixTimeSeconds();
        _sendGrid.Script(new FakeSendGridResponse(429, new Dictionary<string, string> { ["X-RateLimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var result = await Sender().SendAsync(Message("ana@example.org"), default);

        Assert.Equal(SendStatus.Retry, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(42), result.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Send_ServerError_IsRetry(int status)
    {
        _sendGrid.Script(new FakeSendGridResponse(status));

        var result = await Sender().SendAsync(Message("ana@example.org"), default);

        Assert.Equal(SendStatus.Retry, result.Status);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_Timeout_IsRetry()
    {
        _sendGrid.Script(new FakeSendGridResponse(500, Delay: TimeSpan.FromSeconds(5)));

        var result = await Sender(timeout: TimeSpan.FromMilliseconds(300)).SendAsync(Message("ana@example.org"), default);

        Assert.Equal(SendStatus.Retry, result.Status);
        Assert.Equal("timeout", result.Error);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(413)]
    public async Task Send_OtherClientError_IsRejectedWithTheProvidersMessage(int status)
    {
        _sendGrid.Script(new FakeSendGridResponse(status));

        var result = await Sender().SendAsync(Message("ana@example.org"), default);

        Assert.Equal(SendStatus.Rejected, result.Status);
        Assert.Contains("scripted " + status, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WrongApiKey_IsRejected()
    {
        var result = await Sender(apiKey: "SG.wrong").SendAsync(Message("ana@example.org"), default);

        Assert.Equal(SendStatus.Rejected, result.Status);
        Assert.Contains("401", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_HttpBaseUrlOffLoopback_IsInvalid()
    {
        var options = new SendGridOptions { ApiKey = "x", BaseUrl = "http://api.sendgrid.com" };
        Assert.NotEmpty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        options.BaseUrl = "https://api.eu.sendgrid.com";
        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }
}
