using Alerts.Core.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// A subscriber's delivery channels for admins: add (checked, then tested; the webhook's signing secret is shown in
/// this answer only), verify again, remove.
/// </summary>
public sealed class ChannelEndpoints(ChannelService channels, AdminAuthorization authorization)
{
    private const int MaxBodyBytes = 8 * 1024;

    /// <summary>POST: adds a channel <c>{"kind": "slack", "target": "https://hooks.slack.com/services/…"}</c>.</summary>
    public async Task<IActionResult> AddAsync(HttpRequest request, string subscriberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        var (body, problem) = await ApiJson.ReadAsync<ChannelBody>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await channels.AddAsync(subscriberId, body!.Kind, body.Target, cancellationToken);
        return result.Status switch
        {
            ChannelWriteStatus.Saved => Created(request, subscriberId, result),
            _ => Answer(result, subscriberId),
        };
    }

    /// <summary>DELETE removes the channel.</summary>
    public async Task<IActionResult> ItemAsync(HttpRequest request, string subscriberId, string channelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return authorization.Check(request).Failure ?? Answer(await channels.RemoveAsync(subscriberId, channelId, cancellationToken), subscriberId);
    }

    /// <summary>POST sends the test message again; the channel is active if it was accepted.</summary>
    public async Task<IActionResult> VerifyAsync(HttpRequest request, string subscriberId, string channelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return authorization.Check(request).Failure ?? Answer(await channels.VerifyAsync(subscriberId, channelId, cancellationToken), subscriberId);
    }

    private static IActionResult Answer(ChannelWriteResult result, string subscriberId) => result.Status switch
    {
        ChannelWriteStatus.Invalid => Problems.Result(400, "Invalid channel", result.Error, new Dictionary<string, string[]> { ["target"] = [result.Error ?? ""] }),
        ChannelWriteStatus.NotFound => Problems.Result(404, "No such subscriber or channel", $"Subscriber '{subscriberId}' has no such channel, or does not exist."),
        ChannelWriteStatus.Removed => new NoContentResult(),
        _ => ApiJson.Result(ChannelView.From(result.Channel!)),
    };

    private static JsonResult Created(HttpRequest request, string subscriberId, ChannelWriteResult result)
    {
        request.HttpContext.Response.Headers.Location = "/api/admin/subscribers/" + Uri.EscapeDataString(subscriberId) + "/channels/" + result.Channel!.Id;
        return ApiJson.Result(ChannelView.From(result.Channel) with { Secret = result.Secret }, 201);
    }

    private sealed record ChannelBody(string? Kind, string? Target);
}

/// <summary>A channel as the API shows it: Slack and Teams URLs are credentials, so only their host is shown; the secret never, except once when added.</summary>
public sealed record ChannelView(string Id, string Kind, string Target, bool Active, DateTimeOffset AddedAt, DateTimeOffset? VerifiedAt, string? LastError)
{
    /// <summary>The webhook's signing secret, in the answer that added it only.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static ChannelView From(Channel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new(channel.Id, channel.Kind.ToString().ToLowerInvariant(), channel.RedactedTarget, channel.Active, channel.AddedAt, channel.VerifiedAt, channel.LastError);
    }
}
