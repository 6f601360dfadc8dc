using System.Xml;

namespace Alerts.Core.Feeds;

/// <summary>
/// Detects a feed's format and reads it into a <see cref="ParsedFeed"/>: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0 and
/// JSON Feed 1.x. XML is read with DTDs ignored and no resolver, so nothing external is fetched and no entity expands.
/// </summary>
public static class FeedParser
{
    /// <summary>Parses raw bytes, decoding them with <see cref="FeedDecoder"/>, and reads every item.</summary>
    /// <param name="body">The (decompressed) document.</param>
    /// <param name="httpCharset">Charset from the Content-Type header, if any.</param>
    /// <param name="feedUrl">The address the feed was read from; relative links resolve against it.</param>
    /// <exception cref="FeedParseException">The document is not a feed this service can read.</exception>
    public static ParsedFeed Parse(ReadOnlySpan<byte> body, string? httpCharset = null, Uri? feedUrl = null)
    {
        using var reading = Open(body, httpCharset, feedUrl);
        return reading.ReadToEnd();
    }

    /// <summary>Parses an already decoded document and reads every item.</summary>
    /// <exception cref="FeedParseException">The document is not a feed this service can read.</exception>
    public static ParsedFeed Parse(string document, Uri? feedUrl = null)
    {
        using var reading = Open(document, feedUrl);
        return reading.ReadToEnd();
    }

    /// <summary>
    /// Starts reading raw bytes, decoding them with <see cref="FeedDecoder"/>: the items then come one at a time
    /// (see <see cref="FeedReading"/>), so that a large document never holds all its items at once.
    /// </summary>
    /// <exception cref="FeedParseException">The document is not a feed this service can read.</exception>
    public static FeedReading Open(ReadOnlySpan<byte> body, string? httpCharset = null, Uri? feedUrl = null)
    {
        var (encoding, skip) = FeedDecoder.Resolve(body, httpCharset, out var warning);
        var bytes = body[skip..];
        var chars = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(1, encoding.GetMaxCharCount(bytes.Length)));
        int length;
        try
        {
            length = encoding.GetChars(bytes, chars);
        }
        catch
        {
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
            throw;
        }

