using System.Globalization;
using System.Text;
using System.Text.Json;
using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Channels;

/// <summary>
/// Renders an alert (or a channel's test message) for each kind of channel, in the subscriber's language. Feed text is
/// always inert: JSON-escaped everywhere; in Slack only in <c>plain_text</c> objects (and, in the notification
/// fallback, with &amp;, &lt; and &gt; escaped as Slack asks); in Teams only in Adaptive Card <c>TextRun</c>s, which
/// take no Markdown; in Telegram HTML-escaped. Links are http(s) only.
/// </summary>
public static class ChannelRenderer
{
    public const string AlertEvent = "alert.critical";
    public const string TestEvent = "test";

    // Receivers' limits: Slack header 150 and section 3,000 characters; Telegram 4,096 characters a message.
    private const int MaxHeader = 150;
    private const int MaxSection = 2900;
    private const int MaxTelegram = 3800;
    private const int MaxSignals = 10;
    private const int MaxEvidence = 400;

    /// <summary>
    /// The message announcing <paramref name="item"/> on <paramref name="channel"/>; with <paramref name="feedbackUrl"/>
    /// (a signed link that can only record the subscriber's word on this story), the "useful / false alarm / wrong
    /// place" links that every alert carries.
    /// </summary>
    public static ChannelMessage RenderAlert(Channel channel, Subscriber subscriber, DigestItem item, string idempotencyKey, DateTimeOffset now, Gazetteer? gazetteer = null, string? feedbackUrl = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(item);
        var view = View.Of(item, subscriber.Language, gazetteer ?? Gazetteer.Default) with { Feedback = Feedback(feedbackUrl, subscriber.Language) };
        return Render(channel, AlertEvent, idempotencyKey, now, item, view);
    }

    /// <summary>The test message sent when a channel is added (or verified again): accepted means the channel works.</summary>
    public static ChannelMessage RenderTest(Channel channel, string? language, string idempotencyKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var text = DigestRenderer.Word(language, "channel_test");
        return Render(channel, TestEvent, idempotencyKey, now, null, new View(text, "", [], [], null));
    }

