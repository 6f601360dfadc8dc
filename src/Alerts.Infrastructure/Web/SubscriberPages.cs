using System.Globalization;
using System.Net;
using System.Text;
using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Core.Texts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The subscriber's own pages, server-rendered and working without scripts, in their language: the sign-up form and the
/// preferences page (the same fields, filled in, plus pause, resume, subscribe again, unsubscribe and erase). Every
/// value shown is HTML-encoded; the pages load nothing from elsewhere (<see cref="HtmlPage.SecureHeaders"/>).
/// </summary>
internal static class SubscriberPages
{
    /// <summary>The nine default signals, then the trend signals (surges and silences in the reporting on a country), in the order the form lists them.</summary>
    internal static readonly string[] Signals = ["state-of-emergency", "martial-law", "curfew", "internet-shutdown", "foreign-troops", "live-fire", "fatalities", "mass-arrests", "coup", Core.Situation.TrendSignals.Surge, Core.Situation.TrendSignals.Silence];

    private static readonly string[] Zones =
    [
        "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow",
        "Africa/Abidjan", "Africa/Dakar", "Africa/Lagos", "Africa/Kinshasa", "Africa/Khartoum", "Africa/Addis_Ababa", "Africa/Nairobi", "Africa/Johannesburg",
        "Asia/Tehran", "Asia/Dubai", "Asia/Karachi", "Asia/Almaty", "Asia/Kolkata", "Asia/Dhaka", "Asia/Yangon", "Asia/Bangkok", "Asia/Jakarta",
        "Asia/Manila", "Asia/Hong_Kong", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
        "America/Sao_Paulo", "America/Buenos_Aires", "America/Santiago", "America/Bogota", "America/Lima", "America/Caracas", "America/Mexico_City",
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Port-au-Prince",
    ];

    /// <summary>The sign-up page: the form, empty or as sent with what was wrong.</summary>
    public static IActionResult SignUp(HttpResponse response, int status, PageWords words, SubscribeRequest? sent = null, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var body = new StringBuilder()
            .Append(Paragraph(words["signup_intro"]))
            .Append(Errors(errors, words))
            .Append("<form method=\"post\" action=\"/api/subscribe\" accept-charset=\"utf-8\">")
            .Append(Hidden("form", "1"))
            .Append(Field("email", words["address"], Input("email", "email", sent?.Email, required: true, autocomplete: "email")))
            .Append(Fields(words, Preferences.From(sent, words.Language)))
            .Append(Field("channel", words["signup_channel"], Select("channel", [("none", words["signup_channel_none"]), ("webhook", "Webhook"), ("slack", "Slack"), ("teams", "Microsoft Teams"), ("telegram", "Telegram")], [sent?.Channel ?? "none"])))
            .Append(Field("channelTarget", words["channel_target"], Input("channelTarget", "text", sent?.ChannelTarget), words["channel_target_hint"]))
            .Append(Submit(words["signup_button"]))
            .Append("</form>");
        return Page(response, status, words, words["signup_title"], body.ToString());
    }

