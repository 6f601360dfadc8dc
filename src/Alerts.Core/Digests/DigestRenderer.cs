using System.Globalization;
using System.Net;
using System.Text;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Digests;

/// <summary>A rendered email: one-line subject, HTML with inline CSS, and a plain-text part.</summary>
public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>
/// Renders a digest: stories most severe first, each with its title linked (http and https only), its sources and their
/// count, its published time in the subscriber's zone, severity, countries and why it matched. All feed text is
/// HTML-encoded; the subject is one line of at most 150 characters. The template's own words are in en, fr or es.
/// </summary>
public static class DigestRenderer
{
    private const int MaxSubject = 150;

    private static readonly Dictionary<string, Dictionary<string, string>> Words = new(StringComparer.Ordinal)
    {
        ["en"] = new()
        {
            ["critical"] = "critical", ["warning"] = "warning", ["watch"] = "watch", ["none"] = "none", ["sources"] = "Sources",
            ["published"] = "Published", ["countries"] = "Countries", ["why"] = "Why", ["unsubscribe"] = "Unsubscribe",
            ["title"] = "Crisis Alerts digest", ["footer"] = "You receive this digest because you subscribed to Crisis Alerts.",
        },
        ["fr"] = new()
        {
            ["critical"] = "critique", ["warning"] = "alerte", ["watch"] = "veille", ["none"] = "aucune", ["sources"] = "Sources",
            ["published"] = "Publié", ["countries"] = "Pays", ["why"] = "Pourquoi", ["unsubscribe"] = "Se désabonner",
            ["title"] = "Résumé Crisis Alerts", ["footer"] = "Vous recevez ce résumé car vous êtes abonné à Crisis Alerts.",
        },
        ["es"] = new()
        {
            ["critical"] = "crítica", ["warning"] = "alerta", ["watch"] = "vigilancia", ["none"] = "ninguna", ["sources"] = "Fuentes",
            ["published"] = "Publicado", ["countries"] = "Países", ["why"] = "Por qué", ["unsubscribe"] = "Darse de baja",
            ["title"] = "Resumen de Crisis Alerts", ["footer"] = "Recibe este resumen porque se suscribió a Crisis Alerts.",
        },
    };

    private static readonly Dictionary<Severity, string> Colors = new()
    {
        [Severity.Critical] = "#b00020", [Severity.Warning] = "#b45309", [Severity.Watch] = "#1d4ed8", [Severity.None] = "#4b5563",
    };

