using System.Text.Json;

namespace Alerts.Core.Feeds;

/// <summary>Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).</summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 };

    public static ParsedFeed Read(string json, Uri? feedUrl)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FeedParseException($"Malformed JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out var version)
                || version.ValueKind != JsonValueKind.String
                || !(version.GetString() ?? "").Contains("jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
            {
                throw new FeedParseException("Not a feed: the JSON document has no JSON Feed version.");
            }

            var language = String(root, "language");
            var items = new List<FeedItem>();
            if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        items.Add(ReadItem(item, feedUrl, language));
                    }
                }
            }

            return new ParsedFeed(
                FeedFormat.JsonFeed,
                FeedParser.SingleLine(HtmlText.FoldWhitespace(String(root, "title") ?? "")),
                FeedParser.ResolveLink(feedUrl, String(root, "home_page_url")),
                language,
                null,
                items);
        }
    }

    private static FeedItem ReadItem(JsonElement item, Uri? feedUrl, string? feedLanguage)
    {
        var html = String(item, "content_html");
        var text = String(item, "content_text");
        var summaryText = String(item, "summary");
        var content = text is not null ? HtmlText.FoldWhitespace(text) : HtmlText.ToText(html);
        var id = item.TryGetProperty("id", out var idElement)
            ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            }
            : null;
        return new FeedItem
        {
            Guid = string.IsNullOrWhiteSpace(id) ? null : id.Trim(),
            Url = FeedParser.ResolveLink(feedUrl, String(item, "url") ?? String(item, "external_url")),
            Title = FeedParser.SingleLine(HtmlText.ToText(String(item, "title"))),
            Summary = summaryText is not null ? HtmlText.FoldWhitespace(summaryText) : content.Length > 500 ? content[..500] : content,
            Content = content,
            ContentHtml = html,
            Published = FeedDates.Parse(String(item, "date_published")) ?? FeedDates.Parse(String(item, "date_modified")),
            Language = String(item, "language") ?? feedLanguage,
            Author = Author(item),
        };
    }

    private static string? Author(JsonElement item)
    {
        if (item.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in authors.EnumerateArray())
            {
                if (author.ValueKind == JsonValueKind.Object && String(author, "name") is { } name)
                {
                    return name;
                }
            }
        }

        return item.TryGetProperty("author", out var single) && single.ValueKind == JsonValueKind.Object ? String(single, "name") : null;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}
