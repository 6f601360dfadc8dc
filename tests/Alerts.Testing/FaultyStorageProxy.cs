using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alerts.Testing;

/// <summary>
/// A loopback HTTP proxy in front of Azurite's blob, queue and table endpoints that injects the failures a storage
/// account really has, at a seeded random <c>rate</c>: 503 Server Busy and 500 without touching storage, latency, and
/// the worst kind, a request that is carried out but whose answer is lost (the client sees 500 and retries a write
/// that already happened). Requests are forwarded unchanged (Shared Key signatures stay valid), so the real SDK and
/// the real emulator do the rest.
/// </summary>
public sealed partial class FaultyStorageProxy : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None });
    private readonly Random _random;
    private readonly double _rate;

    private FaultyStorageProxy(int seed, double rate)
    {
        _random = new Random(seed);
        _rate = rate;
    }

    /// <summary>The connection string that goes through the proxy.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>While false, requests pass untouched (set up and check without faults).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests seen, and faults injected by kind.</summary>
    public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>The requests seen, as method and path (for a failing count to say what it counted).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>
    /// Faults planned for particular requests, whatever the rate: the first request whose method and path contain the
    /// text gets the fault ("503", "500", "latency" or "lost-answer"), once.
    /// </summary>
    public ConcurrentQueue<(string Request, string Fault)> Planned { get; } = new();

    public static async Task<FaultyStorageProxy> StartAsync(string azuriteConnectionString, int seed, double rate)
    {
        var proxy = new FaultyStorageProxy(seed, rate);
        var connection = azuriteConnectionString;
        foreach (Match endpoint in EndpointPattern().Matches(azuriteConnectionString))
        {
            var target = new Uri(endpoint.Groups["url"].Value);
            var (app, baseUrl) = await LoopbackServer.StartAsync(a => a.Run(context => proxy.ForwardAsync(context, target)));
            proxy._apps.Add(app);
            connection = connection.Replace(endpoint.Groups["url"].Value, baseUrl + target.AbsolutePath, StringComparison.Ordinal);
        }

        proxy.ConnectionString = connection;
        return proxy;
    }

    private string Fault()
    {
        double roll;
        lock (_random)
        {
            roll = _random.NextDouble();
        }

        if (!Enabled || roll >= _rate)
        {
            return "none";
        }

        var share = roll / _rate; // which fault, evenly over the four kinds
        return share < 0.35 ? "503" : share < 0.55 ? "500" : share < 0.8 ? "latency" : "lost-answer";
    }

    private async Task ForwardAsync(HttpContext context, Uri target)
    {
        var seen = context.Request.Method + " " + Uri.UnescapeDataString(context.Request.Path.Value ?? "");
        var fault = Planned.TryPeek(out var planned) && seen.Contains(planned.Request, StringComparison.Ordinal) && Planned.TryDequeue(out _) ? planned.Fault : Fault();
        Counts.AddOrUpdate(fault, 1, (_, n) => n + 1);
        Counts.AddOrUpdate("requests", 1, (_, n) => n + 1);
        Requests.Enqueue(seen);
        switch (fault)
        {
            case "503":
                await FailAsync(context, 503, "ServerBusy", "The server is busy.");
                return;
            case "500":
                await FailAsync(context, 500, "InternalError", "The server encountered an internal error.");
                return;
            case "latency":
                int wait;
                lock (_random)
                {
                    wait = _random.Next(20, 300);
                }

                await Task.Delay(wait);
                break;
            default:
                break;
        }

        var origin = new UriBuilder(target.Scheme, target.Host, target.Port).Uri;
        // The raw request target, as sent: a decoded path (':' for %3A in a row key) would no longer match its signature.
        var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(origin + rawTarget.TrimStart('/'), UriKind.Absolute));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        if (fault == "lost-answer")
        {
            await FailAsync(context, 500, "OperationTimedOut", "The operation could not be completed within the permitted time."); // carried out, answer lost
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body);
    }

    private static async Task FailAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _http.Dispose();
    }

    [GeneratedRegex(@"(?:Blob|Queue|Table)Endpoint=(?<url>http://[^;]+)")]
    private static partial Regex EndpointPattern();
}