        // Decoded into a pooled buffer, which the reading owns from here: a clean XML feed is read from it directly,
        // without a document-sized string (one per fetch, on the large object heap, that would cost a full collection
        // every few feeds).
        return FeedReading.Start(chars, length, feedUrl, warning);
    }

    /// <summary>Starts reading an already decoded document; the items then come one at a time.</summary>
    /// <exception cref="FeedParseException">The document is not a feed this service can read.</exception>
    public static FeedReading Open(string document, Uri? feedUrl = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return FeedReading.Start(document, feedUrl);
    }

    /// <summary>Binds the items of <paramref name="feed"/> to <paramref name="feedId"/> as articles.</summary>
    public static IReadOnlyList<Article> ToArticles(string feedId, ParsedFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var articles = new List<Article>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            articles.Add(ToArticle(feedId, item, feed.Language));
        }

        return articles;
    }

    /// <summary>Binds one item to <paramref name="feedId"/> as an article; <paramref name="feedLanguage"/> is the language of an item that gives none.</summary>
    public static Article ToArticle(string feedId, FeedItem item, string? feedLanguage)
    {
        ArgumentNullException.ThrowIfNull(item);
        var key = ArticleKeys.KeyFor(feedId, item);
        return new Article
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
            Language = item.Language ?? feedLanguage,
            Author = item.Author,
        };
    }

    internal static int FirstSignificant(ReadOnlySpan<char> s)
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
    private const string Atom03Ns = "http://purl.org/atom/ns#";
    private const string RdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string Rss10Ns = "http://purl.org/rss/1.0/";
    private const string Rss090Ns = "http://my.netscape.com/rdf/simple/0.9/";
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";
    private const string DcTermsNs = "http://purl.org/dc/terms/";
    private const string MediaNs = "http://search.yahoo.com/mrss/";
    private const string ItunesNs = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    private const string XhtmlNs = "http://www.w3.org/1999/xhtml";
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

    /// <summary>
    /// Yields the items of an XML feed as they are read, filling <paramref name="head"/> with the feed's own fields on
    /// the way (complete once the last item is read). Errors of the document come from the enumeration.
    /// </summary>
    public static IEnumerable<FeedItem> Read(TextReader text, Uri? feedUrl, FeedHead head)
    {
        using var reader = XmlReader.Create(text, Settings);
        reader.MoveToContent();
        var baseUri = XmlBase(reader, feedUrl);
        var lang = reader.GetAttribute("lang", XmlNs);
        var items = (reader.LocalName, reader.NamespaceURI) switch
        {
            ("rss", _) => ReadRss(reader, baseUri, FeedFormat.Rss, head),
            ("RDF", RdfNs) => ReadRss(reader, baseUri, FeedFormat.Rdf, head),
            ("feed", _) => ReadAtom(reader, baseUri, lang, head), // Atom 1.0, 0.3, or a namespace of its own: read as Atom
            _ => throw new FeedParseException($"Not a feed: the root element is <{reader.Name}>."),
        };
        foreach (var item in items)
        {
            yield return item;
        }
    }

    private static Uri? XmlBase(XmlReader reader, Uri? current)
    {
        var value = reader.GetAttribute("base", XmlNs);
        return value is null ? current : FeedParser.Resolve(current, value);
    }

    /// <summary>
    /// The best value offered for one field: each source has a rank (0 is the format's own element, higher ranks are
    /// the fallbacks of other namespaces), and an empty value is never an offer, so a later empty element cannot wipe
    /// a field and a fallback cannot overwrite the real one.
    /// </summary>
    private struct Pick
    {
        private int _rank;

        public string? Value { get; private set; }

        /// <summary>The plain text of <see cref="Value"/>, when the offer gave one.</summary>
        public string? Text { get; private set; }

        public void Offer(int rank, string? value, string? text = null)
        {
            if (!string.IsNullOrWhiteSpace(value) && (Value is null || rank < _rank))
            {
                _rank = rank;
                Value = value;
                Text = text;
            }
        }
    }

    /// <summary>Candidate dates with their ranks: the best-ranked one that parses wins (most items offer one or two).</summary>
    private struct DatePick
    {
        private (int Rank, string Value)[]? _candidates;
        private int _count;

        public void Offer(int rank, string value)
        {
            _candidates ??= new (int, string)[2];
            if (_count == 16)
            {
                return; // real items carry a handful; a hostile one is not read further
            }

            if (_count == _candidates.Length)
            {
                Array.Resize(ref _candidates, _count * 2);
            }

            _candidates[_count++] = (rank, value);
        }

        public readonly DateTimeOffset? Best()
        {
            if (_candidates is null)
            {
                return null;
            }

            var tried = 0U; // at most 16 candidates
            for (var n = 0; n < _count; n++)
            {
                var best = -1;
                for (var k = 0; k < _count; k++)
                {
                    if ((tried & (1U << k)) == 0 && (best < 0 || _candidates[k].Rank < _candidates[best].Rank))
                    {
                        best = k;
                    }
                }

                if (best < 0)
                {
                    return null;
                }

                tried |= 1U << best;
                if (FeedDates.Parse(_candidates[best].Value) is { } parsed)
                {
                    return parsed;
                }
            }

            return null;
        }
    }

    /// <summary>The namespace of RSS 1.0 and 0.90 elements; RSS 2.0's own elements are in the root's namespace, usually none.</summary>
    private static bool IsRdfHome(string ns) => ns is Rss10Ns or Rss090Ns || ns.Length == 0;

    private static IEnumerable<FeedItem> ReadRss(XmlReader reader, Uri? baseUri, FeedFormat format, FeedHead head)
    {
        var rootNs = reader.NamespaceURI;
        head.Format = format;
        Pick title = default, site = default, language = default;
        if (reader.IsEmptyElement)
        {
            throw new FeedParseException("The feed has no channel.");
        }

        bool Home(string ns) => format == FeedFormat.Rdf ? IsRdfHome(ns) : ns == rootNs;

        foreach (var element in Children(reader))
        {
            var ns = reader.NamespaceURI;
            if (element == "item" && Home(ns))
            {
                yield return ReadRssItem(reader, baseUri, ns); // RDF, and RSS 0.9x feeds that put items beside the channel
                continue;
            }

            if (element != "channel" || !Home(ns))
            {
                SkipElement(reader);
                continue;
            }

            var channelNs = ns;
            var channelBase = XmlBase(reader, baseUri);
            foreach (var child in Children(reader))
            {
                var childNs = reader.NamespaceURI;
                switch (child)
                {
                    case "item" when childNs == channelNs:
                        yield return ReadRssItem(reader, channelBase, channelNs);
                        break;
                    case "title" when childNs == channelNs:
                        title.Offer(0, FeedParser.SingleLine(HtmlText.ToText(ReadContent(reader, markup: false))));
                        break;
                    case "title" when childNs == DcNs:
                        title.Offer(1, FeedParser.SingleLine(HtmlText.ToText(ReadContent(reader, markup: false))));
                        break;
                    case "link" when childNs == channelNs:
                        site.Offer(0, ReadContent(reader, markup: false).Trim());
                        break;
                    case "language" when childNs == channelNs:
                        language.Offer(0, ReadContent(reader, markup: false).Trim());
                        head.Language = language.Value; // the fallback of the items that follow
                        break;
                    case "language" when childNs == DcNs:
                        language.Offer(1, ReadContent(reader, markup: false).Trim());
                        head.Language = language.Value;
                        break;
                    case "ttl" when childNs == channelNs && int.TryParse(ReadContent(reader, markup: false).Trim(), out var minutes) && minutes > 0:
                        head.Ttl = TimeSpan.FromMinutes(minutes);
                        break;
                    default:
                        SkipElement(reader);
                        break;
                }
            }
        }

        head.Title = title.Value ?? "";
        head.SiteUrl = FeedParser.ResolveLink(baseUri, site.Value);
    }

    private static FeedItem ReadRssItem(XmlReader reader, Uri? baseUri, string own)
    {
        var itemBase = XmlBase(reader, baseUri);
        var guid = reader.GetAttribute("about", RdfNs);
        var permaLink = guid is not null;
        Pick title = default, link = default, description = default, content = default, author = default, language = default;
        DatePick dates = default;
        language.Offer(1, reader.GetAttribute("lang", XmlNs));
        foreach (var child in Children(reader))
        {
            var ns = reader.NamespaceURI;
            if (ns == own)
            {
                switch (child)
                {
                    case "title":
                        title.Offer(0, ReadContent(reader, markup: true));
                        break;
                    case "link":
                        link.Offer(0, ReadContent(reader, markup: false).Trim());
                        break;
                    case "guid":
                        permaLink = !string.Equals(reader.GetAttribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase);
                        guid = ReadContent(reader, markup: false).Trim();
                        break;
                    case "description":
                        description.Offer(0, ReadContent(reader, markup: true));
                        break;
                    case "pubDate":
                        dates.Offer(0, ReadContent(reader, markup: false));
                        break;
                    case "author":
                        author.Offer(0, HtmlText.ToText(ReadContent(reader, markup: false)));
                        break;
                    default:
                        SkipElement(reader);
                        break;
                }

                continue;
            }

            switch (ns, child)
            {
                case (DcNs, "title"):
                    title.Offer(1, ReadContent(reader, markup: true));
                    break;
                case (DcNs, "description"):
                    description.Offer(1, ReadContent(reader, markup: true));
                    break;
                case (DcNs, "date"):
                    dates.Offer(1, ReadContent(reader, markup: false));
                    break;
                case (DcNs, "creator"):
                    author.Offer(1, HtmlText.ToText(ReadContent(reader, markup: false)));
                    break;
                case (DcNs, "language"):
                    language.Offer(0, ReadContent(reader, markup: false).Trim());
                    break;
                case (DcTermsNs, "issued" or "created" or "date"):
                    dates.Offer(2, ReadContent(reader, markup: false));
                    break;
                case (DcTermsNs, "modified"):
                    dates.Offer(5, ReadContent(reader, markup: false));
                    break;
                case (ContentNs, "encoded"):
                    content.Offer(0, ReadContent(reader, markup: true));
                    break;
                case (XhtmlNs, "body"):
                    content.Offer(1, ReadContent(reader, markup: true));
                    break;
                case (AtomNs, "link"):
                    if (reader.GetAttribute("rel") is null or "alternate")
                    {
                        link.Offer(1, reader.GetAttribute("href"));
                    }

                    SkipElement(reader);
                    break;
                case (AtomNs, "published"):
                    dates.Offer(3, ReadContent(reader, markup: false));
                    break;
                case (AtomNs, "updated"):
                    dates.Offer(4, ReadContent(reader, markup: false));
                    break;
                case (AtomNs, "title"):
                    title.Offer(2, ReadTextConstruct(reader).Html);
                    break;
                case (AtomNs, "summary"):
                    description.Offer(2, ReadTextConstruct(reader).Html);
                    break;
                case (AtomNs, "content"):
                    content.Offer(2, ReadTextConstruct(reader).Html);
                    break;
                case (AtomNs, "author"):
                    author.Offer(2, ReadAtomPerson(reader));
                    break;
                case (MediaNs, _):
                    ReadMedia(reader, child, ref title, ref description, 0);
                    break;
                case (ItunesNs, "summary"):
                    description.Offer(4, System.Net.WebUtility.HtmlEncode(ReadContent(reader, markup: false)));
                    break;
                case (ItunesNs, "author"):
                    author.Offer(3, ReadContent(reader, markup: false));
                    break;
                default:
                    SkipElement(reader);
                    break;
            }
        }

        var summary = HtmlText.ToText(description.Value);
        var guidLink = permaLink ? FeedParser.ResolveLink(null, guid) : null; // only an absolute http(s) guid is a link
        return new FeedItem
        {
            Guid = NullIfEmpty(guid),
            GuidIsPermaLink = permaLink,
            Url = FeedParser.ResolveLink(itemBase, link.Value ?? guidLink),
            Title = FeedParser.SingleLine(HtmlText.ToText(title.Value)),
            Summary = summary,
            Content = content.Value is { } html ? HtmlText.ToText(html) : summary,
            ContentHtml = NullIfEmpty(content.Value ?? description.Value),
            Published = dates.Best(),
            Language = NullIfEmpty(language.Value),
            Author = NullIfEmpty(author.Value),
        };
    }

    /// <summary>
    /// Media RSS: <c>media:title</c> and <c>media:description</c>, also inside <c>media:group</c> and
    /// <c>media:content</c>; they describe the item's media, so they rank below the item's own text.
    /// </summary>
    private static void ReadMedia(XmlReader reader, string element, ref Pick title, ref Pick description, int depth)
    {
        switch (element)
        {
            case "title":
                title.Offer(3, MediaText(reader));
                break;
            case "description":
                description.Offer(3, MediaText(reader));
                break;
            case "group" or "content" when depth < 2:
                foreach (var child in Children(reader))
                {
                    if (reader.NamespaceURI == MediaNs)
                    {
                        ReadMedia(reader, child, ref title, ref description, depth + 1);
                    }
                    else
                    {
                        SkipElement(reader);
                    }
                }

                break;
            default:
                SkipElement(reader);
                break;
        }
    }

    /// <summary>A Media RSS text element as HTML: type="html" is HTML already, plain text (the default) is encoded.</summary>
    private static string MediaText(XmlReader reader)
    {
        var html = reader.GetAttribute("type") == "html";
        var text = ReadContent(reader, markup: html);
        return html ? text : System.Net.WebUtility.HtmlEncode(text);
    }

    private static IEnumerable<FeedItem> ReadAtom(XmlReader reader, Uri? baseUri, string? language, FeedHead head)
    {
        var own = reader.NamespaceURI;
        head.Format = FeedFormat.Atom;
        head.Language = language;
        Pick title = default;
        string? site = null;
        foreach (var child in Children(reader))
        {
            var ns = reader.NamespaceURI;
            switch (child)
            {
                case "entry" when ns == own:
                    yield return ReadAtomEntry(reader, baseUri, language, own);
                    break;
                case "title" when ns == own:
                    title.Offer(0, FeedParser.SingleLine(ReadTextConstruct(reader).Text));
                    break;
                case "title" when ns == DcNs:
                    title.Offer(1, FeedParser.SingleLine(HtmlText.FoldWhitespace(ReadContent(reader, markup: false))));
                    break;
                case "link" when ns == own:
                    if (reader.GetAttribute("rel") is null or "alternate")
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

        head.Title = title.Value ?? "";
        head.SiteUrl = site;
    }

    private static FeedItem ReadAtomEntry(XmlReader reader, Uri? baseUri, string? feedLanguage, string own)
    {
        var entryBase = XmlBase(reader, baseUri);
        var language = reader.GetAttribute("lang", XmlNs) ?? feedLanguage;
        string? id = null, link = null;
        Pick title = default, summary = default, content = default, author = default;
        DatePick dates = default;
        foreach (var child in Children(reader))
        {
            var ns = reader.NamespaceURI;
            if (ns == own)
            {
                switch (child)
                {
                    case "id":
                        id = NullIfEmpty(ReadContent(reader, markup: false));
                        break;
                    case "title":
                        var t = ReadTextConstruct(reader);
                        title.Offer(0, t.Html, t.Text);
                        break;
                    case "link":
                        if (reader.GetAttribute("rel") is not (null or "alternate"))
                        {
                            SkipElement(reader);
                            break;
                        }

                        // A link without href carries its address as text in some feeds.
                        var linkBase = XmlBase(reader, entryBase);
                        var href = reader.GetAttribute("href");
                        if (href is null)
                        {
                            href = ReadContent(reader, markup: false).Trim();
                        }
                        else
                        {
                            SkipElement(reader);
                        }

                        link ??= FeedParser.ResolveLink(linkBase, href);
                        break;
                    case "published" or "issued" or "created":
                        dates.Offer(child == "published" ? 0 : 1, ReadContent(reader, markup: false));
                        break;
                    case "updated" or "modified":
                        dates.Offer(2, ReadContent(reader, markup: false));
                        break;
                    case "author":
                        author.Offer(0, ReadAtomPerson(reader));
                        break;
                    case "summary":
                        var s = ReadTextConstruct(reader);
                        summary.Offer(0, s.Html, s.Text);
                        break;
                    case "content":
                        var c = ReadTextConstruct(reader);
                        content.Offer(0, c.Html, c.Text);
                        break;
                    default:
                        SkipElement(reader);
                        break;
                }

                continue;
            }

            switch (ns, child)
            {
                case (DcNs, "date"):
                    dates.Offer(3, ReadContent(reader, markup: false));
                    break;
                case (DcNs, "creator"):
                    author.Offer(1, ReadContent(reader, markup: false));
                    break;
                case (DcNs, "title"):
                    var dcTitle = ReadContent(reader, markup: false);
                    title.Offer(1, System.Net.WebUtility.HtmlEncode(dcTitle), HtmlText.FoldWhitespace(dcTitle));
                    break;
                case (DcNs, "description"):
                    var dcDescription = ReadContent(reader, markup: false);
                    summary.Offer(1, System.Net.WebUtility.HtmlEncode(dcDescription), HtmlText.FoldWhitespace(dcDescription));
                    break;
                case (MediaNs, _):
                    Pick mediaTitle = default, mediaDescription = default;
                    ReadMedia(reader, child, ref mediaTitle, ref mediaDescription, 0);
                    summary.Offer(3, mediaDescription.Value, HtmlText.ToText(mediaDescription.Value));
                    title.Offer(3, mediaTitle.Value, HtmlText.ToText(mediaTitle.Value));
                    break;
                default:
                    SkipElement(reader);
                    break;
            }
        }

        var summaryText = summary.Text ?? "";
        var contentText = content.Text ?? "";
        return new FeedItem
        {
            Guid = id?.Trim(),
            GuidIsPermaLink = false,
            Url = link,
            Title = FeedParser.SingleLine(title.Text ?? ""),
            Summary = summaryText.Length > 0 ? summaryText : Truncate(contentText, 500),
            Content = contentText.Length > 0 ? contentText : summaryText,
            ContentHtml = content.Value ?? summary.Value,
            Published = dates.Best(),
            Language = language,
            Author = NullIfEmpty(author.Value),
        };
    }

    /// <summary>How an Atom text construct carries its text.</summary>
    private enum TextKind
    {
        Text,
        Html,
        Xhtml,
        Base64,
    }

    /// <summary>
    /// An Atom text construct (title, summary, content) as plain text and as HTML. Atom 1.0: type "text" (child
    /// elements are not markup: only their text counts), "html" (escaped HTML), "xhtml" (inline markup), a MIME type
    /// (text/* as text, XML types as markup, any other base64). Atom 0.3: mode "escaped", "base64" or "xml".
    /// </summary>
    private static (string Text, string Html) ReadTextConstruct(XmlReader reader)
    {
        var type = reader.GetAttribute("type")?.Trim().ToLowerInvariant();
        var mode = reader.GetAttribute("mode")?.Trim().ToLowerInvariant();
        var kind = mode switch
        {
            "base64" => TextKind.Base64,
            "escaped" => IsHtmlType(type) ? TextKind.Html : TextKind.Text,
            _ => KindOf(type),
        };

        if (kind == TextKind.Base64)
        {
            var encoded = ReadContent(reader, markup: false);
            if (TryBase64(encoded, out var decoded))
            {
                // text/plain stays text; anything else decoded is read as markup, as mature readers do.
                var plain = type is null or "text" || type.StartsWith("text/", StringComparison.Ordinal) && !IsHtmlType(type);
                return plain ? (HtmlText.FoldWhitespace(decoded), System.Net.WebUtility.HtmlEncode(decoded)) : (HtmlText.ToText(decoded), decoded);
            }

            return (HtmlText.FoldWhitespace(encoded), System.Net.WebUtility.HtmlEncode(encoded));
        }

        var raw = ReadContent(reader, markup: kind != TextKind.Text);
        return kind == TextKind.Text
            ? (HtmlText.FoldWhitespace(raw), System.Net.WebUtility.HtmlEncode(raw))
            : (HtmlText.ToText(raw), raw);
    }

    private static TextKind KindOf(string? type) => type switch
    {
        null or "" or "text" or "text/plain" => TextKind.Text,
        "html" => TextKind.Html,
        "xhtml" => TextKind.Xhtml,
        _ when IsHtmlType(type) => TextKind.Html,
        _ when IsXmlType(type) => TextKind.Xhtml,
        _ when type.StartsWith("text/", StringComparison.Ordinal) => TextKind.Text,
        _ when !type.Contains('/', StringComparison.Ordinal) => TextKind.Text, // an unknown word, not a MIME type
        _ => TextKind.Base64,
    };

    private static bool IsHtmlType(string? type) => type is "html" or "text/html";

    private static bool IsXmlType(string? type) =>
        type is not null && (type == "xhtml" || type.EndsWith("/xml", StringComparison.Ordinal) || type.EndsWith("+xml", StringComparison.Ordinal));

    private static bool TryBase64(string encoded, out string decoded)
    {
        decoded = "";
        var compact = string.Concat(encoded.Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[(compact.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(compact, buffer, out var written))
        {
            return false;
        }

        decoded = System.Text.Encoding.UTF8.GetString(buffer, 0, written);
        return true;
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
        while (ReadNode(reader) && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1)
            {
                yield return reader.LocalName;
            }
        }
    }

    private static string? ReadAtomPerson(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }

        string? name = null;
        var depth = reader.Depth;
        while (ReadNode(reader) && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "name")
            {
                name = NullIfEmpty(ReadContent(reader, markup: false));
            }
        }

        return name;
    }

    /// <summary>
    /// Reads the content of the current element and leaves the reader on its end tag (or on the element when empty).
    /// Text comes back decoded. With <paramref name="markup"/>, child elements (inline XHTML) come back as markup with
    /// the text around them encoded; without, only their text is kept.
    /// </summary>
    private static string ReadContent(XmlReader reader, bool markup)
    {
        if (reader.IsEmptyElement)
        {
            return "";
        }

        var depth = reader.Depth;
        string? single = null;
        System.Text.StringBuilder? sb = null;
        List<(bool Markup, string Text)>? parts = null;
        while (ReadNode(reader))
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
                case XmlNodeType.Element when markup:
                    parts ??= [(false, sb?.ToString() ?? single ?? "")];
                    parts.Add((true, StartTag(reader)));
                    break;
                case XmlNodeType.EndElement when parts is not null:
                    parts.Add((true, "</" + reader.Name + ">"));
                    break;
                default:
                    break;
            }
        }

        return parts is not null ? Join(parts) : sb?.ToString() ?? single ?? "";
    }

    /// <summary>
    /// Reads the next node; an element deeper than any real feed nests ends the strict read, and the tolerant pass
    /// reads the document again with the deep tags dropped (their text kept).
    /// </summary>
    private static bool ReadNode(XmlReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.Depth > TolerantXml.MaxDepth)
        {
            var position = (IXmlLineInfo)reader;
            throw new XmlException($"Elements nested deeper than {TolerantXml.MaxDepth} levels.", null, position.LineNumber, position.LinePosition);
        }

        return true;
    }

    /// <summary>An element's start tag as markup (attributes encoded), written as the reader meets it.</summary>
    private static string StartTag(XmlReader reader)
    {
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
        while (ReadNode(reader) && reader.Depth > depth)
        {
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
