using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alerts.Testing;

/// <summary>
/// A fake SendGrid v3 mail API on 127.0.0.1 (Kestrel, a free port) for the real SendGrid client: it checks the API key,
/// records every request body, answers 202 by default or as scripted (status, headers, delay), and "delivers" each
/// personalization of an accepted request the way SendGrid would (substitutions applied), so tests can count emails.
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    public const string ApiKey = "SG.test-key";
    private readonly ConcurrentQueue<FakeSendGridResponse> _script = new();
    private readonly ConcurrentQueue<SendGridRequest> _requests = new();
    private readonly ConcurrentQueue<DeliveredEmail> _delivered = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Keep request bodies and delivered emails for assertions (true); a benchmark only counts (false).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Requests received and personalizations accepted, counted even when not recorded.</summary>
    public int RequestCount => _requestCount;

    public int AcceptedPersonalizations => _acceptedPersonalizations;

    private int _requestCount;
    private int _acceptedPersonalizations;

    /// <summary>Every request received, in order, with the status it was answered.</summary>
    public IReadOnlyList<SendGridRequest> Requests => [.. _requests];

    /// <summary>Emails delivered: one per personalization of each request answered 202.</summary>
    public IReadOnlyList<DeliveredEmail> Delivered => [.. _delivered];

    public static async Task<FakeSendGrid> StartAsync()
    {
        var fake = new FakeSendGrid();
        (fake._app, fake.BaseUrl) = await LoopbackServer.StartAsync(app => app.MapPost("/v3/mail/send", fake.HandleAsync));
        return fake;
    }

    /// <summary>The next requests get these answers, in order; after them, 202.</summary>
    public void Script(params FakeSendGridResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement.Clone();
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            _requests.Enqueue(new SendGridRequest(root, 401));
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("{\"errors\":[{\"message\":\"The provided authorization grant is invalid, expired, or revoked\"}]}");
            return;
        }

        var scripted = _script.TryDequeue(out var next) ? next : new FakeSendGridResponse(202);
        Interlocked.Increment(ref _requestCount);
        if (scripted.Status == 202)
        {
            Interlocked.Add(ref _acceptedPersonalizations, root.GetProperty("personalizations").GetArrayLength());
        }

        if (Record)
        {
            _requests.Enqueue(new SendGridRequest(root, scripted.Status) { ReceivedAt = TimeProvider.System.GetUtcNow() });
            if (scripted.Status == 202)
            {
                Deliver(root);
            }
        }

        if (scripted.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        context.Response.StatusCode = scripted.Status;
        foreach (var (name, value) in scripted.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (scripted.Status != 202)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"errors\":[{\"message\":\"scripted " + scripted.Status + "\"}]}");
        }
    }

    private void Deliver(JsonElement request)
    {
        var subject = request.GetProperty("subject").GetString() ?? "";
        var contents = request.GetProperty("content").EnumerateArray().ToDictionary(c => c.GetProperty("type").GetString()!, c => c.GetProperty("value").GetString()!);
        foreach (var personalization in request.GetProperty("personalizations").EnumerateArray())
        {
            var substitutions = Strings(personalization, "substitutions");
            string Apply(string text) => substitutions.Aggregate(text, (t, s) => t.Replace(s.Key, s.Value, StringComparison.Ordinal));
            foreach (var to in personalization.GetProperty("to").EnumerateArray())
            {
                _delivered.Enqueue(new DeliveredEmail(
                    to.GetProperty("email").GetString()!,
                    Apply(subject),
                    Apply(contents.GetValueOrDefault("text/html", "")),
                    Apply(contents.GetValueOrDefault("text/plain", "")),
                    Strings(personalization, "headers"),
                    Strings(request, "custom_args").Concat(Strings(personalization, "custom_args")).ToDictionary(p => p.Key, p => p.Value),
                    request.TryGetProperty("categories", out var categories) ? [.. categories.EnumerateArray().Select(c => c.GetString()!)] : []));
            }
        }
    }

    private static Dictionary<string, string> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : [];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>A scripted answer: status, headers (Retry-After, X-RateLimit-Reset) and a delay before answering.</summary>
public sealed record FakeSendGridResponse(int Status, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null);

/// <summary>A request as received, and the status it was answered.</summary>
public sealed record SendGridRequest(JsonElement Body, int Status)
{
    /// <summary>When the request arrived (real time), for latency measurements.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public int Personalizations => Body.GetProperty("personalizations").GetArrayLength();
}

/// <summary>One email as SendGrid would deliver it to one recipient.</summary>
public sealed record DeliveredEmail(string To, string Subject, string Html, string Text, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> CustomArgs, IReadOnlyList<string> Categories);
