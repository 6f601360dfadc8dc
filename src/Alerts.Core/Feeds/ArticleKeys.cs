using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// Stable identity for feed items. The key comes from the GUID (global when it is a URI, otherwise scoped to its feed),
/// else the canonical link, else a hash of title and date (or text), or of the whole item when it has no title; the id is a short hash of the key, safe for storage keys.
/// </summary>
public static class ArticleKeys
{
    /// <summary>The stable key of <paramref name="item"/> read from feed <paramref name="feedId"/>.</summary>
    public static string KeyFor(string feedId, FeedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var guid = item.Guid?.Trim();
        if (!string.IsNullOrEmpty(guid))
        {
            if (UrlCanonicalizer.Canonicalize(guid) is { } guidUrl && (item.GuidIsPermaLink || LooksLikeUrl(guid)))
            {
                return "url:" + guidUrl;
            }

            return IsGlobalUri(guid) ? "guid:" + guid : "guid:" + feedId + ":" + guid;
        }

        if (UrlCanonicalizer.Canonicalize(item.Url) is { } url)
        {
            return "url:" + url;
        }

        var when = item.Published?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var title = item.Title.Trim();
        if (title.Length > 0)
        {
            // Title and date (or the start of the text) stay the same when a publisher corrects a typo in the body.
            var text = item.Summary.Length > 0 ? item.Summary : item.Content;
            return "hash:" + feedId + ":" + Hash(title + "\n" + (when ?? (text.Length > 200 ? text[..200] : text)))[..24];
        }

        // Nothing stable but the item itself: all of it, so that two different items never share a key.
        return "hash:" + feedId + ":" + Hash("\n" + when + "\n" + item.Summary + "\n" + item.Content + "\n" + item.ContentHtml)[..24];
    }

    /// <summary>The keys under which an item is recorded as seen: its own key, plus its canonical link when that differs.</summary>
    public static IReadOnlyList<string> AliasesFor(string key, string? url)
    {
        var canonical = UrlCanonicalizer.Canonicalize(url);
        return canonical is null || key == "url:" + canonical ? [key] : [key, "url:" + canonical];
    }

    /// <summary>Storage-safe id (32 lowercase hex characters) of a key.</summary>
    public static string IdFor(string key) => Hash(key)[..32];

    /// <summary>SHA-256 of the UTF-8 text, as 64 lowercase hex characters.</summary>
    public static string Hash(string value)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), digest);
        return Convert.ToHexStringLower(digest);
    }

    private static bool LooksLikeUrl(string guid) =>
        guid.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || guid.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static bool IsGlobalUri(string guid) =>
        guid.StartsWith("tag:", StringComparison.OrdinalIgnoreCase) || guid.StartsWith("urn:", StringComparison.OrdinalIgnoreCase);
}
