namespace Alerts.Core.Feeds;

/// <summary>
/// One news item as the service sees it, whatever the feed format it came from.
/// Text fields are plain text; the original HTML is kept apart in <see cref="ContentHtml"/>.
/// </summary>
public sealed record Article
{
    /// <summary>Stable, storage-safe identifier derived from <see cref="Key"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The feed this item was read from.</summary>
    public required string FeedId { get; init; }

    /// <summary>
    /// The stable article key: from the GUID, else the canonical link, else a hash of title and date.
    /// See <see cref="ArticleKeys"/>.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>Absolute link to the article, resolved against xml:base or the feed URL; null when the item has none.</summary>
    public string? Url { get; init; }

    public string Title { get; init; } = "";

    /// <summary>Short description as plain text.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Full content as plain text, or the summary when the feed carries no separate content.</summary>
    public string Content { get; init; } = "";

    /// <summary>The item's original HTML (content or description), kept apart from the text and never rendered raw.</summary>
    public string? ContentHtml { get; init; }

    public DateTimeOffset? Published { get; init; }

    /// <summary>Language as declared by the item or its feed (e.g. "en", "fr-FR"), when declared.</summary>
    public string? Language { get; init; }

    public string? Author { get; init; }
}
