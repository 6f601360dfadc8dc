using System.Security.Cryptography;
using Alerts.Core.Digests;

namespace Alerts.Core.Channels;

/// <summary>Where a subscriber's immediate alerts can go besides email.</summary>
public enum ChannelKind
{
    /// <summary>A JSON POST to any https URL, signed with HMAC-SHA256 (header <c>X-Alerts-Signature</c>).</summary>
    Webhook,

    /// <summary>A Slack incoming webhook (Block Kit message).</summary>
    Slack,

    /// <summary>A Microsoft Teams Workflows webhook ("When a Teams webhook request is received"), an Adaptive Card.</summary>
    Teams,

    /// <summary>A Telegram chat, through the service's bot (<c>sendMessage</c>).</summary>
    Telegram,
}

/// <summary>
/// One delivery channel of a subscriber. It is active only after a test delivery was accepted: a mistyped URL or a chat
/// that never started the bot gets nothing but that test.
/// </summary>
public sealed record Channel
{
    /// <summary>Short random id, unique within the subscriber (part of the delivery ids).</summary>
    public required string Id { get; init; }

    public required ChannelKind Kind { get; init; }

    /// <summary>The URL for Webhook, Slack and Teams; the chat id (a number, or <c>@channelname</c>) for Telegram.</summary>
    public required string Target { get; init; }

    /// <summary>The webhook's signing secret (shown once when the channel is added); null for the other kinds.</summary>
    public string? Secret { get; init; }

    /// <summary>True once a test delivery was accepted; only active channels receive alerts.</summary>
    public bool Active { get; init; }

    public DateTimeOffset AddedAt { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>Why the last test or alert was refused for good (the receiver's answer), if it was.</summary>
    public string? LastError { get; init; }

    /// <summary>A new channel id: 12 characters of base64url randomness.</summary>
    public static string NewId() => Base64Url(RandomNumberGenerator.GetBytes(9));

    /// <summary>A new webhook secret: 32 random bytes, base64url.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The channel with the target's secret parts hidden, for lists and logs (Slack and Teams URLs are credentials).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string RedactedTarget => Kind == ChannelKind.Telegram ? Target : Redact(Target);

    private static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + "/…" : "…";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>One rendered message for a channel: the JSON body and the event it announces.</summary>
public sealed record ChannelMessage(string Json, string Event, string IdempotencyKey);

/// <summary>Posts channel messages (an HTTP client in production, checked against the same address rules as feeds).</summary>
public interface IChannelSender
{
    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="channel"/>: Accepted on 2xx, Retry on 429, 5xx, timeouts and
    /// network errors (with the receiver's Retry-After), Rejected on any other answer (a redirect is not followed).
    /// </summary>
    Task<SendResult> SendAsync(Channel channel, ChannelMessage message, CancellationToken cancellationToken);
}

/// <summary>Checks a channel's target when it is saved (the sender checks every connection again).</summary>
public interface IChannelTargetChecker
{
    /// <summary>Null when the target may be saved; otherwise why not.</summary>
    Task<string?> CheckAsync(ChannelKind kind, string target, CancellationToken cancellationToken);
}
