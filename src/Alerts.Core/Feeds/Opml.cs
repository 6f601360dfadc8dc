using System.Xml;

namespace Alerts.Core.Feeds;

/// <summary>One feed listed in an OPML subscription list.</summary>
public sealed record OpmlFeed(string Url, string Title);

/// <summary>Reads OPML subscription lists (nested outlines with an xmlUrl), with the same safe XML settings as feeds.</summary>
public static class Opml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        CheckCharacters = false,
    };

    /// <summary>Every outline with an xmlUrl, in document order, without repeats.</summary>
    /// <exception cref="FeedParseException">The document is not OPML.</exception>
    public static IReadOnlyList<OpmlFeed> Read(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var feeds = new List<OpmlFeed>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var reader = XmlReader.Create(new StringReader(XmlEntityRepair.Repair(document)), Settings);
            reader.MoveToContent();
            if (reader.LocalName != "opml")
            {
                throw new FeedParseException($"Not OPML: the root element is <{reader.Name}>.");
            }

            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "outline")
                {
                    continue;
                }

                var url = reader.GetAttribute("xmlUrl") ?? reader.GetAttribute("xmlurl");
                if (string.IsNullOrWhiteSpace(url))
                {
                    continue;
                }

                url = url.Trim();
                if (seen.Add(url))
                {
                    var title = reader.GetAttribute("title") ?? reader.GetAttribute("text") ?? url;
                    feeds.Add(new OpmlFeed(url, title.Trim()));
                }
            }
        }
        catch (XmlException ex)
        {
            throw new FeedParseException($"Malformed OPML at line {ex.LineNumber}, column {ex.LinePosition}: {ex.Message}", ex);
        }

        return feeds;
    }

    /// <summary>An OPML 2.0 subscription list of <paramref name="feeds"/> (type "rss" outlines), readable by <see cref="Read"/> and by feed readers.</summary>
    public static string Write(string title, IReadOnlyList<OpmlFeed> feeds, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        var text = new System.Text.StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            xml.WriteStartElement("opml");
            xml.WriteAttributeString("version", "2.0");
            xml.WriteStartElement("head");
            xml.WriteElementString("title", title);
            xml.WriteElementString("dateCreated", created.ToString("r", System.Globalization.CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            xml.WriteStartElement("body");
            foreach (var feed in feeds)
            {
                xml.WriteStartElement("outline");
                xml.WriteAttributeString("type", "rss");
                xml.WriteAttributeString("text", feed.Title.Length > 0 ? feed.Title : feed.Url);
                xml.WriteAttributeString("title", feed.Title.Length > 0 ? feed.Title : feed.Url);
                xml.WriteAttributeString("xmlUrl", feed.Url);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return text.ToString();
    }
}
