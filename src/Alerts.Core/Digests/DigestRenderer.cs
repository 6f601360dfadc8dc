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
            ["omitted"] = "{0} more matching alerts were left out of this digest for length.",
            ["title"] = "Crisis Alerts digest", ["footer"] = "You receive this digest because you subscribed to Crisis Alerts.",
            ["breaking_title"] = "Critical alert", ["breaking_subject"] = "Critical: ",
            ["breaking_footer"] = "You receive immediate alerts because you turned them on in your Crisis Alerts subscription.",
            ["confirm_subject"] = "Confirm your Crisis Alerts subscription", ["confirm_button"] = "Confirm my subscription",
            ["confirm_body"] = "Someone, hopefully you, asked to receive Crisis Alerts at this address. Nothing will be sent until you confirm.",
            ["confirm_ignore"] = "If you did not ask for this, ignore this email.",
        },
        ["fr"] = new()
        {
            ["critical"] = "critique", ["warning"] = "alerte", ["watch"] = "veille", ["none"] = "aucune", ["sources"] = "Sources",
            ["published"] = "Publié", ["countries"] = "Pays", ["why"] = "Pourquoi", ["unsubscribe"] = "Se désabonner",
            ["omitted"] = "{0} autres alertes correspondantes ont été omises de ce résumé pour sa longueur.",
            ["title"] = "Résumé Crisis Alerts", ["footer"] = "Vous recevez ce résumé car vous êtes abonné à Crisis Alerts.",
            ["breaking_title"] = "Alerte critique", ["breaking_subject"] = "Critique : ",
            ["breaking_footer"] = "Vous recevez les alertes immédiates car vous les avez activées dans votre abonnement à Crisis Alerts.",
            ["confirm_subject"] = "Confirmez votre abonnement à Crisis Alerts", ["confirm_button"] = "Confirmer mon abonnement",
            ["confirm_body"] = "Quelqu'un, sans doute vous, a demandé à recevoir Crisis Alerts à cette adresse. Rien ne sera envoyé avant votre confirmation.",
            ["confirm_ignore"] = "Si vous n'avez rien demandé, ignorez ce message.",
        },
        ["es"] = new()
        {
            ["critical"] = "crítica", ["warning"] = "alerta", ["watch"] = "vigilancia", ["none"] = "ninguna", ["sources"] = "Fuentes",
            ["published"] = "Publicado", ["countries"] = "Países", ["why"] = "Por qué", ["unsubscribe"] = "Darse de baja",
            ["omitted"] = "Se omitieron {0} alertas más que coinciden, por la extensión de este resumen.",
            ["title"] = "Resumen de Crisis Alerts", ["footer"] = "Recibe este resumen porque se suscribió a Crisis Alerts.",
            ["breaking_title"] = "Alerta crítica", ["breaking_subject"] = "Crítica: ",
            ["breaking_footer"] = "Recibe alertas inmediatas porque las activó en su suscripción a Crisis Alerts.",
            ["confirm_subject"] = "Confirme su suscripción a Crisis Alerts", ["confirm_button"] = "Confirmar mi suscripción",
            ["confirm_body"] = "Alguien, probablemente usted, pidió recibir Crisis Alerts en esta dirección. No se enviará nada hasta que confirme.",
            ["confirm_ignore"] = "Si no lo pidió, ignore este mensaje.",
        },
    };

    private static readonly Dictionary<Severity, string> Colors = new()
    {
        [Severity.Critical] = "#b00020", [Severity.Warning] = "#b45309", [Severity.Watch] = "#1d4ed8", [Severity.None] = "#4b5563",
    };

    /// <summary>A digest of <paramref name="items"/>; <paramref name="unsubscribeUrl"/> may be <see cref="EmailMessage.UnsubscribePlaceholder"/>.</summary>
    /// <remarks><paramref name="omitted"/> more matching stories were left out for length: a closing line says so.</remarks>
    public static EmailContent Render(Subscriber subscriber, IReadOnlyList<DigestItem> items, string unsubscribeUrl, Gazetteer? gazetteer = null, int omitted = 0)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(items);
        gazetteer ??= Gazetteer.Default;
        var words = WordsFor(subscriber.Language);
        var ordered = items.OrderByDescending(i => i.Severity).ThenByDescending(i => i.Published).ToList();
        var footer = omitted > 0 ? string.Format(CultureInfo.InvariantCulture, words["omitted"], omitted) + " " + words["footer"] : words["footer"];
        return Build(subscriber, ordered, unsubscribeUrl, Subject(ordered, words, gazetteer, subscriber.Language), words["title"], footer, gazetteer);
    }

    /// <summary>An immediate alert for one critical story: subject "Critical: title", the story, and why it matched.</summary>
    public static EmailContent RenderBreaking(Subscriber subscriber, DigestItem item, string unsubscribeUrl, Gazetteer? gazetteer = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(item);
        var words = WordsFor(subscriber.Language);
        var subject = Clip(OneLine(words["breaking_subject"] + item.Title));
        return Build(subscriber, [item], unsubscribeUrl, subject, words["breaking_title"], words["breaking_footer"], gazetteer ?? Gazetteer.Default);
    }

    /// <summary>The double opt-in email: one button to the signed confirmation link.</summary>
    public static EmailContent RenderConfirmation(string language, string confirmUrl)
    {
        var words = WordsFor(language);
        var link = SafeLink(confirmUrl) ?? throw new ArgumentException("The confirmation link must be http or https.", nameof(confirmUrl));
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(Encode(words["confirm_subject"])).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#111827;\">")
            .Append("<div style=\"max-width:600px;margin:0 auto;padding:16px;\"><h1 style=\"font-size:20px;\">").Append(Encode(words["confirm_subject"])).Append("</h1>")
            .Append("<p style=\"font-size:15px;line-height:1.5;\">").Append(Encode(words["confirm_body"])).Append("</p>")
            .Append("<p><a href=\"").Append(Encode(link)).Append("\" style=\"display:inline-block;background:#1d4ed8;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:bold;\">")
            .Append(Encode(words["confirm_button"])).Append("</a></p>")
            .Append("<p style=\"font-size:12px;color:#6b7280;\">").Append(Encode(words["confirm_ignore"])).Append("</p></div></body></html>");
        var text = $"{words["confirm_body"]}\n\n{words["confirm_button"]}: {link}\n\n{words["confirm_ignore"]}\n";
        return new EmailContent(words["confirm_subject"], html.ToString(), text);
    }

    private static Dictionary<string, string> WordsFor(string? language) => Words.GetValueOrDefault(language ?? "en") ?? Words["en"];

    private static EmailContent Build(Subscriber subscriber, IReadOnlyList<DigestItem> ordered, string unsubscribeUrl, string subject, string title, string footer, Gazetteer gazetteer)
    {
        var words = WordsFor(subscriber.Language);
        var zone = DigestSchedule.Zone(subscriber.TimeZone);

        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#111827;\">")
            .Append("<div style=\"max-width:600px;margin:0 auto;padding:16px;\">")
            .Append("<h1 style=\"font-size:20px;margin:0 0 16px;\">").Append(Encode(title)).Append("</h1>");
        text.Append(title).Append("\n\n");

        foreach (var item in ordered)
        {
            var severity = words[item.Severity.ToString().ToLowerInvariant()];
            var published = item.Published is { } p ? TimeZoneInfo.ConvertTime(p, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + subscriber.TimeZone + ")" : "";
            var countryNames = item.Countries.Select(c => gazetteer.Countries.TryGetValue(c, out var country) ? country.NameIn(subscriber.Language) : c).ToList();
            // "Goma, North Kivu, DR Congo" for the main country when the story names a place in it.
            var countries = string.Join(", ", item.Place is { } place && countryNames.Count > 0 && item.Countries[0] == place.Country
                ? [place.Label + ", " + countryNames[0], .. countryNames.Skip(1)]
                : countryNames);
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

        var unsubscribe = unsubscribeUrl == EmailMessage.UnsubscribePlaceholder ? unsubscribeUrl
            : SafeLink(unsubscribeUrl) ?? throw new ArgumentException("The unsubscribe link must be http or https.", nameof(unsubscribeUrl));
        html.Append("<p style=\"font-size:12px;color:#6b7280;\">").Append(Encode(footer)).Append(" <a href=\"").Append(Encode(unsubscribe))
            .Append("\" style=\"color:#6b7280;\">").Append(Encode(words["unsubscribe"])).Append("</a></p></div></body></html>");
        text.Append(footer).Append('\n').Append(words["unsubscribe"]).Append(": ").Append(unsubscribe).Append('\n');
        return new EmailContent(subject, html.ToString(), text.ToString());
    }

    /// <summary>"3 critical, 5 warning: Kazakhstan, Sudan": counts by severity and the three most frequent countries.</summary>
    private static string Subject(IReadOnlyList<DigestItem> items, Dictionary<string, string> words, Gazetteer gazetteer, string? language)
    {
        var counts = items.GroupBy(i => i.Severity).OrderByDescending(g => g.Key)
            .Select(g => $"{g.Count()} {words[g.Key.ToString().ToLowerInvariant()]}");
        var countries = items.SelectMany(i => i.Countries.Take(1)).GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(3).Select(g => gazetteer.Countries.TryGetValue(g.Key, out var c) ? c.NameIn(language) : g.Key).ToList();
        var subject = string.Join(", ", counts) + (countries.Count > 0 ? ": " + string.Join(", ", countries) : "");
        return Clip(OneLine(subject));
    }

    private static string Clip(string subject) => subject.Length <= MaxSubject ? subject : subject[..(MaxSubject - 1)] + "…";

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
