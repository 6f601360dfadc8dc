using Alerts.Core.Digests;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Channels;

public enum ChannelWriteStatus
{
    /// <summary>Saved; active when its test delivery was accepted.</summary>
    Saved,
    Invalid,
    NotFound,
    Removed,
}

/// <summary>What adding, verifying or removing a channel did; <see cref="Secret"/> only when a webhook was just added.</summary>
public sealed record ChannelWriteResult(ChannelWriteStatus Status, Channel? Channel = null, string? Error = null, string? Secret = null);

/// <summary>
/// Adds, verifies and removes a subscriber's channels. A new channel's target is checked (the same address rules as
/// feeds; Slack and Teams URLs on their services' hosts; a Telegram chat id), then a test message is sent: the channel
/// is saved either way, active only when the test was accepted, so that a channel nobody receives never gets alerts. A
/// webhook is saved inactive with its new signing secret, and tested when verified (its receiver needs the secret
/// first).
/// </summary>
public sealed class ChannelService(ISubscriberStore subscribers, IChannelTargetChecker checker, ChannelDispatcher dispatcher, TimeProvider time)
{
    public async Task<ChannelWriteResult> AddAsync(string subscriberId, string? kind, string? target, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ChannelKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || kind!.All(char.IsAsciiDigit))
        {
            return new ChannelWriteResult(ChannelWriteStatus.Invalid, Error: "The kind must be webhook, slack, teams or telegram.");
        }

        var subscriber = await subscribers.GetAsync(subscriberId, cancellationToken);
        if (subscriber is null)
        {
            return new ChannelWriteResult(ChannelWriteStatus.NotFound);
        }

        target = target?.Trim() ?? "";
        if (await checker.CheckAsync(parsed, target, cancellationToken) is { } refused)
        {
            return new ChannelWriteResult(ChannelWriteStatus.Invalid, Error: refused);
        }

        if (subscriber.Channels.Count >= Subscriber.MaxChannels)
        {
            return new ChannelWriteResult(ChannelWriteStatus.Invalid, Error: $"A subscriber has at most {Subscriber.MaxChannels} channels: remove one first.");
        }

        if (subscriber.Channels.Any(c => c.Kind == parsed && c.Target == target))
        {
            return new ChannelWriteResult(ChannelWriteStatus.Invalid, Error: "This subscriber already has this channel.");
        }

        var channel = new Channel
        {
            Id = Channel.NewId(),
            Kind = parsed,
            Target = target,
            Secret = parsed == ChannelKind.Webhook ? Channel.NewSecret() : null,
            AddedAt = time.GetUtcNow(),
        };
        // A webhook's receiver needs the secret before it can accept anything signed with it: it is tested when the
        // caller verifies it, after setting the secret up. The others are tested at once.
        if (parsed != ChannelKind.Webhook)
        {
            channel = await TestedAsync(subscriber, channel, cancellationToken);
        }

        var full = false;
        var saved = await subscribers.UpdateAsync(subscriberId, s => (full = s.Channels.Count >= Subscriber.MaxChannels) ? s : s with { Channels = [.. s.Channels, channel] }, cancellationToken);
        if (saved is null)
        {
            return new ChannelWriteResult(ChannelWriteStatus.NotFound);
        }

        return full
            ? new ChannelWriteResult(ChannelWriteStatus.Invalid, Error: $"A subscriber has at most {Subscriber.MaxChannels} channels: remove one first.")
            : new ChannelWriteResult(ChannelWriteStatus.Saved, channel, channel.LastError, channel.Secret);
    }

    /// <summary>
    /// Adds the channel the subscriber named at sign-up, now that their address is confirmed (the same checks and test
    /// as any channel); null when they named none. The request is cleared either way.
    /// </summary>
    public async Task<ChannelWriteResult?> AddPendingAsync(string subscriberId, CancellationToken cancellationToken)
    {
        PendingChannel? pending = null;
        await subscribers.UpdateAsync(subscriberId, s => (pending = s.PendingChannel) is null ? s : s with { PendingChannel = null }, cancellationToken);
        return pending is null ? null : await AddAsync(subscriberId, pending.Kind.ToString(), pending.Target, cancellationToken);
    }

    /// <summary>Sends the test message again: the channel becomes active when it is accepted, inactive when refused.</summary>
    public async Task<ChannelWriteResult> VerifyAsync(string subscriberId, string channelId, CancellationToken cancellationToken)
    {
        var subscriber = await subscribers.GetAsync(subscriberId, cancellationToken);
        if (subscriber?.Channels.FirstOrDefault(c => c.Id == channelId) is not { } channel)
        {
            return new ChannelWriteResult(ChannelWriteStatus.NotFound);
        }

        var tested = await TestedAsync(subscriber, channel, cancellationToken);
        var saved = await subscribers.UpdateAsync(subscriberId, s => s with
        {
            Channels = [.. s.Channels.Select(c => c.Id == channelId ? c with { Active = tested.Active, VerifiedAt = tested.VerifiedAt, LastError = tested.LastError } : c)],
        }, cancellationToken);
        return saved?.Channels.FirstOrDefault(c => c.Id == channelId) is { } now
            ? new ChannelWriteResult(ChannelWriteStatus.Saved, now, now.LastError)
            : new ChannelWriteResult(ChannelWriteStatus.NotFound);
    }

    public async Task<ChannelWriteResult> RemoveAsync(string subscriberId, string channelId, CancellationToken cancellationToken)
    {
        var found = false;
        var saved = await subscribers.UpdateAsync(subscriberId, s => (found = s.Channels.Any(c => c.Id == channelId)) ? s with { Channels = [.. s.Channels.Where(c => c.Id != channelId)] } : s, cancellationToken);
        return saved is not null && found ? new ChannelWriteResult(ChannelWriteStatus.Removed) : new ChannelWriteResult(ChannelWriteStatus.NotFound);
    }

    private async Task<Channel> TestedAsync(Subscriber subscriber, Channel channel, CancellationToken cancellationToken)
    {
        var result = await dispatcher.TestAsync(subscriber, channel, cancellationToken);
        return result.Status == SendStatus.Accepted
            ? channel with { Active = true, VerifiedAt = time.GetUtcNow(), LastError = null }
            : channel with { Active = false, LastError = (result.Status == SendStatus.Retry ? "The receiver did not accept the test message yet (" + result.Error + "); verify again later." : result.Error) };
    }
}
