using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Alerts.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>
/// A telemetry sink on 127.0.0.1 for both exporters the app uses: OTLP over HTTP (<c>/v1/traces</c>, <c>/v1/metrics</c>,
/// <c>/v1/logs</c>, protobuf) and Application Insights ingestion (<c>/v2.1/track</c>, gzipped JSON lines). It records
/// every body (decompressed) so that tests can look for the names the app emits.
/// </summary>
public sealed class TelemetryReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>A connection string that sends Application Insights telemetry here.</summary>
    public string ApplicationInsightsConnectionString => $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={BaseUrl}/";

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var receiver = new TelemetryReceiver();
        (receiver._app, receiver.BaseUrl) = await LoopbackServer.StartAsync(app => app.Run(receiver.HandleAsync), maxRequestBodyBytes: 64 * 1024 * 1024);
        return receiver;
    }

    /// <summary>True when a body posted to a path starting with <paramref name="pathPrefix"/> contains <paramref name="text"/>.</summary>
    public bool Saw(string pathPrefix, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _received.Any(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal) && r.Body.AsSpan().IndexOf(needle) >= 0);
    }

    public IReadOnlyList<string> Paths => [.. _received.Select(r => r.Path).Distinct()];

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        Stream source = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            source = new GZipStream(source, CompressionMode.Decompress);
        }

        await source.CopyToAsync(body);
        _received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
        if (context.Request.Path.StartsWithSegments("/v2.1/track"))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"itemsReceived\":0,\"itemsAccepted\":0,\"errors\":[]}");
            return;
        }

        context.Response.ContentType = "application/x-protobuf";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
