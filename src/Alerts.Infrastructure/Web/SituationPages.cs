using System.Globalization;
using System.Net;
using System.Text;
using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Core.Subscriptions;
using Alerts.Core.Texts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The pages subscribers open without the console: <c>api/story?token=…</c>, a story's page from the signed link in
/// every alert email (it reads and names nobody), and <c>api/board?token=…</c>, a read-only board (the map of the last
/// three days and the subscriber's alerts) opened with their personal feed token. Server-rendered, every value
/// HTML-encoded, nothing loaded from elsewhere (<see cref="HtmlPage.SecureHeaders"/>).
/// </summary>
public sealed class SituationPages(SituationService situation, SubscriptionLinks links, PersonalFeed feed, TimeProvider time)
{
    private static readonly Dictionary<Severity, string> Colors = new()
    {
        [Severity.Critical] = "#b00020", [Severity.Warning] = "#d97706", [Severity.Watch] = "#3b82f6", [Severity.None] = "#9ca3af",
    };

    public async Task<IActionResult> StoryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var words = PageWords.ForRequest(request);
        if (links.VerifyStory(request.Query["token"].ToString()) is not { } id)
        {
            return HtmlPage.Result(request.HttpContext.Response, 400, words["invalid_title"], words["story_invalid"], language: words.Language);
        }

        if (await situation.StoryAsync(id, cancellationToken) is not { } story)
        {
            return HtmlPage.Result(request.HttpContext.Response, 404, words["invalid_title"], words["story_gone"], language: words.Language);
        }

        var texts = words.Texts;
        var colon = texts.Email["colon"] + " ";
        var body = new StringBuilder();
        body.Append("<p style=\"font-size:15px;line-height:1.5;\">").Append(Badge(story.MaxSeverity, words.Language)).Append(' ')
            .Append(Encode(Where(story.Countries, story.Alert?.Place, words.Language))).Append("<br>")
            .Append(Encode(DigestRenderer.Word(words.Language, "sources"))).Append(" (").Append(story.Sources.Count).Append(')').Append(Encode(colon)).Append(Encode(string.Join(", ", story.Sources))).Append("<br>")
            .Append(Encode(words["story_first_seen"])).Append(Encode(colon)).Append(Encode(texts.Format(story.FirstSeen, "f"))).Append(" UTC");
        if (story.Languages.Count > 0)
        {
            body.Append("<br>").Append(Encode(words["story_languages"])).Append(Encode(colon)).Append(Encode(string.Join(", ", story.Languages)));
        }

        body.Append("</p>");
        if (story.Articles.Count == 0 && story.Alert is { } alert)
        {
            body.Append(Evidence(alert.Evidence, words.Language));
        }
        else
        {
            body.Append("<h2 style=\"font-size:18px;margin:20px 0 8px;\">").Append(Encode(words["story_articles"])).Append("</h2><ol style=\"padding-inline-start:20px;\">");
            foreach (var a in story.Articles)
            {
                body.Append("<li style=\"margin:0 0 16px;\">").Append(Badge(a.Severity, words.Language)).Append(' ');
                body.Append(DigestRenderer.SafeLink(a.Url) is { } url
                    ? "<a dir=\"auto\" href=\"" + Encode(url) + "\" rel=\"noopener noreferrer nofollow\" style=\"color:#111827;font-weight:bold;\">" + Encode(a.Title) + "</a>"
                    : "<strong dir=\"auto\">" + Encode(a.Title) + "</strong>");
                body.Append("<br><span style=\"font-size:13px;color:#4b5563;\">").Append(Encode(string.Join(" · ", new[] { a.Source, texts.Format(a.Published ?? a.ScoredAt, "g") + " UTC", a.Language ?? "", string.Join("; ", a.Places.Take(3).Select(p => p.Label)) }.Where(t => t.Length > 0))));
                if (a.NewSource)
                {
                    body.Append(" · <strong>").Append(Encode(words["story_new_source"])).Append("</strong>");
                }

                if (a.SeverityRose)
                {
                    body.Append(" · <strong>").Append(Encode(words["story_rose"])).Append("</strong>");
                }

                body.Append("</span>").Append(Evidence(a.Signals, words.Language)).Append("</li>");
            }

            body.Append("</ol>");
        }

