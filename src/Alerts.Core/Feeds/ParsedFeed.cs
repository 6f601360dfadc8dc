namespace Alerts.Core.Feeds;

/// <summary>The feed formats the readers understand.</summary>
public enum FeedFormat
{
    Unknown,
    Rss,
    Rdf,
    Atom,
    JsonFeed,
}

/// <summary>A feed document after parsing: channel metadata and its items, before they become <see cref="Article"/>s.</summary>
public sealed record ParsedFeed(FeedFormat Format, string Title, string? SiteUrl, string? Language, TimeSpan? Ttl, IReadOnlyList<FeedItem> Items)
{
    /// <summary>
    /// What was wrong with the document and how it was read anyway (a malformed document read by the tolerant pass,
    /// characters XML does not allow, text in another encoding than declared); empty for a clean feed. Recorded on the
    /// feed's health so that a recovery is never a silent loss.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One item of a parsed feed, in normalized form but not yet bound to a feed id.</summary>
public sealed record FeedItem
{
    public string? Guid { get; init; }

    /// <summary>True when the GUID is documented (or shaped) as a permanent URL, so it identifies the item across feeds.</summary>
    public bool GuidIsPermaLink { get; init; }

    public string? Url { get; init; }
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Content { get; init; } = "";
    public string? ContentHtml { get; init; }
    public DateTimeOffset? Published { get; init; }
    public string? Language { get; init; }
    public string? Author { get; init; }
}

/// <summary>A feed that could not be read: malformed XML or JSON, an unknown format, or an unsupported encoding.</summary>
public sealed class FeedParseException(string message, Exception? inner = null) : Exception(message, inner);
