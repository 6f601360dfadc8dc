using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Texts;

namespace Alerts.Infrastructure.Web;

/// <summary>Alerts as a feed for readers: Atom for the admin feed and a subscriber's own, JSON Feed 1.1 for the latter too.</summary>
public static class AlertFeedWriter
{
    /// <summary>An Atom feed (RFC 4287) of <paramref name="alerts"/>, newest first as given; feed text is XML-escaped by the writer.</summary>
    /// <remarks>Severities, countries and signals are named in <paramref name="language"/> (a subscriber's; English for the admin feed).</remarks>
    public static string Atom(string self, string title, string id, IReadOnlyList<AlertRecord> alerts, DateTimeOffset now, string? language = null)
    {
        var sb = new StringBuilder();
        using (var xml = XmlWriter.Create(sb, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
        {
            const string Ns = "http://www.w3.org/2005/Atom";
            xml.WriteStartElement("feed", Ns);
            xml.WriteAttributeString("xml", "lang", null, TextCatalog.For(language).Code);
            xml.WriteElementString("title", Ns, title);
            xml.WriteElementString("id", Ns, id);
            xml.WriteElementString("updated", Ns, (alerts.Count > 0 ? alerts.Max(a => a.ChangedAt) : now).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            xml.WriteStartElement("link", Ns);
            xml.WriteAttributeString("rel", "self");
            xml.WriteAttributeString("href", self);
            xml.WriteEndElement();
            foreach (var alert in alerts)
            {
                xml.WriteStartElement("entry", Ns);
                xml.WriteElementString("id", Ns, "urn:crisis-alerts:story:" + alert.StoryId);
                xml.WriteElementString("title", Ns, EntryTitle(alert, language));
                xml.WriteElementString("updated", Ns, alert.ChangedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                if (alert.Published is { } published)
                {
                    xml.WriteElementString("published", Ns, published.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                }

                if (Uri.TryCreate(alert.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
                {
                    xml.WriteStartElement("link", Ns);
                    xml.WriteAttributeString("href", url.AbsoluteUri);
                    xml.WriteEndElement();
                }

                foreach (var signal in alert.Signals)
                {
                    xml.WriteStartElement("category", Ns);
                    xml.WriteAttributeString("term", signal);
                    xml.WriteEndElement();
                }

                xml.WriteElementString("summary", Ns, Summary(alert, language));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    /// <summary>A JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of <paramref name="alerts"/>.</summary>
    public static string Json(string self, string title, IReadOnlyList<AlertRecord> alerts, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("version", "https://jsonfeed.org/version/1.1");
            w.WriteString("title", title);
            w.WriteString("language", TextCatalog.For(language).Code);
            w.WriteString("feed_url", self);
            w.WriteStartArray("items");
            foreach (var alert in alerts)
            {
                w.WriteStartObject();
                w.WriteString("id", "urn:crisis-alerts:story:" + alert.StoryId);
                if (Uri.TryCreate(alert.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
                {
                    w.WriteString("url", url.AbsoluteUri);
                }

                w.WriteString("title", EntryTitle(alert, language));
                w.WriteString("content_text", Summary(alert, language));
                if (alert.Published is { } published)
                {
                    w.WriteString("date_published", published.ToUniversalTime());
                }

                w.WriteString("date_modified", alert.ChangedAt.ToUniversalTime());
                w.WriteStartArray("tags");
                foreach (var tag in alert.Signals.Concat(alert.Countries))
                {
                    w.WriteStringValue(tag);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>"[CRITICAL] Troops fire on protesters", the severity in <paramref name="language"/>.</summary>
    private static string EntryTitle(AlertRecord alert, string? language) =>
        "[" + DigestRenderer.SeverityName(alert.Severity, language).ToUpper(TextCatalog.For(language).Culture) + "] " + DigestRenderer.OneLine(Alerts.Core.Situation.TrendSignals.TitleIn(alert.StoryId, alert.Title, alert.Countries, language));

    /// <summary>"critical · Kazakhstan · Sources (3) · Curfew: a curfew was imposed", in <paramref name="language"/>.</summary>
    private static string Summary(AlertRecord alert, string? language)
    {
        var colon = DigestRenderer.Word(language, "colon");
        var countries = string.Join(", ", alert.Countries.Select(c => Gazetteer.Default.Countries.TryGetValue(c, out var country) ? country.NameIn(language) : c));
        var why = string.Join("; ", alert.Evidence.Select(s => DigestRenderer.Label(s, language) + (s.Evidence.Count > 0 ? colon + " " + s.Evidence[0].Text : "")));
        return $"{DigestRenderer.SeverityName(alert.Severity, language)} · {countries} · {DigestRenderer.Word(language, "sources")} ({alert.SourceCount.ToString(CultureInfo.InvariantCulture)}) · {why}";
    }
}
