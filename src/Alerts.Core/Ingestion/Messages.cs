using System.Text.Json;
using System.Text.Json.Serialization;
using Alerts.Core.Feeds;

namespace Alerts.Core.Ingestion;

/// <summary>
/// A request to fetch one feed, on the <c>feed-fetch</c> queue; with <paramref name="Claimed"/> when the poller claimed a
/// healthy feed with validators, so that a 304 is recorded without reading the feed.
/// </summary>
public sealed record FeedFetchMessage(string FeedId, string Url, DateTimeOffset ScheduledAt, FeedFetchState? Claimed = null);

/// <summary>
/// What the poller knew of a healthy feed when it claimed it: the record's version after the claim, its validators, its
/// interval and counts. Enough to fetch it conditionally and to record a 304 in one conditional write (which fails, and
/// the fetch reads the feed as usual, when anything changed the record since the claim).
/// </summary>
public sealed record FeedFetchState(string Version, string? ETag, string? LastModified, TimeSpan PollInterval, DateTimeOffset NextDueAt, long FetchCount, long NotModifiedCount)
{
    /// <summary>The state of <paramref name="feed"/> claimed at <paramref name="version"/>; null unless it is healthy and has validators.</summary>
    public static FeedFetchState? Of(FeedRecord feed, string version, DateTimeOffset nextDueAt)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return feed is { LastError: null, ConsecutiveFailures: 0 } && (feed.ETag ?? feed.LastModified) is not null
            ? new FeedFetchState(version, feed.ETag, feed.LastModified, feed.PollInterval, nextDueAt, feed.FetchCount, feed.NotModifiedCount)
            : null;
    }

    /// <summary>The feed as far as this state knows it: the fields a 304 reads and changes, nothing else.</summary>
    public FeedRecord AsRecord(string id, string url) => new()
    {
        Id = id, Url = url, ETag = ETag, LastModified = LastModified, PollInterval = PollInterval, NextDueAt = NextDueAt,
        FetchCount = FetchCount, NotModifiedCount = NotModifiedCount, Version = Version,
    };
}

/// <summary>
/// A new article on the <c>articles</c> queue. Long content is cut so that the Base64-encoded message stays under the
/// queue's 64 KB limit (and the 48 KB the Functions extension allows); <see cref="ContentTruncated"/> then tells the
/// scorer to read the full text from the content store.
/// </summary>
public sealed record ArticleMessage
{
    public required string Id { get; init; }
    public required string FeedId { get; init; }
    public required string Key { get; init; }
    public string? Url { get; init; }
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Content { get; init; } = "";
    public bool ContentTruncated { get; init; }
    public DateTimeOffset? Published { get; init; }
    public string? Language { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset DiscoveredAt { get; init; }

    /// <summary>The JSON form used on queues (camelCase, as the Functions worker reads it case-insensitively).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Messages are never embedded in HTML; relaxed escaping keeps non-Latin text at its UTF-8 size.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Builds a message for <paramref name="article"/> whose JSON is at most <paramref name="maxJsonBytes"/> bytes.</summary>
    public static ArticleMessage From(Article article, DateTimeOffset discoveredAt, int maxJsonBytes = 32 * 1024)
    {
        ArgumentNullException.ThrowIfNull(article);
        var message = new ArticleMessage
        {
            Id = article.Id,
            FeedId = article.FeedId,
            Key = Cut(article.Key, 1024),
            Url = article.Url is { Length: > 2048 } ? null : article.Url,
            Title = Cut(article.Title, 1000),
            Summary = Cut(article.Summary, 4000),
            Content = article.Content,
            Published = article.Published,
            Language = article.Language,
            Author = article.Author is null ? null : Cut(article.Author, 200),
            DiscoveredAt = discoveredAt,
        };

        if (Size(message) <= maxJsonBytes)
        {
            return message;
        }

        // Escaping makes a character cost 1 to 12 bytes in JSON: find the longest prefix that fits by bisection.
        int low = 0, high = message.Content.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Size(message with { Content = Cut(message.Content, mid), ContentTruncated = true }) <= maxJsonBytes)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return message with { Content = Cut(message.Content, low), ContentTruncated = true };
    }

    private static int Size(ArticleMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, JsonOptions).Length;

    private static string Cut(string value, int maxChars)
    {
        if (value.Length <= maxChars)
        {
            return value;
        }

        // Do not split a surrogate pair.
        var end = maxChars > 0 && char.IsHighSurrogate(value[maxChars - 1]) ? maxChars - 1 : maxChars;
        return value[..end];
    }
}
