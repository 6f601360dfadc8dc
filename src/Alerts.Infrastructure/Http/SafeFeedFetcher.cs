using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Alerts.Core.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Http;

/// <summary>
/// Polite, safe feed fetching: conditional GET, gzip/deflate/brotli, a body cap counted after decompression, one
/// deadline over the whole exchange (started once the host has a free connection, see <see cref="HostGates"/>), redirects followed by hand (at most <see cref="FetcherOptions.MaxRedirects"/>,
/// each hop checked), http and https only, and connections only to public addresses (<see cref="SafeConnector"/>).
/// </summary>
public sealed partial class SafeFeedFetcher(HttpClient client, IOptions<FetcherOptions> options, TimeProvider time, ILogger<SafeFeedFetcher> logger, HostGates? gates = null) : IFeedFetcher
{
    private readonly HostGates _gates = gates ?? new HostGates();

    private const string Accept = "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

    public async Task<FetchResult> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = options.Value;

        // The deadline covers the exchange, not the wait for a turn at a busy host.
        using var turn = await _gates.EnterAsync(url, cancellationToken);
        using var deadline = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (CheckDestination(current, settings.AllowLoopback) is { } refusal)
                {
                    LogRefused(logger, current.Host, refusal);
                    return FetchResult.Failure(FetchStatus.PermanentFailure, refusal);
                }

                visited.Add(current.AbsoluteUri);
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("User-Agent", settings.UserAgent);
                request.Headers.TryAddWithoutValidation("Accept", Accept);
                if (!string.IsNullOrEmpty(etag))
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                if (!string.IsNullOrEmpty(lastModified))
                {
                    request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (visited.Contains(next.AbsoluteUri))
                    {
                        return FetchResult.Failure(FetchStatus.PermanentFailure, $"Redirect loop at {Describe(next)}.", status);
                    }

                    if (hop >= settings.MaxRedirects)
                    {
                        return FetchResult.Failure(FetchStatus.PermanentFailure, $"More than {settings.MaxRedirects} redirects.", status);
                    }

                    current = next;
                    continue;
                }

                return await ReadResponseAsync(response, current, settings, linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failure(FetchStatus.TransientFailure, $"Timed out after {settings.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex) when (FindBlocked(ex) is { } blocked)
        {
            LogRefused(logger, current.Host, blocked.Message);
            return FetchResult.Failure(FetchStatus.PermanentFailure, "Refused: " + blocked.Message);
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failure(FetchStatus.TransientFailure, "Network error: " + ex.Message);
        }
        catch (InvalidDataException ex)
        {
            return FetchResult.Failure(FetchStatus.PermanentFailure, "Corrupt compressed body: " + ex.Message);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failure(FetchStatus.TransientFailure, "Connection broken: " + ex.Message);
        }
    }

    private async Task<FetchResult> ReadResponseAsync(HttpResponseMessage response, Uri finalUrl, FetcherOptions settings, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        var etag = response.Headers.ETag?.ToString();
        var lastModified = response.Content.Headers.LastModified?.ToString("R");
        var maxAge = response.Headers.CacheControl?.MaxAge;
        switch (status)
        {
            case 304:
                // No body is read or parsed.
                return new FetchResult { Status = FetchStatus.NotModified, HttpStatus = status, ETag = etag, LastModified = lastModified, MaxAge = maxAge, FinalUrl = finalUrl };
            case 429 or 503:
                return FetchResult.Failure(FetchStatus.TransientFailure, $"HTTP {status} {response.ReasonPhrase}.", status, RetryAfter(response.Headers.RetryAfter));
            case 410:
                return FetchResult.Failure(FetchStatus.Gone, "HTTP 410 Gone: the publisher removed this feed.", status);
            case 408 or >= 500:
                return FetchResult.Failure(FetchStatus.TransientFailure, $"HTTP {status} {response.ReasonPhrase}.", status);
            case < 200 or >= 300:
                return FetchResult.Failure(FetchStatus.PermanentFailure, $"HTTP {status} {response.ReasonPhrase}.", status);
        }

        if (response.Content.Headers.ContentLength > settings.MaxBodyBytes && response.Content.Headers.ContentEncoding.Count == 0)
        {
            return TooLarge(settings, status);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(token);
        var body = await ReadCappedAsync(stream, settings.MaxBodyBytes, token);
        if (body is null)
        {
            return TooLarge(settings, status);
        }

        return new FetchResult
        {
            Status = FetchStatus.Ok,
            HttpStatus = status,
            Body = body,
            Charset = response.Content.Headers.ContentType?.CharSet,
            ETag = etag,
            LastModified = lastModified,
            MaxAge = maxAge,
            FinalUrl = finalUrl,
        };
    }

    /// <summary>Reads at most <paramref name="cap"/> bytes; null if the stream holds more.</summary>
    internal static async Task<byte[]?> ReadCappedAsync(Stream stream, long cap, CancellationToken token)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, token)) > 0)
            {
                if (buffer.Length + read > cap)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static FetchResult TooLarge(FetcherOptions settings, int status) =>
        FetchResult.Failure(FetchStatus.PermanentFailure, $"The feed is larger than {settings.MaxBodyBytes / (1024 * 1024.0):0.#} MB.", status);

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Checks what can be checked before connecting: the scheme, and the host when it is an address literal.</summary>
    internal static string? CheckDestination(Uri uri, bool allowLoopback)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"Only http and https feeds are allowed, not '{(uri.IsAbsoluteUri ? uri.Scheme : "relative")}'.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Feed URLs may not carry credentials.";
        }

        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal) && !AddressPolicy.IsAllowed(literal, allowLoopback))
        {
            return $"The address {literal} is not one feeds may use.";
        }

        return null;
    }

    private static BlockedDestinationException? FindBlocked(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is BlockedDestinationException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    private static string Describe(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to fetch from {Host}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string host, string reason);
}
