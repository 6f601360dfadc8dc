using System.Globalization;
using System.Net;
using System.Text;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Core.Texts;

namespace Alerts.Core.Digests;

/// <summary>A rendered email: one-line subject, HTML with inline CSS, and a plain-text part.</summary>
public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>What a digest covers: alerts changed after <see cref="From"/> (null: everything so far) until <see cref="To"/>.</summary>
public readonly record struct DigestPeriod(DateTimeOffset? From, DateTimeOffset To);

/// <summary>
/// Renders a digest: stories most severe first, each with its title linked (http and https only), its sources and their
/// count, its published time in the subscriber's zone, severity, countries and why it matched. All feed text is
/// HTML-encoded; the subject is one line of at most 150 characters. The template's own words are in the subscriber's
/// language (<see cref="TextCatalog"/>), right to left for Arabic and Persian.
/// </summary>
public static class DigestRenderer
{
    private const int MaxSubject = 150;

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

    private static string PeriodText(DigestPeriod period, Subscriber subscriber, IReadOnlyDictionary<string, string> words)
    {
        var zone = DigestSchedule.Zone(subscriber.TimeZone);
        var texts = TextCatalog.For(subscriber.Language);
        string Local(DateTimeOffset at) => texts.FormatDateTime(TimeZoneInfo.ConvertTime(at, zone));
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
        var texts = TextCatalog.For(language);
        var words = texts.Email;
        var link = SafeLink(confirmUrl) ?? throw new ArgumentException("The confirmation link must be http or https.", nameof(confirmUrl));
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>").Append(texts.HtmlStart).Append("<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
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
        return OneLine(words["breaking_subject"] + (country is null ? "" : ", " + country) + words["colon"] + " " + TitleOf(item, language));
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

    private static System.Collections.Frozen.FrozenDictionary<string, string> WordsFor(string? language) => TextCatalog.For(language).Email;

    private static EmailContent Build(Subscriber subscriber, IReadOnlyList<DigestItem> ordered, string unsubscribeUrl, string subject, string title, string footer, Gazetteer gazetteer, string? subtitle)
    {
        var texts = TextCatalog.For(subscriber.Language);
        var words = texts.Email;
        var colon = words["colon"];
        var zone = DigestSchedule.Zone(subscriber.TimeZone);

        var html = new StringBuilder();
        var text = new StringBuilder();
        var start = texts.RightToLeft ? "right" : "left";
        html.Append("<!DOCTYPE html>").Append(texts.HtmlStart).Append("<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
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
            var published = item.Published is { } p ? texts.FormatDateTime(TimeZoneInfo.ConvertTime(p, zone)) + " (" + subscriber.TimeZone + ")" : "";
            var countries = Where(item, subscriber.Language, gazetteer);
            var link = SafeLink(item.Url);
            html.Append("<div style=\"background:#ffffff;border-radius:8px;padding:12px 14px;margin:0 0 12px;border-").Append(start).Append(":4px solid ").Append(Colors[item.Severity]).Append(";\">")
                .Append("<div style=\"font-size:12px;font-weight:bold;text-transform:uppercase;color:").Append(Colors[item.Severity]).Append(";\">").Append(Encode(severity)).Append("</div>")
                .Append("<h2 dir=\"auto\" style=\"font-size:16px;line-height:1.35;margin:4px 0 8px;\">");
            if (link is not null)
            {
                html.Append("<a href=\"").Append(Encode(link)).Append("\" style=\"color:#111827;\">").Append(Encode(OneLine(TitleOf(item, subscriber.Language)))).Append("</a>");
            }
            else
            {
                html.Append(Encode(OneLine(TitleOf(item, subscriber.Language))));
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

            if (StoryLink(item, subscriber.Language) is { } story)
            {
                html.Append("<br><a href=\"").Append(Encode(story)).Append("\" style=\"color:#1d4ed8;\">").Append(Encode(words["story_page"])).Append("</a>");
            }

            html.Append("</p><p style=\"font-size:13px;margin:0;\"><strong>").Append(Encode(words["why"] + colon)).Append("</strong></p><ul style=\"font-size:13px;margin:4px 0 0;padding-").Append(start).Append(":18px;\">");
            text.Append('[').Append(severity.ToUpperInvariant()).Append("] ").Append(OneLine(TitleOf(item, subscriber.Language))).Append('\n');
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

            if (StoryLink(item, subscriber.Language) is { } storyText)
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
                    html.Append(Encode(colon)).Append(" <em dir=\"auto\">").Append(Highlighted(group.Key, group.Select(s => s.Evidence[0].Matched))).Append("</em>");
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
    private static string Subject(IReadOnlyList<DigestItem> items, IReadOnlyDictionary<string, string> words, Gazetteer gazetteer, string? language)
    {
        var counts = items.GroupBy(i => i.Severity).OrderByDescending(g => g.Key)
            .Select(g => string.Format(CultureInfo.InvariantCulture, words[$"count_{g.Key.ToString().ToLowerInvariant()}{(g.Count() == 1 ? "" : "_many")}"], g.Count()));
        var countries = items.SelectMany(i => i.Countries.Take(1)).GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(3).Select(g => gazetteer.Countries.TryGetValue(g.Key, out var c) ? c.NameIn(language) : g.Key).ToList();
        var subject = string.Join(", ", counts) + (countries.Count > 0 ? words["colon"] + " " + string.Join(", ", countries) : "");
        return Clip(OneLine(subject));
    }

    /// <summary>
    /// A signal's label in <paramref name="language"/>: a default signal's label in that language, else the list's own
    /// (English keeps the list's label, which an admin may have changed).
    /// </summary>
    public static string Label(SignalMatch signal, string? language) =>
        language is not null and not "en" && TextCatalog.Has(language) && TextCatalog.For(language).Signals.TryGetValue(signal.Id, out var label) ? label : signal.Label;

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

    /// <summary>The item's title for a subscriber in <paramref name="language"/> (a trend alert's in that language).</summary>
    public static string TitleOf(DigestItem item, string? language) => Situation.TrendSignals.TitleIn(item.StoryId, item.Title, item.Countries, language);

    /// <summary>The story page's link, opening in the subscriber's language (the page reads <c>lang</c>; the token is signed without it).</summary>
    private static string? StoryLink(DigestItem item, string? language) =>
        SafeLink(item.StoryUrl) is not { } url ? null
        : TextCatalog.Has(language) ? url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=" + language
        : url;

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
