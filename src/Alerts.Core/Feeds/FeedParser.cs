using System.Xml;

namespace Alerts.Core.Feeds;

/// <summary>
/// Detects a feed's format and reads it into a <see cref="ParsedFeed"/>: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0 and
/// JSON Feed 1.x. XML is read with DTDs ignored and no resolver, so nothing external is fetched and no entity expands.
/// </summary>
public static class FeedParser
{
    /// <summary>Parses raw bytes, decoding them with <see cref="FeedDecoder"/>.</summary>
    /// <param name="body">The (decompressed) document.</param>
    /// <param name="httpCharset">Charset from the Content-Type header, if any.</param>
    /// <param name="feedUrl">The address the feed was read from; relative links resolve against it.</param>
    /// <exception cref="FeedParseException">The document is not a feed this service can read.</exception>
    public static ParsedFeed Parse(ReadOnlySpan<byte> body, string? httpCharset = null, Uri? feedUrl = null) =>
        Parse(FeedDecoder.Decode(body, httpCharset), feedUrl);

    /// <summary>Parses an already decoded document.</summary>
    /// <exception cref="FeedParseException">The document is not a feed this service can read.</exception>
    public static ParsedFeed Parse(string document, Uri? feedUrl = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = FirstSignificant(document);
        if (start < 0)
        {
            throw new FeedParseException("The document is empty.");
        }

        if (document[start] is '{' or '[')
        {
            return JsonFeedReader.Read(document, feedUrl);
        }

        if (document[start] != '<')
        {
            throw new FeedParseException("The document is neither XML nor JSON.");
        }

        try
        {
            return XmlFeedReader.Read(XmlEntityRepair.Repair(document), feedUrl);
        }
        catch (XmlException ex)
        {
            throw new FeedParseException($"Malformed XML at line {ex.LineNumber}, column {ex.LinePosition}: {ex.Message}", ex);
        }
    }

    /// <summary>Binds the items of <paramref name="feed"/> to <paramref name="feedId"/> as articles.</summary>
    public static IReadOnlyList<Article> ToArticles(string feedId, ParsedFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var articles = new List<Article>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var key = ArticleKeys.KeyFor(feedId, item);
            articles.Add(new Article
            {
                Id = ArticleKeys.IdFor(key),
                FeedId = feedId,
                Key = key,
                Url = item.Url,
                Title = item.Title,
                Summary = item.Summary,
                Content = item.Content.Length > 0 ? item.Content : item.Summary,
                ContentHtml = item.ContentHtml,
                Published = item.Published,
                Language = item.Language ?? feed.Language,
                Author = item.Author,
            });
        }

        return articles;
    }

    private static int FirstSignificant(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsWhiteSpace(s[i]) && s[i] != '\uFEFF')
            {
                return i;
            }
        }

        return -1;
    }

    internal static Uri? Resolve(Uri? baseUri, string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return baseUri;
        }

        var trimmed = reference.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) && !absolute.IsFile)
        {
            return absolute;
        }

        if (baseUri is not null && Uri.TryCreate(baseUri, trimmed, out var resolved))
        {
            return resolved;
        }

        return null;
    }

    internal static string? ResolveLink(Uri? baseUri, string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var uri = Resolve(baseUri, reference);
        try
        {
            return uri is not null && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri.AbsoluteUri : null;
        }
        catch (UriFormatException)
        {
            return null; // a host that parses but is no valid internationalized name: no link
        }
    }

    internal static string SingleLine(string text) => text.Replace('\n', ' ');
}

