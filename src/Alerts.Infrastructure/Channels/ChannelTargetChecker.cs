using System.Text.RegularExpressions;
using Alerts.Core.Channels;
using Alerts.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Channels;

/// <summary>
/// A channel's target when it is saved: a webhook URL must pass the same address rules as feeds, over https; a Slack
/// URL must be an incoming webhook on hooks.slack.com and a Teams URL a Workflows trigger (Logic Apps or Power
/// Platform host), unless loopback is allowed for tests; a Telegram chat is a numeric id or a public @name, and needs
/// the bot's token to be configured.
/// </summary>
public sealed partial class ChannelTargetChecker(IHostResolver resolver, IOptions<ChannelOptions> options) : IChannelTargetChecker
{
    private static readonly string[] TeamsHosts = [".logic.azure.com", ".powerplatform.com", ".api.powerplatform.com", ".powerautomate.com", "flow.microsoft.com"];

    public async Task<string?> CheckAsync(ChannelKind kind, string target, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        target = target?.Trim() ?? "";
        if (kind == ChannelKind.Telegram)
        {
            if (settings.TelegramBotToken.Length == 0)
            {
                return "Telegram is not set up on this service (Channels:TelegramBotToken).";
            }

            return TelegramChat().IsMatch(target) ? null : "A Telegram chat is a numeric chat id (-1001234567890) or a public channel's @name.";
        }

        var noun = kind switch { ChannelKind.Slack => "Slack webhook URL", ChannelKind.Teams => "Teams webhook URL", _ => "webhook URL" };
        if (await DestinationCheck.CheckAsync(target, noun, httpsOnly: true, settings.AllowLoopback, resolver, cancellationToken) is { } refused)
        {
            return refused;
        }

        var uri = new Uri(target);
        var local = settings.AllowLoopback && uri.IsLoopback;
        return kind switch
        {
            ChannelKind.Slack when !local && !(uri.Host == "hooks.slack.com" && uri.AbsolutePath.StartsWith("/services/", StringComparison.Ordinal))
                => "A Slack webhook URL starts with https://hooks.slack.com/services/ (Slack: Incoming Webhooks).",
            ChannelKind.Teams when !local && !TeamsHosts.Any(h => uri.Host.EndsWith(h, StringComparison.OrdinalIgnoreCase) || uri.Host.Equals(h.TrimStart('.'), StringComparison.OrdinalIgnoreCase))
                => "A Teams webhook URL is the one a Teams Workflow gives (\"When a Teams webhook request is received\"), on a Logic Apps or Power Platform host.",
            _ => null,
        };
    }

    [GeneratedRegex("^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")]
    private static partial Regex TelegramChat();
}
