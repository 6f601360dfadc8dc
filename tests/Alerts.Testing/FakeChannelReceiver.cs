using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alerts.Testing;

/// <summary>
/// The receivers of every channel on one loopback server, each checking what the real one would check: a generic
/// webhook (<c>/hooks/{name}</c>) verifies the HMAC signature with the secret registered for it; Slack
/// (<c>/services/{…}</c>) wants blocks with text objects and answers "ok"; Teams (<c>/workflows/{…}</c>) wants an
/// Adaptive Card attachment and answers 202; Telegram (<c>/bot{token}/sendMessage</c>) checks the token and the
/// chat and answers <c>{"ok":true,…}</c>. Answers can be scripted per path (status, headers, body, delay).
/// </summary>
public sealed class FakeChannelReceiver : IAsyncDisposable
{
    public const string TelegramToken = "123456:TEST-token-for-the-fake-bot-api";
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeChannelResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ChannelRequest> _requests = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ChannelRequest> Requests => [.. _requests];

    /// <summary>Requests answered 2xx (what the channel's users saw), optionally only those on <paramref name="path"/>.</summary>
    public IReadOnlyList<ChannelRequest> Delivered(string? path = null) => [.. _requests.Where(r => r.Status is >= 200 and < 300 && (path is null || r.Path == path))];

    public static async Task<FakeChannelReceiver> StartAsync()
    {
        var fake = new FakeChannelReceiver();
        (fake._app, fake.BaseUrl) = await LoopbackServer.StartAsync(app => app.MapPost("/{**path}", fake.HandleAsync));
        return fake;
    }

    public string WebhookUrl(string name) => BaseUrl + "/hooks/" + name;

    public string SlackUrl(string name) => BaseUrl + "/services/T000/B000/" + name;

    public string TeamsUrl(string name) => BaseUrl + "/workflows/" + name + "/triggers/manual/paths/invoke";

    /// <summary>The secret the webhook at <paramref name="url"/> verifies signatures with.</summary>
    public void Secret(string url, string secret) => _secrets[new Uri(url).AbsolutePath] = secret;

    /// <summary>The next requests to <paramref name="url"/> get these answers, in order; after them, success.</summary>
    public void Script(string url, params FakeChannelResponse[] responses)
    {
        var queue = _scripts.GetOrAdd(new Uri(url).AbsolutePath, _ => new ConcurrentQueue<FakeChannelResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }
    }

    /// <summary>The Telegram sendMessage path, to script its answers.</summary>
    public string TelegramUrl => BaseUrl + "/bot" + TelegramToken + "/sendMessage";

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        JsonElement? json = null;
        try
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (status, body, problem) = Check(path, json, headers, text);
        var scripted = _scripts.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : null;
        if (scripted is not null && problem is null)
        {
            status = scripted.Status;
            body = scripted.Body ?? body;
            foreach (var (name, value) in scripted.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
        }

        _requests.Enqueue(new ChannelRequest(path, headers, text, json, status, problem) { ReceivedAt = TimeProvider.System.GetUtcNow() });
        if (scripted?.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        context.Response.StatusCode = status;
        if (body.Length > 0 && status != 204)
        {
            context.Response.ContentType = body.StartsWith('{') ? "application/json" : "text/plain";
            await context.Response.WriteAsync(body, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>What the real receiver would answer to a well-formed or malformed request.</summary>
    private (int Status, string Body, string? Problem) Check(string path, JsonElement? json, Dictionary<string, string> headers, string text)
    {
        if (json is not { ValueKind: JsonValueKind.Object } root)
        {
            return (400, "invalid_payload", "not a JSON object");
        }

        if (path.StartsWith("/hooks/", StringComparison.Ordinal))
        {
            if (!_secrets.TryGetValue(path, out var secret))
            {
                return (404, "no such hook", "no secret registered");
            }

            var timestamp = headers.GetValueOrDefault("X-Alerts-Timestamp") ?? "";
            var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + text)));
            var given = headers.GetValueOrDefault("X-Alerts-Signature") ?? "";
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given)))
            {
                return (401, "bad signature", "signature does not verify");
            }

            return (204, "", null);
        }

        if (path.StartsWith("/services/", StringComparison.Ordinal))
        {
            return root.TryGetProperty("blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array && root.TryGetProperty("text", out _)
                ? (200, "ok", null)
                : (400, "invalid_blocks", "no blocks");
        }

        if (path.StartsWith("/workflows/", StringComparison.Ordinal))
        {
            return root.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array && attachments.GetArrayLength() == 1
                && attachments[0].GetProperty("contentType").GetString() == "application/vnd.microsoft.card.adaptive"
                && attachments[0].GetProperty("content").GetProperty("type").GetString() == "AdaptiveCard"
                ? (202, "", null)
                : (400, "{\"error\":{\"code\":\"InvalidRequestContent\"}}", "no adaptive card");
        }

        if (path.StartsWith("/bot", StringComparison.Ordinal) && path.EndsWith("/sendMessage", StringComparison.Ordinal))
        {
            if (path != "/bot" + TelegramToken + "/sendMessage")
            {
                return (401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}", "bad token");
            }

            if (!root.TryGetProperty("chat_id", out var chat) || !root.TryGetProperty("text", out _))
            {
                return (400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat_id and text are required\"}", "no chat or text");
            }

            var id = chat.ValueKind == JsonValueKind.Number ? chat.GetInt64().ToString(CultureInfo.InvariantCulture) : chat.GetString();
            return (200, "{\"ok\":true,\"result\":{\"message_id\":1,\"chat\":{\"id\":\"" + id + "\"}}}", null);
        }

        return (404, "not found", "unknown path");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>A scripted answer: status, optional body and headers, and a delay before answering.</summary>
public sealed record FakeChannelResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null);

/// <summary>One request a fake receiver got: path, headers, raw body, parsed JSON, the status it answered and why it refused, if it did.</summary>
public sealed record ChannelRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, JsonElement? Json, int Status, string? Problem)
{
    public DateTimeOffset ReceivedAt { get; init; }
}
