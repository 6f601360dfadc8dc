namespace Alerts.Core.Ingestion;

/// <summary>How a feed fetch ended.</summary>
public enum FetchStatus
{
    /// <summary>200 with a body that is within limits.</summary>
    Ok,

    /// <summary>304: the feed has not changed since the validators we sent.</summary>
    NotModified,

    /// <summary>Worth trying again later: timeouts, 5xx, 429, connection failures.</summary>
    TransientFailure,

    /// <summary>Will not fix itself soon: 404, 401/403, a refused address or scheme, a body over the cap, too many redirects.</summary>
    PermanentFailure,

    /// <summary>410: the publisher says the feed is gone for good.</summary>
    Gone,
}

/// <summary>What an <see cref="IFeedFetcher"/> learned from one conditional GET.</summary>
public sealed record FetchResult
{
    public required FetchStatus Status { get; init; }
    public int? HttpStatus { get; init; }
    public byte[]? Body { get; init; }
    public string? Charset { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>From Retry-After on 429 or 503.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>From Cache-Control: max-age.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>The address the body came from after redirects.</summary>
    public Uri? FinalUrl { get; init; }

    /// <summary>A one-line, secret-free explanation of a failure.</summary>
    public string? Error { get; init; }

    public static FetchResult Failure(FetchStatus status, string error, int? httpStatus = null, TimeSpan? retryAfter = null) =>
        new() { Status = status, Error = error, HttpStatus = httpStatus, RetryAfter = retryAfter };
}

/// <summary>Fetches a feed politely and safely. Implementations never throw for HTTP or network failures.</summary>
public interface IFeedFetcher
{
    Task<FetchResult> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken);
}
