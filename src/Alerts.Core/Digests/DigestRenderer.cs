using System.Globalization;
using System.Net;
using System.Text;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Digests;

/// <summary>A rendered email: one-line subject, HTML with inline CSS, and a plain-text part.</summary>
public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>What a digest covers: alerts changed after <see cref="From"/> (null: everything so far) until <see cref="To"/>.</summary>
public readonly record struct DigestPeriod(DateTimeOffset? From, DateTimeOffset To);

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
            ["critical"] = "critical", ["warning"] = "warning", ["watch"] = "watch", ["none"] = "none", ["sources"] = "Sources", ["story_page"] = "The whole story: every source and its evidence",
            ["published"] = "Published", ["countries"] = "Countries", ["why"] = "Why", ["unsubscribe"] = "Unsubscribe",
            ["omitted"] = "{0} more matching alerts were left out of this digest for length.",
            ["title"] = "Crisis Alerts digest", ["footer"] = "You receive this digest because you subscribed to Crisis Alerts.",
            ["breaking_title"] = "Critical alert", ["breaking_subject"] = "Critical", ["colon"] = ":",
            ["count_critical"] = "{0} critical", ["count_critical_many"] = "{0} critical", ["count_warning"] = "{0} warning", ["count_warning_many"] = "{0} warnings",
            ["count_watch"] = "{0} to watch", ["count_watch_many"] = "{0} to watch",
            ["period"] = "{0}, alerts since {1}", ["period_all"] = "{0}", ["culture"] = "en-GB",
            ["breaking_footer"] = "You receive immediate alerts because you turned them on in your Crisis Alerts subscription.",
            ["confirm_subject"] = "Confirm your Crisis Alerts subscription", ["confirm_button"] = "Confirm my subscription",
            ["confirm_body"] = "Someone, hopefully you, asked to receive Crisis Alerts at this address. Nothing will be sent until you confirm.",
            ["confirm_ignore"] = "If you did not ask for this, ignore this email.",
            ["open"] = "Read the report", ["preferences"] = "Change preferences or pause",
            ["feedback"] = "Was this alert right?", ["useful"] = "Useful", ["false_alarm"] = "False alarm", ["wrong_place"] = "Wrong place", ["channel_test"] = "Crisis Alerts test message: this channel will receive critical alerts for your subscription.",
        },
        ["fr"] = new()
        {
            ["critical"] = "critique", ["warning"] = "alerte", ["watch"] = "veille", ["none"] = "aucune", ["sources"] = "Sources", ["story_page"] = "Toute l'histoire : chaque source et ses preuves",
            ["published"] = "Publié", ["countries"] = "Pays", ["why"] = "Pourquoi", ["unsubscribe"] = "Se désabonner",
            ["omitted"] = "{0} autres alertes correspondantes ont été omises de ce résumé pour sa longueur.",
            ["title"] = "Résumé Crisis Alerts", ["footer"] = "Vous recevez ce résumé car vous êtes abonné à Crisis Alerts.",
            ["breaking_title"] = "Alerte critique", ["breaking_subject"] = "Critique", ["colon"] = "\u00A0:",
            ["count_critical"] = "{0} critique", ["count_critical_many"] = "{0} critiques", ["count_warning"] = "{0} alerte", ["count_warning_many"] = "{0} alertes",
            ["count_watch"] = "{0} en veille", ["count_watch_many"] = "{0} en veille",
            ["period"] = "{0}, alertes depuis le {1}", ["period_all"] = "{0}", ["culture"] = "fr-FR",
            ["breaking_footer"] = "Vous recevez les alertes immédiates car vous les avez activées dans votre abonnement à Crisis Alerts.",
            ["confirm_subject"] = "Confirmez votre abonnement à Crisis Alerts", ["confirm_button"] = "Confirmer mon abonnement",
            ["confirm_body"] = "Quelqu'un, sans doute vous, a demandé à recevoir Crisis Alerts à cette adresse. Rien ne sera envoyé avant votre confirmation.",
            ["confirm_ignore"] = "Si vous n'avez rien demandé, ignorez ce message.",
            ["open"] = "Lire l'article", ["preferences"] = "Modifier mes préférences ou faire une pause",
            ["feedback"] = "Cette alerte était-elle juste ?", ["useful"] = "Utile", ["false_alarm"] = "Fausse alerte", ["wrong_place"] = "Mauvais lieu", ["channel_test"] = "Message de test de Crisis Alerts : ce canal recevra les alertes critiques de votre abonnement.",
        },
        ["es"] = new()
        {
            ["critical"] = "crítica", ["warning"] = "alerta", ["watch"] = "vigilancia", ["none"] = "ninguna", ["sources"] = "Fuentes", ["story_page"] = "Toda la historia: cada fuente y sus pruebas",
            ["published"] = "Publicado", ["countries"] = "Países", ["why"] = "Por qué", ["unsubscribe"] = "Darse de baja",
            ["omitted"] = "Se omitieron {0} alertas más que coinciden, por la extensión de este resumen.",
            ["title"] = "Resumen de Crisis Alerts", ["footer"] = "Recibe este resumen porque se suscribió a Crisis Alerts.",
            ["breaking_title"] = "Alerta crítica", ["breaking_subject"] = "Crítica", ["colon"] = ":",
            ["count_critical"] = "{0} crítica", ["count_critical_many"] = "{0} críticas", ["count_warning"] = "{0} alerta", ["count_warning_many"] = "{0} alertas",
            ["count_watch"] = "{0} en vigilancia", ["count_watch_many"] = "{0} en vigilancia",
            ["period"] = "{0}, alertas desde el {1}", ["period_all"] = "{0}", ["culture"] = "es-ES",
            ["breaking_footer"] = "Recibe alertas inmediatas porque las activó en su suscripción a Crisis Alerts.",
            ["confirm_subject"] = "Confirme su suscripción a Crisis Alerts", ["confirm_button"] = "Confirmar mi suscripción",
            ["confirm_body"] = "Alguien, probablemente usted, pidió recibir Crisis Alerts en esta dirección. No se enviará nada hasta que confirme.",
            ["confirm_ignore"] = "Si no lo pidió, ignore este mensaje.",
            ["open"] = "Leer la noticia", ["preferences"] = "Cambiar preferencias o pausar",
            ["feedback"] = "¿Era correcta esta alerta?", ["useful"] = "Útil", ["false_alarm"] = "Falsa alarma", ["wrong_place"] = "Lugar equivocado", ["channel_test"] = "Mensaje de prueba de Crisis Alerts: este canal recibirá las alertas críticas de su suscripción.",
        },
    };

    /// <summary>
    /// The default signals' labels in French and Spanish (the lists' own labels are English); a signal of another list
    /// keeps its list's label.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, string>> SignalLabels = new(StringComparer.Ordinal)
    {
        ["fr"] = new(StringComparer.Ordinal)
        {
            ["state-of-emergency"] = "État d'urgence", ["martial-law"] = "Loi martiale", ["curfew"] = "Couvre-feu", ["internet-shutdown"] = "Coupure d'internet",
            ["foreign-troops"] = "Troupes étrangères", ["live-fire"] = "Tirs à balles réelles", ["fatalities"] = "Morts", ["mass-arrests"] = "Arrestations massives", ["coup"] = "Coup d'État",
            ["surge"] = "Afflux d'articles", ["silence"] = "Silence des sources",
        },
        ["es"] = new(StringComparer.Ordinal)
        {
            ["state-of-emergency"] = "Estado de emergencia", ["martial-law"] = "Ley marcial", ["curfew"] = "Toque de queda", ["internet-shutdown"] = "Corte de internet",
            ["foreign-troops"] = "Tropas extranjeras", ["live-fire"] = "Disparos con fuego real", ["fatalities"] = "Muertos", ["mass-arrests"] = "Detenciones masivas", ["coup"] = "Golpe de Estado",
            ["surge"] = "Aumento de la cobertura", ["silence"] = "Silencio informativo",
        },
    };

    private static readonly Dictionary<Severity, string> Colors = new()
    {
        [Severity.Critical] = "#b00020", [Severity.Warning] = "#b45309", [Severity.Watch] = "#1d4ed8", [Severity.None] = "#4b5563",
    };

    /// <summary>A digest of <paramref name="items"/>; <paramref name="unsubscribeUrl"/> may be <see cref="EmailMessage.UnsubscribePlaceholder"/>.</summary>
    /// <remarks><paramref name="omitted"/> more matching stories were left out for length: a closing line says so.</remarks>
    /// <remarks>
    /// With <paramref name="period"/>, the heading says when the digest was made and since when its alerts run, in the
    /// subscriber's zone and language ("5 December 2026, 07:00, alerts since 4 December 2026, 07:00").
    /// </remarks>
    public static EmailContent Render(Subscriber subscriber, IReadOnlyList<DigestItem> items, string unsubscribeUrl, Gazetteer? gazetteer = null, int omitted = 0, DigestPeriod? period = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(items);
        gazetteer ??= Gazetteer.Default;
        var words = WordsFor(subscriber.Language);
        var ordered = items.OrderByDescending(i => i.Severity).ThenByDescending(i => i.Published).ToList();
        var footer = omitted > 0 ? string.Format(CultureInfo.InvariantCulture, words["omitted"], omitted) + " " + words["footer"] : words["footer"];
        var subtitle = period is { } p ? PeriodText(p, subscriber, words) : null;
        return Build(subscriber, ordered, unsubscribeUrl, Subject(ordered, words, gazetteer, subscriber.Language), words["title"], footer, gazetteer, subtitle);
    }

    private static string PeriodText(DigestPeriod period, Subscriber subscriber, Dictionary<string, string> words)
    {
        var zone = DigestSchedule.Zone(subscriber.TimeZone);
        var culture = CultureFor(subscriber.Language);
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("d MMMM yyyy, HH:mm", culture);
        var made = Local(period.To) + " (" + subscriber.TimeZone + ")";

        // A first digest covers everything found so far: no "since".
        return period.From is { } from && from > DateTimeOffset.MinValue.AddYears(1) && from < period.To
            ? string.Format(CultureInfo.InvariantCulture, words["period"], made, Local(from))
            : string.Format(CultureInfo.InvariantCulture, words["period_all"], made);
    }

    /// <summary>An immediate alert for one critical story: subject "Critical: title", the story, and why it matched.</summary>
    public static EmailContent RenderBreaking(Subscriber subscriber, DigestItem item, string unsubscribeUrl, Gazetteer? gazetteer = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(item);
        var words = WordsFor(subscriber.Language);
        gazetteer ??= Gazetteer.Default;

        var subject = Clip(Headline(item, subscriber.Language, gazetteer));
        return Build(subscriber, [item], unsubscribeUrl, subject, words["breaking_title"], words["breaking_footer"], gazetteer, null);
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

    /// <summary>
    /// "Critical, Mali: Soldiers fire on protesters in Bamako": the country first, so that a phone's list shows it (one
    /// line, not clipped).
    /// </summary>
    internal static string Headline(DigestItem item, string? language, Gazetteer gazetteer)
    {
        var words = WordsFor(language);
        var country = item.Countries.Count > 0 && gazetteer.Countries.TryGetValue(item.Countries[0], out var c) ? c.NameIn(language) : null;
        return OneLine(words["breaking_subject"] + (country is null ? "" : ", " + country) + words["colon"] + " " + item.Title);
    }

    /// <summary>"Goma, North Kivu, DR Congo, Rwanda": the story's place and its countries, named in <paramref name="language"/>.</summary>
    internal static string Where(DigestItem item, string? language, Gazetteer gazetteer)
    {
        var countryNames = item.Countries.Select(c => gazetteer.Countries.TryGetValue(c, out var country) ? country.NameIn(language) : c).ToList();
        return string.Join(", ", item.Place is { } place && countryNames.Count > 0 && item.Countries[0] == place.Country
            ? [place.Label + ", " + countryNames[0], .. countryNames.Skip(1)]
            : countryNames);
    }

    /// <summary>A feedback answer's name in <paramref name="language"/> ("Fausse alerte").</summary>
    internal static string FeedbackLabel(Feedback.FeedbackKind kind, string? language) => Word(language, Feedback.FeedbackService.Slug(kind).Replace('-', '_'));

    /// <summary>One of the template's own words in <paramref name="language"/> (English for others).</summary>
    public static string Word(string? language, string key) => WordsFor(language)[key];

    /// <summary>A severity's name in the email language (<c>critique</c>, <c>alerta</c>; English for others).</summary>
    public static string SeverityName(Severity severity, string? language) => WordsFor(language)[severity.ToString().ToLowerInvariant()];

    /// <summary>The culture dates are written in for the email language (en-GB, fr-FR, es-ES).</summary>
    public static CultureInfo CultureFor(string? language) => CultureInfo.GetCultureInfo(WordsFor(language)["culture"]);

    private static Dictionary<string, string> WordsFor(string? language) => Words.GetValueOrDefault(language ?? "en") ?? Words["en"];

    private static EmailContent Build(Subscriber subscriber, IReadOnlyList<DigestItem> ordered, string unsubscribeUrl, string subject, string title, string footer, Gazetteer gazetteer, string? subtitle)
    {
        var words = WordsFor(subscriber.Language);
        var colon = words["colon"];
        var zone = DigestSchedule.Zone(subscriber.TimeZone);

        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#111827;\">")
            .Append("<div style=\"max-width:600px;margin:0 auto;padding:16px;\">")
            .Append("<h1 style=\"font-size:20px;margin:0 0 ").Append(subtitle is null ? "16px" : "4px").Append(";\">").Append(Encode(title)).Append("</h1>");
        text.Append(title).Append('\n');
        if (subtitle is not null)
        {
            html.Append("<p style=\"font-size:13px;color:#4b5563;margin:0 0 16px;\">").Append(Encode(subtitle)).Append("</p>");
            text.Append(subtitle).Append('\n');
        }

        text.Append('\n');

        // The preferences page, and the feedback links under it, go with the placeholder the dispatcher fills per
        // recipient (their own signed token): only in emails sent to subscribers, not in a preview.
        var preferences = unsubscribeUrl == EmailMessage.UnsubscribePlaceholder ? EmailMessage.PreferencesPlaceholder : null;
        foreach (var item in ordered)
        {
            var severity = words[item.Severity.ToString().ToLowerInvariant()];
            var published = item.Published is { } p ? TimeZoneInfo.ConvertTime(p, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + subscriber.TimeZone + ")" : "";
            var countries = Where(item, subscriber.Language, gazetteer);
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
                .Append(Encode(words["sources"])).Append(" (").Append(item.Sources.Count).Append(')').Append(Encode(colon)).Append(' ').Append(Encode(string.Join(", ", item.Sources)));
            if (published.Length > 0)
            {
                html.Append("<br>").Append(Encode(words["published"])).Append(Encode(colon)).Append(' ').Append(Encode(published));
            }

            if (countries.Length > 0)
            {
                html.Append("<br>").Append(Encode(words["countries"])).Append(Encode(colon)).Append(' ').Append(Encode(countries));
            }

            if (SafeLink(item.StoryUrl) is { } story)
            {
                html.Append("<br><a href=\"").Append(Encode(story)).Append("\" style=\"color:#1d4ed8;\">").Append(Encode(words["story_page"])).Append("</a>");
            }

            html.Append("</p><p style=\"font-size:13px;margin:0;\"><strong>").Append(Encode(words["why"] + colon)).Append("</strong></p><ul style=\"font-size:13px;margin:4px 0 0;padding-left:18px;\">");
            text.Append('[').Append(severity.ToUpperInvariant()).Append("] ").Append(OneLine(item.Title)).Append('\n');
            if (link is not null)
            {
                text.Append(link).Append('\n');
            }

            text.Append(words["sources"]).Append(" (").Append(item.Sources.Count).Append(')').Append(colon).Append(' ').Append(string.Join(", ", item.Sources)).Append('\n');
            if (published.Length > 0)
            {
                text.Append(words["published"]).Append(colon).Append(' ').Append(published).Append('\n');
            }

            if (countries.Length > 0)
            {
                text.Append(words["countries"]).Append(colon).Append(' ').Append(countries).Append('\n');
            }

            if (SafeLink(item.StoryUrl) is { } storyText)
            {
                text.Append(words["story_page"]).Append(colon).Append(' ').Append(storyText).Append('\n');
            }

            // Signals shown by the same sentence are one line ("Curfew, Internet shutdown: …"), the matched words marked.
            foreach (var group in item.Signals.GroupBy(s => s.Evidence.Count > 0 ? OneLine(s.Evidence[0].Text) : ""))
            {
                var labels = string.Join(", ", group.Select(s => Label(s, subscriber.Language)));
                html.Append("<li><strong>").Append(Encode(labels)).Append("</strong>");
                if (group.Key.Length > 0)
                {
                    html.Append(Encode(colon)).Append(" <em>").Append(Highlighted(group.Key, group.Select(s => s.Evidence[0].Matched))).Append("</em>");
                }

                html.Append("</li>");
                text.Append("- ").Append(labels).Append(group.Key.Length > 0 ? colon + " " + group.Key : "").Append('\n');
            }

            html.Append("</ul>");
            if (preferences is not null)
            {
                // "Was this alert right? Useful · False alarm · Wrong place": the subscriber's page records it.
                var links = Enum.GetValues<Feedback.FeedbackKind>()
                    .Select(k => (Url: preferences + "&story=" + Uri.EscapeDataString(item.StoryId) + "&kind=" + Feedback.FeedbackService.Slug(k), Label: FeedbackLabel(k, subscriber.Language))).ToList();
                html.Append("<p style=\"font-size:12px;color:#4b5563;margin:8px 0 0;\">").Append(Encode(words["feedback"])).Append(' ')
                    .Append(string.Join(" · ", links.Select(l => "<a href=\"" + Encode(l.Url) + "\" style=\"color:#4b5563;\">" + Encode(l.Label) + "</a>"))).Append("</p>");
                text.Append(words["feedback"]).Append('\n');
                foreach (var (url, label) in links)
                {
                    text.Append("  ").Append(label).Append(colon).Append(' ').Append(url).Append('\n');
                }
            }

            html.Append("</div>");
            text.Append('\n');
        }

        var unsubscribe = unsubscribeUrl == EmailMessage.UnsubscribePlaceholder ? unsubscribeUrl
            : SafeLink(unsubscribeUrl) ?? throw new ArgumentException("The unsubscribe link must be http or https.", nameof(unsubscribeUrl));
        html.Append("<p style=\"font-size:12px;color:#6b7280;\">").Append(Encode(footer));
        if (preferences is not null)
        {
            html.Append(" <a href=\"").Append(Encode(preferences)).Append("\" style=\"color:#6b7280;\">").Append(Encode(words["preferences"])).Append("</a> ·");
        }

        html.Append(" <a href=\"").Append(Encode(unsubscribe)).Append("\" style=\"color:#6b7280;\">").Append(Encode(words["unsubscribe"])).Append("</a></p></div></body></html>");
        text.Append(footer).Append('\n');
        if (preferences is not null)
        {
            text.Append(words["preferences"]).Append(colon).Append(' ').Append(preferences).Append('\n');
        }

        text.Append(words["unsubscribe"]).Append(colon).Append(' ').Append(unsubscribe).Append('\n');
        return new EmailContent(subject, html.ToString(), text.ToString());
    }

    /// <summary>"3 critical, 5 warning: Kazakhstan, Sudan": counts by severity and the three most frequent countries.</summary>
    private static string Subject(IReadOnlyList<DigestItem> items, Dictionary<string, string> words, Gazetteer gazetteer, string? language)
    {
        var counts = items.GroupBy(i => i.Severity).OrderByDescending(g => g.Key)
            .Select(g => string.Format(CultureInfo.InvariantCulture, words[$"count_{g.Key.ToString().ToLowerInvariant()}{(g.Count() == 1 ? "" : "_many")}"], g.Count()));
        var countries = items.SelectMany(i => i.Countries.Take(1)).GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(3).Select(g => gazetteer.Countries.TryGetValue(g.Key, out var c) ? c.NameIn(language) : g.Key).ToList();
        var subject = string.Join(", ", counts) + (countries.Count > 0 ? words["colon"] + " " + string.Join(", ", countries) : "");
        return Clip(OneLine(subject));
    }

    /// <summary>A signal's label in <paramref name="language"/>: the default signals' French and Spanish labels, else the list's own.</summary>
    public static string Label(SignalMatch signal, string? language) =>
        language is not null && SignalLabels.TryGetValue(language, out var labels) && labels.TryGetValue(signal.Id, out var label) ? label : signal.Label;

    /// <summary>The snippet, HTML-encoded, with the first occurrence of each matched phrase in a &lt;mark&gt;.</summary>
    private static string Highlighted(string snippet, IEnumerable<string?> matched) =>
        string.Concat(Marked(snippet, matched).Select(p => p.Matched ? "<mark style=\"background:#fde68a;color:inherit;\">" + Encode(p.Text) + "</mark>" : Encode(p.Text)));

    /// <summary>The snippet cut into pieces, the first occurrence of each matched phrase its own piece marked as such.</summary>
    public static IEnumerable<(string Text, bool Matched)> Marked(string snippet, IEnumerable<string?> matched)
    {
        var spans = new List<(int Start, int End)>();
        foreach (var words in matched.OfType<string>().Select(OneLine).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var at = snippet.IndexOf(words, StringComparison.Ordinal);
            if (at >= 0 && !spans.Exists(s => at < s.End && s.Start < at + words.Length))
            {
                spans.Add((at, at + words.Length));
            }
        }

        var position = 0;
        foreach (var (start, end) in spans.OrderBy(s => s.Start))
        {
            if (start > position)
            {
                yield return (snippet[position..start], false);
            }

            yield return (snippet[start..end], true);
            position = end;
        }

        if (position < snippet.Length)
        {
            yield return (snippet[position..], false);
        }
    }

    private static string Clip(string subject) => subject.Length <= MaxSubject ? subject : subject[..(MaxSubject - 1)] + "…";

    /// <summary>The URL when it is absolute http or https; anything else (javascript:, data:, relative) gives no link.</summary>
    public static string? SafeLink(string? url) =>
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