        return SubscriberPages.Page(request.HttpContext.Response, 200, words, story.Title, body.ToString());
    }

    public async Task<IActionResult> BoardAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Query["token"].ToString();
        if (await feed.ResolveAsync(token, cancellationToken) is not { } subscriber)
        {
            var unknown = PageWords.ForRequest(request);
            return HtmlPage.Result(request.HttpContext.Response, StatusCodes.Status404NotFound, unknown["invalid_title"], unknown["board_invalid"], language: unknown.Language);
        }

        var words = PageWords.For(subscriber.Language);
        var map = await situation.MapAsync(3, cancellationToken);
        var mine = await feed.ItemsAsync(subscriber, cancellationToken);
        var body = new StringBuilder("<p style=\"font-size:15px;line-height:1.5;\">").Append(Encode(words["board_intro"])).Append("</p>");
        body.Append(Map(map, words.Language));
        body.Append("<h2 style=\"font-size:18px;margin:20px 0 8px;\">").Append(Encode(words["board_mine"])).Append("</h2>");
        if (mine.Count == 0)
        {
            body.Append("<p>").Append(Encode(words["board_none"])).Append("</p>");
        }
        else
        {
            body.Append("<ol style=\"padding-inline-start:20px;\">");
            foreach (var alert in mine.Take(50))
            {
                body.Append("<li style=\"margin:0 0 10px;\">").Append(Badge(alert.Severity, words.Language)).Append(" <a href=\"").Append(Encode(links.Story(alert.StoryId)))
                    .Append("\" dir=\"auto\" style=\"color:#1d4ed8;\">").Append(Encode(TrendSignals.TitleIn(alert.StoryId, alert.Title, alert.Countries, words.Language))).Append("</a><br><span style=\"font-size:13px;color:#4b5563;\">")
                    .Append(Encode(Where(alert.Countries, alert.Place, words.Language))).Append(" · ").Append(Encode(words.Texts.Format(alert.ChangedAt, "g"))).Append(" UTC</span></li>");
            }

            body.Append("</ol>");
        }

        body.Append("<h2 style=\"font-size:18px;margin:20px 0 8px;\">").Append(Encode(words["board_countries"])).Append("</h2><ul style=\"padding-inline-start:20px;\">");
        foreach (var c in map.Countries.Take(40))
        {
            body.Append("<li>").Append(Badge(c.MaxSeverity, words.Language)).Append(' ').Append(Encode(Name(c.Code, words.Language))).Append(": ").Append(c.Articles.ToString(CultureInfo.InvariantCulture))
                .Append(c.Trends.Count > 0 ? " · " + Encode(c.Trends[0].Evidence) : "").Append("</li>");
        }

        body.Append("</ul><p style=\"font-size:12px;color:#4b5563;\">Map: Natural Earth (public domain). ").Append(Encode(time.GetUtcNow().ToString("u", CultureInfo.InvariantCulture))).Append("</p>");
        return SubscriberPages.Page(request.HttpContext.Response, 200, words, words["board_title"], body.ToString());
    }

    /// <summary>The world map with each reported country filled by its highest severity (a style block; no script).</summary>
    internal static string Map(SituationMap map, string language)
    {
        ArgumentNullException.ThrowIfNull(map);
        var svg = ConsoleEndpoint.Text("world.svg");
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        var styles = string.Concat(map.Countries.Select(c => $"svg.board path[data-code=\"{c.Code}\"]{{fill:{Colors[c.MaxSeverity]}}}"));
        var label = string.Join(", ", map.Countries.Take(20).Select(c => Name(c.Code, language) + " " + DigestRenderer.SeverityName(c.MaxSeverity, language)));
        var open = "<svg class=\"board\" style=\"width:100%;height:auto;display:block;background:#eef2f7;border-radius:6px;\" aria-label=\"" + Encode(label) + "\"";
        return "<style>" + styles + "</style>" + open + svg[(start + "<svg".Length)..].Replace(" role=\"img\" aria-labelledby=\"world-map-title\"", " role=\"img\"", StringComparison.Ordinal);
    }

    private static string Evidence(IReadOnlyList<SignalMatch> signals, string language)
    {
        if (signals.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<ul style=\"font-size:14px;margin:6px 0 0;padding-inline-start:18px;\">");
        foreach (var s in signals)
        {
            html.Append("<li><strong>").Append(Encode(DigestRenderer.Label(s, language))).Append("</strong>");
            if (s.Evidence.Count > 0)
            {
                html.Append(Encode(TextCatalog.For(language).Email["colon"])).Append(" <span dir=\"auto\">")
                    .Append(string.Concat(DigestRenderer.Marked(s.Evidence[0].Text, [s.Evidence[0].Matched]).Select(p => p.Matched ? "<mark>" + Encode(p.Text) + "</mark>" : Encode(p.Text)))).Append("</span>");
            }

            html.Append("</li>");
        }

        return html.Append("</ul>").ToString();
    }

    private static string Badge(Severity severity, string language) =>
        "<span style=\"font-size:12px;font-weight:bold;text-transform:uppercase;color:" + (severity == Severity.Warning ? "#92400e" : severity == Severity.Watch ? "#1d4ed8" : severity == Severity.None ? "#4b5563" : Colors[severity]) + ";\">" + Encode(DigestRenderer.SeverityName(severity, language)) + "</span>";

    private static string Where(IReadOnlyList<string> countries, ArticlePlace? place, string language)
    {
        var names = countries.Select(c => Name(c, language)).ToList();
        if (place is not null && names.Count > 0)
        {
            names[0] = place.Label + ", " + names[0];
        }

        return string.Join(" · ", names);
    }

    private static string Name(string code, string language) => Gazetteer.Default.Countries.TryGetValue(code, out var c) ? c.NameIn(language) : code;

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
