using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Alerts.Testing;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that serves feeds the way publishers do: with ETag and
/// Last-Modified and 304s, and on demand status codes, Retry-After, delays, redirects, gzip, oversized bodies and
/// decompression bombs. It records every request.
/// </summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Requests received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FeedServer> StartAsync()
    {
        var server = new FeedServer();
        (server._app, var address) = await LoopbackServer.StartAsync(app => app.Run(server.HandleAsync), maxConnections: 2048);
        server.BaseUri = new Uri(address + "/");
        return server;
    }

    public Uri Url(string path) => new(BaseUri, path.TrimStart('/'));

    public int CountRequests(string path) => _requests.Count(r => r.Path == "/" + path.TrimStart('/'));

    /// <summary>Serves <paramref name="body"/> with validators; answers 304 to a matching If-None-Match or If-Modified-Since.</summary>
    public void Feed(string path, string body, string contentType = "application/rss+xml; charset=utf-8", string? etag = "\"v1\"",
        DateTimeOffset? lastModified = null, string? cacheControl = null, TimeSpan? delay = null, string? encoding = null) =>
        FeedBytes(path, Encoding.UTF8.GetBytes(body), contentType, etag, lastModified, cacheControl, delay, encoding);

    /// <remarks><paramref name="encoding"/> forces gzip, deflate, br or identity; by default the client's preference is used.</remarks>
    public void FeedBytes(string path, byte[] body, string contentType, string? etag = "\"v1\"", DateTimeOffset? lastModified = null,
        string? cacheControl = null, TimeSpan? delay = null, string? encoding = null) =>
        Route(path, async ctx =>
        {
            if (delay is { } wait)
            {
                await Task.Delay(wait, ctx.RequestAborted);
            }

            if (etag is not null)
            {
                ctx.Response.Headers.ETag = etag;
            }

            if (lastModified is { } modified)
            {
                ctx.Response.Headers.LastModified = modified.ToString("R");
            }

            if (cacheControl is not null)
            {
                ctx.Response.Headers.CacheControl = cacheControl;
            }

            var ifNoneMatch = ctx.Request.Headers.IfNoneMatch.ToString();
            var ifModifiedSince = ctx.Request.Headers.IfModifiedSince.ToString();
            if ((etag is not null && ifNoneMatch == etag)
                || (etag is null && lastModified is { } lm && DateTimeOffset.TryParse(ifModifiedSince, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var since) && lm <= since))
            {
                ctx.Response.StatusCode = 304;
                return;
            }

            ctx.Response.ContentType = contentType;
            await WriteEncodedAsync(ctx, body, encoding);
        });

    /// <summary>Answers with a status code, optionally with Retry-After (seconds).</summary>
    public void Status(string path, int status, int? retryAfterSeconds = null, string? body = null) =>
        Route(path, async ctx =>
        {
            ctx.Response.StatusCode = status;
            if (retryAfterSeconds is { } seconds)
            {
                ctx.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (body is not null)
            {
                await ctx.Response.WriteAsync(body);
            }
        });

    public void Redirect(string path, string location, int status = 302) =>
        Route(path, ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.Headers.Location = location;
            return Task.CompletedTask;
        });

    /// <summary>Streams <paramref name="bytes"/> bytes of feed-looking data without Content-Length.</summary>
    public void Oversized(string path, long bytes) =>
        Route(path, async ctx =>
        {
            ctx.Response.ContentType = "application/rss+xml";
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            await ctx.Response.Body.WriteAsync("<rss><channel><title>"u8.ToArray(), ctx.RequestAborted);
            for (long sent = 0; sent < bytes && !ctx.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
            }
        });

    /// <summary>A gzip body that inflates to <paramref name="inflatedBytes"/> bytes of zeros (a decompression bomb).</summary>
    public void GzipBomb(string path, long inflatedBytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < inflatedBytes; written += zeros.Length)
            {
                gzip.Write(zeros);
            }
        }

        var payload = compressed.ToArray();
        Route(path, async ctx =>
        {
            ctx.Response.ContentType = "application/rss+xml";
            ctx.Response.Headers.ContentEncoding = "gzip";
            ctx.Response.ContentLength = payload.Length;
            await ctx.Response.Body.WriteAsync(payload, ctx.RequestAborted);
        });
    }

    /// <summary>Sends the first bytes at once, then stalls: a body that never completes within a deadline.</summary>
    public void SlowBody(string path, TimeSpan stall) =>
        Route(path, async ctx =>
        {
            ctx.Response.ContentType = "application/rss+xml";
            await ctx.Response.Body.WriteAsync("<rss><channel>"u8.ToArray(), ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await Task.Delay(stall, ctx.RequestAborted);
        });

    public void Route(string path, Func<HttpContext, Task> handler) => _routes["/" + path.TrimStart('/')] = handler;

    private async Task HandleAsync(HttpContext ctx)
    {
        _requests.Enqueue(new RecordedRequest(
            ctx.Request.Path.Value ?? "",
            ctx.Request.Headers.UserAgent.ToString(),
            ctx.Request.Headers.IfNoneMatch.ToString(),
            ctx.Request.Headers.IfModifiedSince.ToString(),
            ctx.Request.Headers.AcceptEncoding.ToString()));
        if (_routes.TryGetValue(ctx.Request.Path.Value ?? "", out var handler))
        {
            try
            {
                await handler(ctx);
            }
            catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
            {
                // the client gave up, as it should
            }

            return;
        }

        ctx.Response.StatusCode = 404;
    }

    private static async Task WriteEncodedAsync(HttpContext ctx, byte[] body, string? encoding)
    {
        var accept = encoding ?? ctx.Request.Headers.AcceptEncoding.ToString();
        if (accept.Contains("deflate", StringComparison.Ordinal) && encoding is not null)
        {
            ctx.Response.Headers.ContentEncoding = "deflate";
            await using var deflate = new ZLibStream(ctx.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await deflate.WriteAsync(body, ctx.RequestAborted);
        }
        else if (accept.Contains("br", StringComparison.Ordinal))
        {
            ctx.Response.Headers.ContentEncoding = "br";
            await using var brotli = new BrotliStream(ctx.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await brotli.WriteAsync(body, ctx.RequestAborted);
        }
        else if (accept.Contains("gzip", StringComparison.Ordinal))
        {
            ctx.Response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(ctx.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(body, ctx.RequestAborted);
        }
        else
        {
            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
        }
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

/// <summary>What the feed server saw of one request.</summary>
public sealed record RecordedRequest(string Path, string UserAgent, string IfNoneMatch, string IfModifiedSince, string AcceptEncoding);