    public static EmailContent Render(Subscriber subscriber, IReadOnlyList<DigestItem> items, string unsubscribeUrl, Gazetteer? gazetteer = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(items);
        gazetteer ??= Gazetteer.Default;
        var words = Words.GetValueOrDefault(subscriber.Language) ?? Words["en"];
        var zone = DigestSchedule.Zone(subscriber.TimeZone);
        var ordered = items.OrderByDescending(i => i.Severity).ThenByDescending(i => i.Published).ToList();
        var subject = Subject(ordered, words, gazetteer);

        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#111827;\">")
            .Append("<div style=\"max-width:600px;margin:0 auto;padding:16px;\">")
            .Append("<h1 style=\"font-size:20px;margin:0 0 16px;\">").Append(Encode(words["title"])).Append("</h1>");
        text.Append(words["title"]).Append("\n\n");

        foreach (var item in ordered)
        {
            var severity = words[item.Severity.ToString().ToLowerInvariant()];
            var published = item.Published is { } p ? TimeZoneInfo.ConvertTime(p, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + subscriber.TimeZone + ")" : "";
            var countries = string.Join(", ", item.Countries.Select(c => gazetteer.Countries.TryGetValue(c, out var country) ? country.Name : c));
            var link = SafeLink(item.Url);
            html.Append("<div style=\"background:#ffffff;border-radius:8px;padding:12px 14px;margin:0 0 12px;border-left:4px solid ").Append(Colors[item.Severity]).Append(";\">")
                .Append("<div style=\"font-size:12px;font-weight:bold;text-transform:uppercase;color:").Append(Colors[item.Severity]).Append(";\">").Append(Encode(severity)).Append("</div>")
                .Append("<h2 style=\"font-size:16px;line-height:1.35;margin:4px 0 8px;\">");
            if (link is not null)
            {
                html.Append("<a href=\"").Append(Encode(link)).Append("\" style=\"color:#111827;\">").Append(Encode(OneLine(item.Title))).Append("</a>");
            }
            else
            {
                html.Append(Encode(OneLine(item.Title)));
            }

            html.Append("</h2><p style=\"font-size:13px;color:#4b5563;margin:0 0 6px;\">")
                .Append(Encode(words["sources"])).Append(" (").Append(item.Sources.Count).Append("): ").Append(Encode(string.Join(", ", item.Sources)));
            if (published.Length > 0)
            {
                html.Append("<br>").Append(Encode(words["published"])).Append(": ").Append(Encode(published));
            }

            if (countries.Length > 0)
            {
                html.Append("<br>").Append(Encode(words["countries"])).Append(": ").Append(Encode(countries));
            }

            html.Append("</p><p style=\"font-size:13px;margin:0;\"><strong>").Append(Encode(words["why"])).Append(":</strong></p><ul style=\"font-size:13px;margin:4px 0 0;padding-left:18px;\">");
            text.Append('[').Append(severity.ToUpperInvariant()).Append("] ").Append(OneLine(item.Title)).Append('\n');
            if (link is not null)
            {
                text.Append(link).Append('\n');
            }

            text.Append(words["sources"]).Append(" (").Append(item.Sources.Count).Append("): ").Append(string.Join(", ", item.Sources)).Append('\n');
            if (published.Length > 0)
            {
                text.Append(words["published"]).Append(": ").Append(published).Append('\n');
            }

            if (countries.Length > 0)
            {
                text.Append(words["countries"]).Append(": ").Append(countries).Append('\n');
            }

            foreach (var signal in item.Signals)
            {
                var evidence = signal.Evidence.Count > 0 ? signal.Evidence[0].Text : "";
                html.Append("<li><strong>").Append(Encode(signal.Label)).Append("</strong>");
                if (evidence.Length > 0)
                {
                    html.Append(": <em>").Append(Encode(OneLine(evidence))).Append("</em>");
                }

                html.Append("</li>");
                text.Append("- ").Append(signal.Label).Append(evidence.Length > 0 ? ": " + OneLine(evidence) : "").Append('\n');
            }

            html.Append("</ul></div>");
            text.Append('\n');
        }

        var unsubscribe = SafeLink(unsubscribeUrl) ?? throw new ArgumentException("The unsubscribe link must be http or https.", nameof(unsubscribeUrl));
        html.Append("<p style=\"font-size:12px;color:#6b7280;\">").Append(Encode(words["footer"])).Append(" <a href=\"").Append(Encode(unsubscribe))
            .Append("\" style=\"color:#6b7280;\">").Append(Encode(words["unsubscribe"])).Append("</a></p></div></body></html>");
        text.Append(words["footer"]).Append('\n').Append(words["unsubscribe"]).Append(": ").Append(unsubscribe).Append('\n');
        return new EmailContent(subject, html.ToString(), text.ToString());
    }

    /// <summary>"3 critical, 5 warning: Kazakhstan, Sudan": counts by severity and the three most frequent countries.</summary>
    private static string Subject(IReadOnlyList<DigestItem> items, Dictionary<string, string> words, Gazetteer gazetteer)
    {
        var counts = items.GroupBy(i => i.Severity).OrderByDescending(g => g.Key)
            .Select(g => $"{g.Count()} {words[g.Key.ToString().ToLowerInvariant()]}");
        var countries = items.SelectMany(i => i.Countries.Take(1)).GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(3).Select(g => gazetteer.Countries.TryGetValue(g.Key, out var c) ? c.Name : g.Key).ToList();
        var subject = string.Join(", ", counts) + (countries.Count > 0 ? ": " + string.Join(", ", countries) : "");
        subject = OneLine(subject);
        return subject.Length <= MaxSubject ? subject : subject[..(MaxSubject - 1)] + "…";
    }

    /// <summary>The URL when it is absolute http or https; anything else (javascript:, data:, relative) gives no link.</summary>
    internal static string? SafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri.AbsoluteUri : null;

    /// <summary>Removes CR, LF and other control characters so that text can never start a new header line.</summary>
    public static string OneLine(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            sb.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }

        return sb.ToString().Trim();
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