    /// <summary>The view in the channel kind's own format.</summary>
    private static ChannelMessage Render(Channel channel, string @event, string idempotencyKey, DateTimeOffset now, DigestItem? item, View view)
    {
        var json = channel.Kind switch
        {
            ChannelKind.Webhook => Webhook(@event, idempotencyKey, now, item, view),
            ChannelKind.Slack => Slack(view),
            ChannelKind.Teams => Teams(view),
            ChannelKind.Telegram => Telegram(channel.Target, view),
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel.Kind, "Unknown channel kind."),
        };
        return new ChannelMessage(json, @event, idempotencyKey);
    }

    /// <summary>What every kind shows: the headline, where, the sources line, the signals with their evidence, the link.</summary>
    private sealed record View(string Headline, string Where, IReadOnlyList<string> Details, IReadOnlyList<SignalLine> Signals, string? Link)
    {
        public string? LinkLabel { get; init; }

        /// <summary>"Useful", "False alarm", "Wrong place" with their links (none in a test message).</summary>
        public IReadOnlyList<(string Key, string Label, string Url)> Feedback { get; init; } = [];

        public static View Of(DigestItem item, string? language, Gazetteer gazetteer)
        {
            var colon = DigestRenderer.Word(language, "colon");
            var details = new List<string>();
            if (item.Sources.Count > 0)
            {
                details.Add($"{DigestRenderer.Word(language, "sources")} ({item.Sources.Count}){colon} {DigestRenderer.OneLine(string.Join(", ", item.Sources))}");
            }

            if (item.Published is { } published)
            {
                details.Add(DigestRenderer.Word(language, "published") + colon + " " + published.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            }

            var signals = item.Signals.GroupBy(s => s.Evidence.Count > 0 ? Clip(DigestRenderer.OneLine(s.Evidence[0].Text), MaxEvidence) : "")
                .Take(MaxSignals)
                .Select(g => new SignalLine(
                    string.Join(", ", g.Select(s => DigestRenderer.Label(s, language))) + (g.Key.Length > 0 ? colon : ""),
                    [.. DigestRenderer.Marked(g.Key, g.Select(s => s.Evidence.Count > 0 ? s.Evidence[0].Matched : null))]))
                .ToList();
            return new View(DigestRenderer.Headline(item, language, gazetteer), DigestRenderer.Where(item, language, gazetteer), details, signals, DigestRenderer.SafeLink(item.Url))
            {
                LinkLabel = DigestRenderer.Word(language, "open"),
            };
        }
    }

    private static IReadOnlyList<(string Key, string Label, string Url)> Feedback(string? feedbackUrl, string? language) =>
        DigestRenderer.SafeLink(feedbackUrl) is not { } link ? [] :
            [.. Enum.GetValues<Core.Feedback.FeedbackKind>().Select(k => (JsonNamingPolicy.CamelCase.ConvertName(k.ToString()), DigestRenderer.FeedbackLabel(k, language), link + "&kind=" + Core.Feedback.FeedbackService.Slug(k)))];

    /// <summary>"Curfew, Internet shutdown:" and the evidence cut into pieces, the matched words marked.</summary>
    private sealed record SignalLine(string Labels, IReadOnlyList<(string Text, bool Matched)> Evidence)
    {
        public string Plain => Labels + (Evidence.Count > 0 ? " " + string.Concat(Evidence.Select(e => e.Text)) : "");
    }

    private static string Webhook(string @event, string id, DateTimeOffset now, DigestItem? item, View view) => Json(w =>
    {
        w.WriteString("event", @event);
        w.WriteString("id", id);
        w.WriteString("sentAt", now.ToUniversalTime());
        w.WriteString("text", view.Headline);
        if (item is null)
        {
            return;
        }

        w.WriteStartObject("alert");
        w.WriteString("storyId", item.StoryId);
        w.WriteString("title", DigestRenderer.OneLine(item.Title));
        w.WriteString("url", view.Link);
        w.WriteString("severity", item.Severity.ToString().ToLowerInvariant());
        if (item.Published is { } published)
        {
            w.WriteString("published", published.ToUniversalTime());
        }

        w.WriteStartArray("countries");
        foreach (var country in item.Countries)
        {
            w.WriteStringValue(country);
        }

        w.WriteEndArray();
        w.WriteString("where", view.Where);
        if (item.Place is { } place)
        {
            w.WriteStartObject("place");
            w.WriteString("name", place.Name);
            w.WriteString("division", place.Division);
            w.WriteString("country", place.Country);
            if (place.Latitude is { } lat && place.Longitude is { } lon)
            {
                w.WriteNumber("latitude", lat);
                w.WriteNumber("longitude", lon);
            }

            w.WriteEndObject();
        }

        w.WriteStartArray("sources");
        foreach (var source in item.Sources)
        {
            w.WriteStringValue(source);
        }

        w.WriteEndArray();
        w.WriteStartArray("signals");
        foreach (var signal in item.Signals)
        {
            w.WriteStartObject();
            w.WriteString("id", signal.Id);
            w.WriteString("label", signal.Label);
            w.WriteString("list", signal.List);
            w.WriteStartArray("evidence");
            foreach (var evidence in signal.Evidence)
            {
                w.WriteStartObject();
                w.WriteString("field", evidence.Field.ToString().ToLowerInvariant());
                w.WriteString("text", evidence.Text);
                w.WriteString("matched", evidence.Matched);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (view.Feedback.Count > 0)
        {
            w.WriteStartObject("feedback");
            foreach (var (key, _, url) in view.Feedback)
            {
                w.WriteString(key, url);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    private static string Slack(View view) => Json(w =>
    {
        w.WriteString("text", SlackEscape(view.Headline)); // the notification's fallback: mrkdwn, so escaped
        w.WriteBoolean("unfurl_links", false);
        w.WriteBoolean("unfurl_media", false);
        w.WriteStartArray("blocks");
        Block(w, "header", Clip(view.Headline, MaxHeader));
        var context = string.Join("\n", new[] { view.Where }.Concat(view.Details).Where(l => l.Length > 0));
        if (context.Length > 0)
        {
            Block(w, "section", Clip(context, MaxSection));
        }

        foreach (var signal in view.Signals)
        {
            Block(w, "section", Clip("• " + signal.Plain, MaxSection));
        }

        var buttons = (view.Link is null ? [] : new[] { (view.LinkLabel ?? "", view.Link) }).Concat(view.Feedback.Select(f => (f.Label, f.Url))).ToList();
        if (buttons.Count > 0)
        {
            w.WriteStartObject();
            w.WriteString("type", "actions");
            w.WriteStartArray("elements");
            foreach (var (label, url) in buttons)
            {
                w.WriteStartObject();
                w.WriteString("type", "button");
                PlainText(w, "text", label);
                w.WriteString("url", url);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();

        static void Block(Utf8JsonWriter w, string type, string text)
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            PlainText(w, "text", text);
            w.WriteEndObject();
        }

        static void PlainText(Utf8JsonWriter w, string name, string text)
        {
            w.WriteStartObject(name);
            w.WriteString("type", "plain_text");
            w.WriteString("text", text);
            w.WriteBoolean("emoji", false);
            w.WriteEndObject();
        }
    });

    private static string Teams(View view) => Json(w =>
    {
        w.WriteString("type", "message");
        w.WriteStartArray("attachments");
        w.WriteStartObject();
        w.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
        w.WriteStartObject("content");
        w.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        w.WriteString("type", "AdaptiveCard");
        w.WriteString("version", "1.4");
        w.WriteStartArray("body");
        RichText(w, [(view.Headline, Style.Headline)]);
        foreach (var line in new[] { view.Where }.Concat(view.Details).Where(l => l.Length > 0))
        {
            RichText(w, [(line, Style.Subtle)]);
        }

        foreach (var signal in view.Signals)
        {
            RichText(w, [(signal.Labels + (signal.Evidence.Count > 0 ? " " : ""), Style.Bold), .. signal.Evidence.Select(e => (e.Text, e.Matched ? Style.Highlight : Style.Plain))]);
        }

        w.WriteEndArray();
        var actions = (view.Link is null ? [] : new[] { (view.LinkLabel ?? "", view.Link) }).Concat(view.Feedback.Select(f => (f.Label, f.Url))).ToList();
        if (actions.Count > 0)
        {
            w.WriteStartArray("actions");
            foreach (var (title, url) in actions)
            {
                w.WriteStartObject();
                w.WriteString("type", "Action.OpenUrl");
                w.WriteString("title", title);
                w.WriteString("url", url);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();

        // TextRun takes no Markdown, unlike TextBlock: feed text shows as written.
        static void RichText(Utf8JsonWriter w, IEnumerable<(string Text, Style Style)> runs)
        {
            w.WriteStartObject();
            w.WriteString("type", "RichTextBlock");
            w.WriteStartArray("inlines");
            foreach (var (text, style) in runs)
            {
                w.WriteStartObject();
                w.WriteString("type", "TextRun");
                w.WriteString("text", text);
                switch (style)
                {
                    case Style.Headline:
                        w.WriteString("weight", "Bolder");
                        w.WriteString("size", "Medium");
                        w.WriteString("color", "Attention");
                        break;
                    case Style.Bold:
                        w.WriteString("weight", "Bolder");
                        break;
                    case Style.Subtle:
                        w.WriteBoolean("isSubtle", true);
                        break;
                    case Style.Highlight:
                        w.WriteBoolean("highlight", true);
                        break;
                    default:
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    });

    private enum Style
    {
        Plain,
        Headline,
        Bold,
        Subtle,
        Highlight,
    }

    private static string Telegram(string chat, View view)
    {
        // The report's link and the feedback links always fit: the signals get what is left of Telegram's 4,096.
        var tail = new StringBuilder();
        if (view.Link is not null)
        {
            tail.Append("\n\n<a href=\"").Append(Html(view.Link)).Append("\">").Append(Html(view.LinkLabel ?? "")).Append("</a>");
        }

        if (view.Feedback.Count > 0)
        {
            tail.Append('\n').Append(string.Join(" · ", view.Feedback.Select(f => "<a href=\"" + Html(f.Url) + "\">" + Html(f.Label) + "</a>")));
        }

        var html = new StringBuilder();
        html.Append("<b>").Append(Html(view.Headline)).Append("</b>");
        foreach (var line in new[] { view.Where }.Concat(view.Details).Where(l => l.Length > 0))
        {
            html.Append('\n').Append(Html(line));
        }

        foreach (var signal in view.Signals)
        {
            var line = new StringBuilder("\n\n• <b>").Append(Html(signal.Labels)).Append("</b>");
            if (signal.Evidence.Count > 0)
            {
                line.Append(' ');
            }

            foreach (var (text, matched) in signal.Evidence)
            {
                line.Append(matched ? "<u>" + Html(text) + "</u>" : Html(text));
            }

            if (html.Length + line.Length + tail.Length > MaxTelegram)
            {
                break; // Telegram refuses a message over 4,096 characters: the link below still fits
            }

            html.Append(line);
        }

        html.Append(tail);

        return Json(w =>
        {
            // A numeric id goes as a number, a public channel's "@name" as a string.
            if (long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                w.WriteNumber("chat_id", id);
            }
            else
            {
                w.WriteString("chat_id", chat);
            }

            w.WriteString("text", html.ToString());
            w.WriteString("parse_mode", "HTML");
            w.WriteStartObject("link_preview_options");
            w.WriteBoolean("is_disabled", true);
            w.WriteEndObject();
        });
    }

    /// <summary>Escapes the three characters Slack's mrkdwn gives a meaning to (&lt;!channel&gt;, &lt;url|label&gt;).</summary>
    public static string SlackEscape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>Telegram's HTML: &lt;, &gt;, &amp; and &quot; as entities (the only ones it knows).</summary>
    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