internal static class XmlFeedReader
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string RdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";
    private const string XmlNs = "http://www.w3.org/XML/1998/namespace";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CheckCharacters = false,
    };

    public static ParsedFeed Read(string xml, Uri? feedUrl)
    {
        using var reader = XmlReader.Create(new StringReader(xml), Settings);
        reader.MoveToContent();
        var baseUri = XmlBase(reader, feedUrl);
        var lang = reader.GetAttribute("lang", XmlNs);
        return reader.LocalName switch
        {
            "rss" => ReadRss(reader, baseUri, FeedFormat.Rss),
            "RDF" when reader.NamespaceURI == RdfNs => ReadRss(reader, baseUri, FeedFormat.Rdf),
            "feed" => ReadAtom(reader, baseUri, lang),
            _ => throw new FeedParseException($"Not a feed: the root element is <{reader.Name}>."),
        };
    }

    private static Uri? XmlBase(XmlReader reader, Uri? current)
    {
        var value = reader.GetAttribute("base", XmlNs);
        return value is null ? current : FeedParser.Resolve(current, value);
    }

    private static ParsedFeed ReadRss(XmlReader reader, Uri? baseUri, FeedFormat format)
    {
        string title = "", site = "";
        string? language = null;
        TimeSpan? ttl = null;
        var items = new List<FeedItem>();
        var rootDepth = reader.Depth;
        if (reader.IsEmptyElement)
        {
            throw new FeedParseException("The feed has no channel.");
        }

        while (reader.Read() && reader.Depth > rootDepth)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "channel" when !reader.IsEmptyElement:
                    var channelBase = XmlBase(reader, baseUri);
                    foreach (var child in Children(reader))
                    {
                        switch (child)
                        {
                            case "item":
                                items.Add(ReadRssItem(reader, channelBase, format));
                                break;
                            case "title" when reader.NamespaceURI.Length == 0 || format == FeedFormat.Rdf:
                                title = FeedParser.SingleLine(HtmlText.ToText(ReadContent(reader)));
                                break;
                            case "link" when reader.NamespaceURI != AtomNs:
                                site = ReadContent(reader).Trim();
                                break;
                            case "language":
                                language = NullIfEmpty(ReadContent(reader));
                                break;
                            case "ttl" when int.TryParse(ReadContent(reader).Trim(), out var minutes) && minutes > 0:
                                ttl = TimeSpan.FromMinutes(minutes);
                                break;
                            default:
                                SkipElement(reader);
                                break;
                        }
                    }

                    break;
                case "item" when format == FeedFormat.Rdf:
                    items.Add(ReadRssItem(reader, baseUri, format));
                    break;
                default:
                    break;
            }
        }

        return new ParsedFeed(format, title, FeedParser.ResolveLink(baseUri, site), language, ttl, items);
    }

    private static FeedItem ReadRssItem(XmlReader reader, Uri? baseUri, FeedFormat format)
    {
        var itemBase = XmlBase(reader, baseUri);
        string? guid = reader.GetAttribute("about", RdfNs);
        var permaLink = guid is not null;
        string title = "", link = "", description = "", encoded = "";
        string? atomLink = null, pubDate = null, dcDate = null, author = null, language = null;
        foreach (var child in Children(reader))
        {
            var ns = reader.NamespaceURI;
            switch (child)
            {
                case "title" when ns.Length == 0 || format == FeedFormat.Rdf:
                    title = ReadContent(reader);
                    break;
                case "link" when ns == AtomNs:
                    var rel = reader.GetAttribute("rel");
                    if (rel is null or "alternate")
                    {
                        atomLink ??= reader.GetAttribute("href");
                    }

                    SkipElement(reader);
                    break;
                case "link":
                    link = ReadContent(reader).Trim();
                    break;
                case "guid":
                    permaLink = !string.Equals(reader.GetAttribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase);
                    guid = ReadContent(reader).Trim();
                    break;
                case "description" when ns.Length == 0 || format == FeedFormat.Rdf:
                    description = ReadContent(reader);
                    break;
                case "encoded" when ns == ContentNs:
                    encoded = ReadContent(reader);
                    break;
                case "pubDate":
                    pubDate = ReadContent(reader);
                    break;
                case "date" when ns == DcNs:
                    dcDate = ReadContent(reader);
                    break;
                case "creator" when ns == DcNs:
                case "author" when ns.Length == 0:
                    author ??= NullIfEmpty(HtmlText.ToText(ReadContent(reader)));
                    break;
                case "language" when ns == DcNs:
                    language = NullIfEmpty(ReadContent(reader));
                    break;
                default:
                    SkipElement(reader);
                    break;
            }
        }

        var html = encoded.Length > 0 ? encoded : description;
        var summary = HtmlText.ToText(description);
        return new FeedItem
        {
            Guid = NullIfEmpty(guid),
            GuidIsPermaLink = permaLink,
            Url = FeedParser.ResolveLink(itemBase, link.Length > 0 ? link : atomLink ?? (permaLink ? guid : null)),
            Title = FeedParser.SingleLine(HtmlText.ToText(title)),
            Summary = summary,
            Content = encoded.Length > 0 ? HtmlText.ToText(encoded) : summary,
            ContentHtml = NullIfEmpty(html),
            Published = FeedDates.Parse(pubDate) ?? FeedDates.Parse(dcDate),
            Language = language,
            Author = author,
        };
    }

    private static ParsedFeed ReadAtom(XmlReader reader, Uri? baseUri, string? language)
    {
        string title = "";
        string? site = null;
        var items = new List<FeedItem>();
        foreach (var child in Children(reader))
        {
            switch (child)
            {
                case "entry":
                    items.Add(ReadAtomEntry(reader, baseUri, language));
                    break;
                case "title":
                    title = FeedParser.SingleLine(ReadAtomText(reader));
                    break;
                case "link":
                    var rel = reader.GetAttribute("rel");
                    if (rel is null or "alternate")
                    {
                        site ??= FeedParser.ResolveLink(XmlBase(reader, baseUri), reader.GetAttribute("href"));
                    }

                    SkipElement(reader);
                    break;
                default:
                    SkipElement(reader);
                    break;
            }
        }

        return new ParsedFeed(FeedFormat.Atom, title, site, language, null, items);
    }

    private static FeedItem ReadAtomEntry(XmlReader reader, Uri? baseUri, string? feedLanguage)
    {
        var entryBase = XmlBase(reader, baseUri);
        var language = reader.GetAttribute("lang", XmlNs) ?? feedLanguage;
        string? id = null, link = null, published = null, updated = null, author = null, summaryHtml = null, contentHtml = null;
        var title = "";
        foreach (var child in Children(reader))
        {
            switch (child)
            {
                case "id":
                    id = NullIfEmpty(ReadContent(reader));
                    break;
                case "title":
                    title = ReadAtomText(reader);
                    break;
                case "link":
                    var rel = reader.GetAttribute("rel");
                    if (rel is null or "alternate")
                    {
                        link ??= FeedParser.ResolveLink(XmlBase(reader, entryBase), reader.GetAttribute("href"));
                    }

                    SkipElement(reader);
                    break;
                case "published":
                case "issued":
                    published = ReadContent(reader);
                    break;
                case "updated":
                case "modified":
                    updated = ReadContent(reader);
                    break;
                case "author":
                    author ??= ReadAtomPerson(reader);
                    break;
                case "summary":
                    summaryHtml = ReadAtomHtml(reader);
                    break;
                case "content":
                    contentHtml = ReadAtomHtml(reader);
                    break;
                default:
                    SkipElement(reader);
                    break;
            }
        }

        var summary = HtmlText.ToText(summaryHtml);
        var content = HtmlText.ToText(contentHtml);
        return new FeedItem
        {
            Guid = id?.Trim(),
            GuidIsPermaLink = false,
            Url = link,
            Title = FeedParser.SingleLine(title),
            Summary = summary.Length > 0 ? summary : Truncate(content, 500),
            Content = content.Length > 0 ? content : summary,
            ContentHtml = contentHtml ?? summaryHtml,
            Published = FeedDates.Parse(published) ?? FeedDates.Parse(updated),
            Language = language,
            Author = author,
        };
    }

    /// <summary>
    /// Yields the local name of each child element of the current element, with the reader on it. The caller reads or
    /// skips the child (leaving the reader on its end tag) before asking for the next one.
    /// </summary>
    private static IEnumerable<string> Children(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            yield break;
        }

        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1)
            {
                yield return reader.LocalName;
            }
        }
    }

    /// <summary>Atom text construct as plain text.</summary>
    private static string ReadAtomText(XmlReader reader)
    {
        var type = reader.GetAttribute("type");
        var raw = ReadContent(reader);
        return type is "html" or "xhtml" or "text/html" ? HtmlText.ToText(raw) : HtmlText.FoldWhitespace(raw);
    }

    /// <summary>Atom text construct as HTML (plain text is encoded so that it is HTML too).</summary>
    private static string ReadAtomHtml(XmlReader reader)
    {
        var type = reader.GetAttribute("type");
        var raw = ReadContent(reader);
        return type is null or "text" or "text/plain" ? System.Net.WebUtility.HtmlEncode(raw) : raw;
    }

    private static string? ReadAtomPerson(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }

        string? name = null;
        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "name")
            {
                name = NullIfEmpty(ReadContent(reader));
            }
        }

        return name;
    }

    /// <summary>
    /// Reads the content of the current element and leaves the reader on its end tag (or on the element when empty).
    /// Text comes back decoded; child elements (inline XHTML) come back as markup, with the text around them encoded.
    /// </summary>
    private static string ReadContent(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return "";
        }

        var depth = reader.Depth;
        string? single = null;
        System.Text.StringBuilder? sb = null;
        List<(bool Markup, string Text)>? parts = null;
        while (reader.Read())
        {
            if (reader.Depth <= depth)
            {
                break; // the end tag
            }

            switch (reader.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Whitespace:
                    if (parts is not null)
                    {
                        parts.Add((false, reader.Value));
                    }
                    else if (single is null)
                    {
                        single = reader.Value;
                    }
                    else
                    {
                        sb ??= new System.Text.StringBuilder(single);
                        sb.Append(reader.Value);
                    }

                    break;
                case XmlNodeType.Element:
                    parts ??= [(false, sb?.ToString() ?? single ?? "")];
                    parts.Add((true, StartTag(reader, reader.Depth - depth)));
                    break;
                case XmlNodeType.EndElement when parts is not null:
                    parts.Add((true, reader.Depth - depth <= MaxMarkupDepth ? "</" + reader.Name + ">" : ""));
                    break;
                default:
                    break;
            }
        }

        return parts is not null ? Join(parts) : sb?.ToString() ?? single ?? "";
    }

    /// <summary>
    /// Inline markup deeper than this keeps its text but loses its tags: real feeds nest a few levels, and rebuilding
    /// markup level by level keeps the work linear however deep a hostile document nests.
    /// </summary>
    private const int MaxMarkupDepth = 256;

    /// <summary>An element's start tag as markup (attributes encoded), written as the reader meets it; empty past the depth cap.</summary>
    private static string StartTag(XmlReader reader, int level)
    {
        if (level > MaxMarkupDepth)
        {
            return "";
        }

        var tag = new System.Text.StringBuilder("<").Append(reader.Name);
        var empty = reader.IsEmptyElement;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (!reader.Name.StartsWith("xmlns", StringComparison.Ordinal))
                {
                    tag.Append(' ').Append(reader.Name).Append("=\"").Append(System.Net.WebUtility.HtmlEncode(reader.Value)).Append('"');
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        return tag.Append(empty ? " />" : ">").ToString();
    }

    private static string Join(List<(bool Markup, string Text)> parts) =>
        string.Concat(parts.Select(p => p.Markup ? p.Text : System.Net.WebUtility.HtmlEncode(p.Text)));

    /// <summary>Skips the current element's subtree, leaving the reader on its end tag (so the caller's Read() moves on).</summary>
    private static void SkipElement(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
