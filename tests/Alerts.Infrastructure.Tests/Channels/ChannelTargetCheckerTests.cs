using System.Net;
using Alerts.Core.Channels;
using Alerts.Infrastructure.Channels;
using Alerts.Infrastructure.Http;
using Alerts.Testing;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Tests.Channels;

public sealed class ChannelTargetCheckerTests
{
    /// <summary>The services' own hosts resolve to a public address here (no DNS on this machine); the rest as in TestHostResolver.</summary>
    private sealed class Resolver : IHostResolver
    {
        private readonly TestHostResolver _inner = new();

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            host is "hooks.slack.com" || host.EndsWith(".logic.azure.com", StringComparison.Ordinal)
                ? Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") })
                : _inner.ResolveAsync(host, cancellationToken);
    }

    private static ChannelTargetChecker Checker(bool allowLoopback = false, string token = "123456:TEST-token-for-the-fake-bot-api") =>
        new(new Resolver(), Options.Create(new ChannelOptions { AllowLoopback = allowLoopback, TelegramBotToken = token }));

    [Theory]
    [InlineData(ChannelKind.Webhook, "https://hooks.example/alerts")]
    [InlineData(ChannelKind.Slack, "https://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData(ChannelKind.Teams, "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x")]
    [InlineData(ChannelKind.Telegram, "-1001234567890")]
    [InlineData(ChannelKind.Telegram, "@crisis_desk")]
    public async Task Valid_Targets_AreAccepted(ChannelKind kind, string target) =>
        Assert.Null(await Checker().CheckAsync(kind, target, default));

    [Theory]
    [InlineData(ChannelKind.Webhook, "http://hooks.example/alerts", "https")]
    [InlineData(ChannelKind.Webhook, "https://10.0.0.5/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://172.16.8.1/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://192.168.1.10/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://169.254.169.254/latest/meta-data", "not public")]
    [InlineData(ChannelKind.Webhook, "https://100.64.0.1/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://[fd00::1]/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://[fe80::1]/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://[::ffff:10.0.0.1]/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://127.0.0.1/hook", "not public")]
    [InlineData(ChannelKind.Webhook, "https://localhost/hook", "loopback")]
    [InlineData(ChannelKind.Webhook, "https://hook.internal.test/x", "not public")]
    [InlineData(ChannelKind.Webhook, "https://hook.metadata.test/x", "not public")]
    [InlineData(ChannelKind.Webhook, "https://user:pass@hooks.example/x", "user name")]
    [InlineData(ChannelKind.Webhook, "ftp://hooks.example/x", "scheme")]
    [InlineData(ChannelKind.Slack, "https://hooks.example/services/T/B/X", "hooks.slack.com")]
    [InlineData(ChannelKind.Teams, "https://hooks.example/workflows/x", "Workflow")]
    [InlineData(ChannelKind.Telegram, "not a chat", "chat id")]
    public async Task Invalid_Targets_AreRefusedWithTheReason(ChannelKind kind, string target, string reason)
    {
        var error = await Checker().CheckAsync(kind, target, default);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_IsAllowedOnlyWhenTheSettingSaysSo_AndPrivateAddressesStayRefused()
    {
        Assert.Null(await Checker(allowLoopback: true).CheckAsync(ChannelKind.Slack, "http://127.0.0.1:5000/services/T/B/X", default));
        Assert.NotNull(await Checker(allowLoopback: true).CheckAsync(ChannelKind.Webhook, "https://10.0.0.5/hook", default));
        Assert.NotNull(await Checker(allowLoopback: false).CheckAsync(ChannelKind.Slack, "http://127.0.0.1:5000/services/T/B/X", default));
    }

    [Fact]
    public async Task Telegram_WithoutTheBotToken_CannotBeAdded() =>
        Assert.Contains("TelegramBotToken", await Checker(token: "").CheckAsync(ChannelKind.Telegram, "42", default), StringComparison.Ordinal);
}