    /// <summary>The preferences page of <paramref name="subscriber"/>, reached with their link's <paramref name="token"/>.</summary>
    public static IActionResult Manage(HttpResponse response, int status, PageWords words, Subscriber subscriber, string token, DateTimeOffset now, string? notice = null, SubscribeRequest? sent = null, IReadOnlyDictionary<string, string[]>? errors = null, string? feedBase = null)
    {
        var action = "/api/preferences?token=" + Uri.EscapeDataString(token);
        var body = new StringBuilder();
        if (notice is not null)
        {
            body.Append("<p role=\"status\" style=\"background:#ecfdf5;border:1px solid #10b981;border-radius:6px;padding:10px 12px;\">").Append(Encode(notice)).Append("</p>");
        }

        body.Append(Paragraph(string.Format(CultureInfo.InvariantCulture, words["manage_intro"], subscriber.Email)));
        if (subscriber.Status == SubscriberStatus.Unsubscribed)
        {
            body.Append(Paragraph(words["manage_unsubscribed"])).Append(ActionForm(action, "resubscribe", words["resubscribe_button"], primary: true));
        }
        else if (subscriber.IsPausedAt(now))
        {
            var until = words.Texts.FormatDateTime(TimeZoneInfo.ConvertTime(subscriber.PausedUntil!.Value, DigestSchedule.Zone(subscriber.TimeZone)));
            body.Append(Paragraph(string.Format(CultureInfo.InvariantCulture, words["paused_until"], until, subscriber.TimeZone))).Append(ActionForm(action, "resume", words["resume_button"], primary: true));
        }

        body.Append(Errors(errors, words))
            .Append("<h2 style=\"font-size:18px;margin:24px 0 8px;\">").Append(Encode(words["preferences_title"])).Append("</h2>")
            .Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\" accept-charset=\"utf-8\">")
            .Append(Hidden("form", "1")).Append(Hidden("action", "save"))
            .Append(Fields(words, sent is null ? Preferences.From(subscriber) : Preferences.From(sent)))
            .Append(Submit(words["save_button"]))
            .Append("</form>");
        if (subscriber.Status != SubscriberStatus.Unsubscribed && !subscriber.IsPausedAt(now))
        {
            body.Append("<h2 style=\"font-size:18px;margin:24px 0 8px;\">").Append(Encode(words["pause_title"])).Append("</h2>")
                .Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\">").Append(Hidden("action", "pause"))
                .Append(Field("days", words["pause_days"], "<input id=\"days\" name=\"days\" type=\"number\" min=\"1\" max=\"" + SubscriptionService.MaxPauseDays + "\" value=\"7\" required style=\"" + InputStyle + "max-width:120px;\">"))
                .Append(Submit(words["pause_button"])).Append("</form>");
        }

        body.Append(Channels(words, subscriber, action));
        if (feedBase is not null && subscriber.Status == SubscriberStatus.Active)
        {
            body.Append("<h2 style=\"font-size:18px;margin:24px 0 8px;\">").Append(Encode(words["feed_title"])).Append("</h2>").Append(Paragraph(words["feed_intro"]));
            if (PersonalFeed.TokenFor(subscriber) is { } feedToken)
            {
                var atom = feedBase + "?token=" + Uri.EscapeDataString(feedToken);
                body.Append("<p style=\"overflow-wrap:anywhere;\"><a href=\"").Append(Encode(atom)).Append("\">Atom</a> · <a href=\"").Append(Encode(atom + "&format=json")).Append("\">JSON Feed</a><br><code style=\"font-size:13px;\">")
                    .Append(Encode(atom)).Append("</code></p>").Append(ActionForm(action, "feed-replace", words["feed_replace_button"], primary: false));
                var board = feedBase[..^ApiRoutes.MyFeed.Length] + ApiRoutes.Board + "?token=" + Uri.EscapeDataString(feedToken);
                body.Append("<p><a href=\"").Append(Encode(board)).Append("\" style=\"color:#1d4ed8;\">").Append(Encode(words["board_link"])).Append("</a></p>");
            }
            else
            {
                body.Append(ActionForm(action, "feed-replace", words["feed_create_button"], primary: true));
            }
        }

        body.Append("<h2 style=\"font-size:18px;margin:24px 0 8px;\">").Append(Encode(words["leave_title"])).Append("</h2>");
        if (subscriber.Status != SubscriberStatus.Unsubscribed)
        {
            // The unsubscribe link's own one-click POST (RFC 8058), the same token.
            body.Append("<form method=\"post\" action=\"/api/unsubscribe?token=").Append(Encode(Uri.EscapeDataString(token))).Append("\">").Append(Submit(words["unsub_button"])).Append("</form>");
        }

        body.Append(Paragraph(words["erase_message"])).Append(ActionForm(action, "erase", words["erase_button"], primary: false));
        return Page(response, status, words, words["manage_title"], body.ToString());
    }

    /// <summary>The subscriber's channels (kind, host, state, test and remove) and the form to add one.</summary>
    private static string Channels(PageWords words, Subscriber subscriber, string action)
    {
        var sb = new StringBuilder("<h2 style=\"font-size:18px;margin:24px 0 8px;\">").Append(Encode(words["channels_title"])).Append("</h2>").Append(Paragraph(words["channels_intro"]));
        if (subscriber.Channels.Count == 0)
        {
            sb.Append(Paragraph(words["channel_none"]));
        }

        sb.Append("<ul style=\"list-style:none;padding:0;margin:0 0 12px;\">");
        foreach (var channel in subscriber.Channels)
        {
            var state = channel.Active ? words["channel_active"] : words["channel_waiting"];
            sb.Append("<li style=\"border:1px solid #d1d5db;border-radius:6px;padding:8px 12px;margin:0 0 8px;\"><strong>").Append(Encode(channel.Kind.ToString())).Append("</strong> · ")
                .Append("<span style=\"overflow-wrap:anywhere;\">").Append(Encode(channel.RedactedTarget)).Append("</span> · ").Append(Encode(state));
            if (channel.LastError is { } error)
            {
                sb.Append("<br><span style=\"color:#b91c1c;font-size:13px;overflow-wrap:anywhere;\">").Append(Encode(error)).Append("</span>");
            }

            sb.Append("<div style=\"display:flex;gap:8px;flex-wrap:wrap;\">")
                .Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\">").Append(Hidden("action", "channel-verify")).Append(Hidden("channel", channel.Id)).Append(Submit(words["channel_verify_button"])).Append("</form>")
                .Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\">").Append(Hidden("action", "channel-remove")).Append(Hidden("channel", channel.Id)).Append(Submit(words["channel_remove_button"], primary: false)).Append("</form>")
                .Append("</div></li>");
        }

        sb.Append("</ul>");
        if (subscriber.Channels.Count < Subscriber.MaxChannels)
        {
            sb.Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\" accept-charset=\"utf-8\">").Append(Hidden("action", "channel-add"))
                .Append(Field("kind", words["channel_kind"], Select("kind", [("webhook", "Webhook"), ("slack", "Slack"), ("teams", "Microsoft Teams"), ("telegram", "Telegram")], ["slack"])))
                .Append(Field("target", words["channel_target"], Input("target", "text", ""), words["channel_target_hint"]))
                .Append(Submit(words["channel_add_button"])).Append("</form>");
        }

        return sb.ToString();
    }

    /// <summary>The subscription fields shared by both forms.</summary>
    private static string Fields(PageWords words, Preferences p)
    {
        var sb = new StringBuilder();
        sb.Append(Field("name", words["name"], Input("name", "text", p.Name, autocomplete: "name")));
        sb.Append(Field("language", words["language"], Select("language", [.. TextCatalog.Languages.Select(l => (l, TextCatalog.For(l).Name))], [p.Language])));
        sb.Append(Field("timeZone", words["zone"], Select("timeZone", [.. Zones.Union([p.Zone]).Select(z => (z, z.Replace('_', ' ')))], [p.Zone])));
        var countryNames = Gazetteer.Default.Countries.Values.Select(c => c.NameIn(words.Language)).Order(StringComparer.Create(words.Texts.Culture, true)).ToList();
        sb.Append(Field("countries", words["countries_field"], Input("countries", "text", string.Join(", ", p.Countries.Select(c => Gazetteer.Default.Countries.TryGetValue(c, out var country) ? country.NameIn(words.Language) : c)), list: "country-names")
            + "<datalist id=\"country-names\">" + string.Concat(countryNames.Select(n => "<option value=\"" + Encode(n) + "\"></option>")) + "</datalist>", words["countries_hint"]));
        var regions = Gazetteer.Default.Countries.Values.SelectMany(c => new[] { c.Region, c.SubRegion }).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        sb.Append(Field("regions", words["regions_field"], Select("regions", [.. regions.Select(r => (r, r))], p.Regions, multiple: true), words["regions_hint"]));
        sb.Append(Field("places", words["places_field"], Input("places", "text", string.Join(", ", p.Places)), words["places_hint"]));
        sb.Append("<fieldset style=\"border:1px solid #d1d5db;border-radius:6px;margin:0 0 14px;padding:8px 12px;\"><legend style=\"font-weight:bold;\">").Append(Encode(words["signals_field"])).Append("</legend>")
            .Append("<p style=\"margin:0 0 6px;font-size:13px;color:#4b5563;\">").Append(Encode(words["signals_hint"])).Append("</p>");
        foreach (var signal in Signals)
        {
            var label = words.Signal(signal);
            sb.Append("<label style=\"display:block;padding:4px 0;\"><input type=\"checkbox\" name=\"signals\" value=\"").Append(signal).Append('"').Append(p.Signals.Contains(signal) ? " checked" : "")
                .Append("> ").Append(Encode(label)).Append("</label>");
        }

        sb.Append("</fieldset>");
        sb.Append(Field("minimumSeverity", words["severity_field"], Select("minimumSeverity", [.. new[] { Severity.Watch, Severity.Warning, Severity.Critical }.Select(s => (s.ToString().ToLowerInvariant(), DigestRenderer.SeverityName(s, words.Language)))], [p.Severity])));
        sb.Append(Checkbox("immediateCritical", words["immediate_field"], p.Immediate));
        sb.Append(Checkbox("immediateByEmail", words["immediate_email_field"], p.ImmediateByEmail));
        sb.Append(Field("frequency", words["frequency_field"], Select("frequency", [("none", words["none"]), ("hourly", words["hourly"]), ("daily", words["daily_plain"]), ("weekly", words["weekly_plain"])], [p.Frequency])));
        sb.Append(Field("at", words["at_field"], "<input id=\"at\" name=\"at\" type=\"time\" value=\"" + Encode(p.At) + "\" style=\"" + InputStyle + "max-width:160px;\">"));
        var culture = words.Texts.Culture;
        sb.Append(Field("day", words["day_field"], Select("day", [.. Enum.GetValues<DayOfWeek>().Select(d => (d.ToString().ToLowerInvariant(), culture.DateTimeFormat.GetDayName(d)))], [p.Day])));
        return sb.ToString();
    }

    /// <summary>The values a form shows: what was sent (to correct it) or what is stored.</summary>
    private sealed record Preferences(string Name, string Language, string Zone, IReadOnlyList<string> Countries, IReadOnlyList<string> Regions, IReadOnlyList<string> Places,
        IReadOnlyList<string> Signals, string Severity, bool Immediate, bool ImmediateByEmail, string Frequency, string At, string Day)
    {
        public static Preferences From(Subscriber s)
        {
            var p = s.Preferences;
            return new(s.DisplayName, s.Language, s.TimeZone, p.Countries, p.Regions, p.Places, p.Signals, p.MinimumSeverity.ToString().ToLowerInvariant(), p.ImmediateCritical, p.ImmediateByEmail,
                p.Frequency.ToString().ToLowerInvariant(), p.At.ToString("HH:mm", CultureInfo.InvariantCulture), p.Day.ToString().ToLowerInvariant());
        }

        /// <summary>What was sent, or the defaults: the page's own language first.</summary>
        public static Preferences From(SubscribeRequest? r, string language = "en")
        {
            var defaults = new SubscriberPreferences();
            return new(r?.Name ?? "", r?.Language ?? language, r?.TimeZone ?? "UTC", r?.Countries ?? [], r?.Regions ?? [], r?.Places ?? [], r?.Signals ?? [],
                r?.MinimumSeverity ?? defaults.MinimumSeverity.ToString().ToLowerInvariant(), r?.ImmediateCritical ?? defaults.ImmediateCritical, r?.ImmediateByEmail ?? defaults.ImmediateByEmail,
                r?.Frequency ?? defaults.Frequency.ToString().ToLowerInvariant(), r?.At ?? defaults.At.ToString("HH:mm", CultureInfo.InvariantCulture), r?.Day ?? defaults.Day.ToString().ToLowerInvariant());
        }
    }

    private const string InputStyle = "display:block;width:100%;box-sizing:border-box;font-size:16px;padding:8px;border:1px solid #9ca3af;border-radius:6px;";

    private static string Field(string id, string label, string control, string? hint = null) =>
        "<div style=\"margin:0 0 14px;\"><label for=\"" + id + "\" style=\"display:block;font-weight:bold;margin:0 0 4px;\">" + Encode(label) + "</label>"
        + (hint is null ? "" : "<p id=\"" + id + "-hint\" style=\"margin:0 0 4px;font-size:13px;color:#4b5563;\">" + Encode(hint) + "</p>") + control + "</div>";

    private static string Input(string name, string type, string? value, bool required = false, string? autocomplete = null, string? list = null) =>
        "<input id=\"" + name + "\" name=\"" + name + "\" type=\"" + type + "\" value=\"" + Encode(value ?? "") + "\"" + (required ? " required" : "")
        + (autocomplete is null ? "" : " autocomplete=\"" + autocomplete + "\"") + (list is null ? "" : " list=\"" + list + "\"") + " style=\"" + InputStyle + "\">";

    private static string Select(string name, IReadOnlyList<(string Value, string Label)> options, IEnumerable<string> selected, bool multiple = false)
    {
        var chosen = selected.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return "<select id=\"" + name + "\" name=\"" + name + "\"" + (multiple ? " multiple size=\"6\"" : "") + " style=\"" + InputStyle + "\">"
            + string.Concat(options.Select(o => "<option value=\"" + Encode(o.Value) + "\"" + (chosen.Contains(o.Value) ? " selected" : "") + ">" + Encode(o.Label) + "</option>")) + "</select>";
    }

    private static string Checkbox(string name, string label, bool on) =>
        "<div style=\"margin:0 0 14px;\"><label style=\"display:flex;gap:8px;align-items:flex-start;\"><input type=\"checkbox\" id=\"" + name + "\" name=\"" + name + "\" value=\"on\"" + (on ? " checked" : "")
        + " style=\"margin-top:4px;\"> <span>" + Encode(label) + "</span></label></div>";

    private static string Hidden(string name, string value) => "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Encode(value) + "\">";

    private static string Submit(string label, bool primary = true) =>
        "<button type=\"submit\" style=\"font-size:16px;padding:10px 18px;border:0;border-radius:6px;cursor:pointer;margin:4px 0 8px;"
        + (primary ? "background:#1d4ed8;color:#fff;" : "background:#b91c1c;color:#fff;") + "\">" + Encode(label) + "</button>";

    private static string ActionForm(string action, string what, string label, bool primary) =>
        "<form method=\"post\" action=\"" + Encode(action) + "\">" + Hidden("action", what) + Submit(label, primary) + "</form>";

    private static string Paragraph(string text) => "<p style=\"font-size:16px;line-height:1.5;\">" + Encode(text) + "</p>";

    // The form's label of each field the service validates, as the page's words name it.
    private static readonly Dictionary<string, string> FieldLabels = new(StringComparer.Ordinal)
    {
        ["email"] = "address", ["name"] = "name", ["timeZone"] = "zone", ["language"] = "language", ["minimumSeverity"] = "severity_field",
        ["at"] = "at_field", ["frequency"] = "frequency_field", ["day"] = "day_field", ["countries"] = "countries_field",
        ["regions"] = "regions_field", ["places"] = "places_field", ["signals"] = "signals_field", ["lists"] = "signals_field",
        ["channel"] = "channel_kind", ["channelTarget"] = "channel_target",
    };

    /// <summary>What to correct, field by field, in the page's language (the service's own English message for a field it has no words for).</summary>
    private static string Errors(IReadOnlyDictionary<string, string[]>? errors, PageWords words) =>
        errors is not { Count: > 0 } ? "" :
            "<div role=\"alert\" style=\"background:#fef2f2;border:1px solid #ef4444;border-radius:6px;padding:10px 12px;margin:0 0 16px;\"><strong>" + Encode(words["errors_title"]) + "</strong><ul style=\"margin:6px 0 0;padding-inline-start:18px;\">"
            + string.Concat(errors.Select(e => "<li>" + Encode((FieldLabels.TryGetValue(e.Key, out var label) ? words[label] : e.Key) + words.Texts.Email["colon"] + " " + (words.Find("error_" + e.Key) ?? string.Join(" ", e.Value))) + "</li>")) + "</ul></div>";

    internal static ContentResult Page(HttpResponse response, int status, PageWords words, string title, string body)
    {
        HtmlPage.SecureHeaders(response);
        var html = "<!DOCTYPE html>" + words.Texts.HtmlStart + "<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"robots\" content=\"noindex\"><title>" + Encode(title) + " · Crisis Alerts</title></head>"
            + "<body style=\"margin:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#111827;\">"
            + "<main style=\"max-width:640px;margin:24px auto;padding:20px;background:#fff;border-radius:8px;\">"
            + "<p style=\"margin:0 0 8px;font-size:13px;color:#4b5563;\">Crisis Alerts</p><h1 dir=\"auto\" style=\"font-size:22px;margin:0 0 12px;\">" + Encode(title) + "</h1>"
            + body + "</main></body></html>";
        return new ContentResult { StatusCode = status, ContentType = "text/html; charset=utf-8", Content = html };
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
