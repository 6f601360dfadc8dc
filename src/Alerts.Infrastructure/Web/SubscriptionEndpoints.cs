using System.Globalization;
using System.Text;
using Alerts.Core.Ingestion;
using Alerts.Core.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The public subscription routes, shared by the Functions and the local server: subscribe (GET the sign-up page; POST
/// JSON, or the page's form, answered with a page), confirm (GET shows a page, POST activates), unsubscribe (GET shows
/// a page and changes nothing, because mail scanners follow links; POST unsubscribes at once, RFC 8058 one-click) and
/// preferences (the same signed link: GET shows the subscriber's page, POST saves, pauses, resumes, subscribes again
/// or erases).
/// </summary>
public sealed class SubscriptionEndpoints(SubscriptionService subscriptions, Alerts.Core.Channels.ChannelService channels, PersonalFeed feed, Alerts.Core.Feedback.FeedbackService feedback, SubscriptionLinks links, TimeProvider time, Microsoft.Extensions.Options.IOptions<Alerts.Core.Digests.EmailOptions> email)
{
    public const int MaxBodyBytes = 16 * 1024;

    public async Task<IActionResult> SubscribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method))
        {
            return SubscriberPages.SignUp(request.HttpContext.Response, 200, PageWords.ForRequest(request));
        }

        var body = await Problems.ReadBodyAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"A subscribe request is at most {MaxBodyBytes} bytes.");
        }

        SubscribeRequest? parsed;
        var type = request.ContentType ?? "";
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            (parsed, var problem) = ApiJson.Parse<SubscribeRequest>(body, ArticleMessage.JsonOptions);
            if (problem is not null)
            {
                return problem;
            }
        }
        else if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            parsed = FromForm(Encoding.UTF8.GetString(body));
        }
        else
        {
            return Problems.Result(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send application/json or application/x-www-form-urlencoded.");
        }

        if (parsed is null)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Missing body", "Send the subscription as a JSON object.");
        }

        var result = await subscriptions.SubscribeAsync(parsed, ClientKey(request), cancellationToken);
        if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            // A person at the sign-up page: answer with a page in their language.
            var response = request.HttpContext.Response;
            var words = PageWords.For(parsed.Language ?? PageWords.ForRequest(request).Language);
            switch (result.Status)
            {
                case SubscribeStatus.Invalid:
                    return SubscriberPages.SignUp(response, StatusCodes.Status400BadRequest, words, parsed, result.Errors);
                case SubscribeStatus.RateLimited:
                    var wait = (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds);
                    response.Headers.RetryAfter = Math.Max(1, wait).ToString(CultureInfo.InvariantCulture);
                    return HtmlPage.Result(response, StatusCodes.Status429TooManyRequests, words["ratelimited_title"], string.Format(CultureInfo.InvariantCulture, words["ratelimited_message"], Math.Max(1, (wait + 59) / 60)), language: words.Language);
                default:
                    return HtmlPage.Result(response, StatusCodes.Status200OK, words["signup_done_title"], words["signup_done_message"], language: words.Language);
            }
        }

        switch (result.Status)
        {
            case SubscribeStatus.Invalid:
                return Problems.Result(StatusCodes.Status400BadRequest, "Invalid subscription", "One or more fields are invalid.", new Dictionary<string, string[]>(result.Errors!));
            case SubscribeStatus.RateLimited:
                var seconds = (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds);
                request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
                return Problems.Result(StatusCodes.Status429TooManyRequests, "Too many requests", $"Try again in {Math.Max(1, seconds)} seconds.");
            default:
                // The same answer whether or not the address was known: the endpoint does not reveal who subscribes.
                return new ObjectResult(new { status = "pending", message = "If the address can receive alerts, a confirmation email is on its way. Open its link to start receiving alerts." })
                {
                    StatusCode = StatusCodes.Status202Accepted,
                };
        }
    }

    public async Task<IActionResult> ConfirmAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        var token = await TokenAsync(request, cancellationToken);
        if (HttpMethods.IsGet(request.Method))
        {
            var (check, pending) = await subscriptions.CheckConfirmAsync(token, cancellationToken);
            if (check is LinkOutcome.InvalidToken or LinkOutcome.Unknown)
            {
                return ConfirmRefused(response, check);
            }

            var words = PageWords.For(pending?.Language);
            return HtmlPage.Result(response, 200, words["confirm_title"], words["confirm_message"], words["confirm_button"], words.Language, pending is null ? null : PageWords.Summary(pending, words));
        }

        var (outcome, subscriber) = await subscriptions.ConfirmAsync(token, cancellationToken);
        if (outcome is LinkOutcome.InvalidToken or LinkOutcome.Unknown)
        {
            return ConfirmRefused(response, outcome);
        }

        var done = PageWords.For(subscriber?.Language);
        // The preferences page, by the same signed link every email carries (relative: this page's own host).
        (string, string)? manage = subscriber is null ? null : (new Uri(links.Preferences(subscriber.Id)).PathAndQuery, done["preferences_link"]);
        var message = done["confirmed_message"];
        if (outcome == LinkOutcome.Done && subscriber is not null && await channels.AddPendingAsync(subscriber.Id, cancellationToken) is { } channel)
        {
            // The channel named at sign-up, checked and tested now that the address is confirmed.
            message += " " + (channel switch
            {
                { Status: Alerts.Core.Channels.ChannelWriteStatus.Saved, Secret: { } secret } => string.Format(CultureInfo.InvariantCulture, done["channel_secret_notice"], secret),
                { Status: Alerts.Core.Channels.ChannelWriteStatus.Saved, Channel.Active: true } => done["channel_added_notice"],
                _ => string.Format(CultureInfo.InvariantCulture, done["channel_failed_notice"], channel.Error ?? channel.Channel?.LastError ?? ""),
            });
        }

        return HtmlPage.Result(response, 200, done["confirmed_title"], message, language: done.Language, details: subscriber is null ? null : PageWords.Summary(subscriber, done), link: manage);
    }

    private static IActionResult ConfirmRefused(HttpResponse response, LinkOutcome outcome) => Refused(response, outcome, null, "confirm_invalid");

    public async Task<IActionResult> UnsubscribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        var token = await TokenAsync(request, cancellationToken);
        if (HttpMethods.IsGet(request.Method))
        {
            var (check, subscriber) = await subscriptions.CheckUnsubscribeAsync(token, cancellationToken);
            var words = PageWords.For(subscriber?.Language);
            return check switch
            {
                LinkOutcome.InvalidToken => HtmlPage.Result(response, 400, words["invalid_title"], words["unsub_invalid"], language: words.Language),
                LinkOutcome.AlreadyDone or LinkOutcome.Unknown => HtmlPage.Result(response, 200, words["unsubscribed_title"], words["unsubscribed_message"], language: words.Language),
                _ => HtmlPage.Result(response, 200, words["unsub_title"], words["unsub_message"], words["unsub_button"], words.Language),
            };
        }

        var (outcome, gone) = await subscriptions.UnsubscribeAsync(token, cancellationToken);
        var after = PageWords.For(gone?.Language);
        return outcome == LinkOutcome.InvalidToken
            ? HtmlPage.Result(response, 400, after["invalid_title"], after["unsub_invalid_post"], language: after.Language)
            : HtmlPage.Result(response, 200, after["unsubscribed_title"], after["unsubscribed_message"], language: after.Language);
    }

    public async Task<IActionResult> PreferencesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        var token = request.Query["token"].ToString();
        if (request.Query.ContainsKey("story"))
        {
            return await FeedbackAsync(request, token, cancellationToken);
        }

        if (HttpMethods.IsGet(request.Method))
        {
            var (check, subscriber) = await subscriptions.CheckUnsubscribeAsync(token, cancellationToken);
            return check switch
            {
                LinkOutcome.InvalidToken => Refused(response, LinkOutcome.InvalidToken, null),
                LinkOutcome.Unknown => Refused(response, LinkOutcome.Unknown, null),
                _ => SubscriberPages.Manage(response, 200, PageWords.For(subscriber!.Language), subscriber, token, time.GetUtcNow(), feedBase: FeedBase),
            };
        }

        var body = await Problems.ReadBodyAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null || !(request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid(request, "form_only");
        }

        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        var actionText = form.TryGetValue("action", out var a) ? a.ToString() : "";
        if (actionText.StartsWith("channel-", StringComparison.Ordinal))
        {
            return await ChannelActionAsync(response, token, actionText, form, cancellationToken);
        }

        if (actionText == "feed-replace")
        {
            var (check, owner) = await subscriptions.CheckUnsubscribeAsync(token, cancellationToken);
            if (check is LinkOutcome.InvalidToken or LinkOutcome.Unknown || await feed.ReplaceKeyAsync(owner!.Id, cancellationToken) is not { } replaced)
            {
                return Refused(response, check is LinkOutcome.InvalidToken ? check : LinkOutcome.Unknown, null);
            }

            var feedWords = PageWords.For(replaced.Language);
            return SubscriberPages.Manage(response, 200, feedWords, replaced, token, time.GetUtcNow(), feedWords["feed_replaced_notice"], feedBase: FeedBase);
        }

        if (!Enum.TryParse<ManageAction>(actionText, ignoreCase: true, out var action) || !Enum.IsDefined(action) || actionText.All(char.IsAsciiDigit))
        {
            return Invalid(request, "unknown_action");
        }

        var days = form.TryGetValue("days", out var d) && int.TryParse(d.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var sent = action == ManageAction.Save ? FromForm(Encoding.UTF8.GetString(body)) : null;
        var result = await subscriptions.ManageAsync(token, action, sent, days, cancellationToken);
        if (result.Outcome is LinkOutcome.InvalidToken or LinkOutcome.Unknown)
        {
            return Refused(response, result.Outcome, null);
        }

        if (action == ManageAction.Erase)
        {
            var gone = PageWords.For(sent?.Language);
            return HtmlPage.Result(response, 200, gone["erased_title"], gone["erased_message"], language: gone.Language);
        }

        var words = PageWords.For(result.Subscriber!.Language);
        if (result.Errors is { Count: > 0 } errors)
        {
            return SubscriberPages.Manage(response, StatusCodes.Status400BadRequest, words, result.Subscriber, token, time.GetUtcNow(), sent: sent, errors: errors, feedBase: FeedBase);
        }

        var notice = action switch
        {
            ManageAction.Pause => words["paused_notice"],
            ManageAction.Resume => words["resumed_notice"],
            ManageAction.Resubscribe => words["resubscribed_notice"],
            _ => words["saved_notice"],
        };
        return SubscriberPages.Manage(response, 200, words, result.Subscriber, token, time.GetUtcNow(), notice, feedBase: FeedBase);
    }

    /// <summary>
    /// The subscriber's own feed: <c>GET api/feed?token=…</c>, Atom (or JSON Feed with <c>format=json</c>) of the alerts
    /// their filters match. A replaced, unknown or unsubscribed token is a 404 that says nothing more.
    /// </summary>
    public async Task<IActionResult> FeedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        var token = request.Query["token"].ToString();
        if (await feed.ResolveAsync(token, cancellationToken) is not { } subscriber)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "No such feed", "This feed link is unknown or was replaced: take the current one from your preferences page.");
        }

        HtmlPage.SecureHeaders(response);
        var items = await feed.ItemsAsync(subscriber, cancellationToken);
        var json = request.Query["format"].ToString() == "json";
        var self = FeedBase + "?token=" + Uri.EscapeDataString(token) + (json ? "&format=json" : "");
        var title = "Crisis Alerts: " + PageWords.For(subscriber.Language)["feed_title"];
        return json
            ? new ContentResult { StatusCode = 200, ContentType = "application/feed+json; charset=utf-8", Content = AlertFeedWriter.Json(self, title, items, subscriber.Language) }
            : new ContentResult { StatusCode = 200, ContentType = "application/atom+xml; charset=utf-8", Content = AlertFeedWriter.Atom(self, title, "urn:crisis-alerts:subscriber:" + subscriber.Id, items, time.GetUtcNow(), subscriber.Language) };
    }

    /// <summary>The feed route under the public address (never the request's Host header).</summary>
    private string FeedBase => email.Value.PublicBaseUrl.TrimEnd('/') + "/" + ApiRoutes.MyFeed;

    /// <summary>
    /// The feedback links of every alert (the preferences link with <c>story</c> and <c>kind</c>): GET shows the alert and
    /// one button, changing nothing (mail scanners follow links); POST records the subscriber's word, idempotently.
    /// </summary>
    /// <summary>
    /// <c>GET/POST api/feedback?token=…&amp;kind=…</c>: the feedback links of channel messages, whose token names the
    /// subscriber and the story and grants nothing else.
    /// </summary>
    public Task<IActionResult> FeedbackLinkAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return FeedbackAsync(request, request.Query["token"].ToString(), cancellationToken);
    }

    private async Task<IActionResult> FeedbackAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        var story = request.Query["story"].ToString();
        var kindText = request.Query["kind"].ToString();
        if (Alerts.Core.Feedback.FeedbackService.ParseKind(kindText) is not { } kind)
        {
            return Invalid(request, "unknown_answer");
        }

        var (outcome, subscriber, alert) = HttpMethods.IsPost(request.Method)
            ? await feedback.RecordAsync(token, story, kind, cancellationToken)
            : await feedback.CheckAsync(token, story, cancellationToken);
        if (outcome != LinkOutcome.Done)
        {
            return Refused(response, outcome, subscriber?.Language);
        }

        var words = PageWords.For(subscriber!.Language);
        var answer = words["feedback_" + Alerts.Core.Feedback.FeedbackService.Slug(kind).Replace('-', '_')];
        return HttpMethods.IsPost(request.Method)
            ? HtmlPage.Result(response, 200, words["feedback_thanks_title"], string.Format(CultureInfo.InvariantCulture, words["feedback_thanks"], answer), language: words.Language, details: [(words["feedback_alert"], alert!.Title)])
            : HtmlPage.Result(response, 200, words["feedback_title"], string.Format(CultureInfo.InvariantCulture, words["feedback_question"], answer), answer, words.Language, [(words["feedback_alert"], alert!.Title)]);
    }

    /// <summary>Adds, tests or removes one of the subscriber's channels from their preferences page.</summary>
    private async Task<IActionResult> ChannelActionAsync(HttpResponse response, string token, string action, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form, CancellationToken cancellationToken)
    {
        var (check, subscriber) = await subscriptions.CheckUnsubscribeAsync(token, cancellationToken);
        if (check is LinkOutcome.InvalidToken or LinkOutcome.Unknown)
        {
            return Refused(response, check, null);
        }

        var words = PageWords.For(subscriber!.Language);
        string Value(string name) => form.TryGetValue(name, out var v) ? v.ToString() : "";
        var result = action switch
        {
            "channel-add" => await channels.AddAsync(subscriber.Id, Value("kind"), Value("target"), cancellationToken),
            "channel-verify" => await channels.VerifyAsync(subscriber.Id, Value("channel"), cancellationToken),
            "channel-remove" => await channels.RemoveAsync(subscriber.Id, Value("channel"), cancellationToken),
            _ => new Alerts.Core.Channels.ChannelWriteResult(Alerts.Core.Channels.ChannelWriteStatus.Invalid, Error: "Unknown action."),
        };
        var notice = result switch
        {
            { Status: Alerts.Core.Channels.ChannelWriteStatus.Removed } => words["channel_removed_notice"],
            { Status: Alerts.Core.Channels.ChannelWriteStatus.Saved, Secret: { } secret } => string.Format(CultureInfo.InvariantCulture, words["channel_secret_notice"], secret),
            { Status: Alerts.Core.Channels.ChannelWriteStatus.Saved, Channel.Active: true } => action == "channel-add" ? words["channel_added_notice"] : words["channel_verified_notice"],
            _ => string.Format(CultureInfo.InvariantCulture, words["channel_failed_notice"], result.Error ?? result.Channel?.LastError ?? result.Status.ToString()),
        };
        var current = await subscriptions.CheckUnsubscribeAsync(token, cancellationToken);
        var status = result.Status is Alerts.Core.Channels.ChannelWriteStatus.Invalid or Alerts.Core.Channels.ChannelWriteStatus.NotFound ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        return current.Subscriber is { } now
            ? SubscriberPages.Manage(response, status, words, now, token, time.GetUtcNow(), notice, feedBase: FeedBase)
            : Refused(response, LinkOutcome.Unknown, words.Language);
    }

    /// <summary>The page for a link that is not valid (400) or names nobody any more (404).</summary>
    private static IActionResult Refused(HttpResponse response, LinkOutcome outcome, string? language, string invalidMessage = "unsub_invalid")
    {
        var words = PageWords.For(language);
        return outcome == LinkOutcome.InvalidToken
            ? HtmlPage.Result(response, 400, words["invalid_title"], words[invalidMessage], language: words.Language)
            : HtmlPage.Result(response, 404, words["notfound_title"], words["notfound_message"], language: words.Language);
    }

    /// <summary>
    /// The client's address for rate limiting: the connection's, as the forwarded-headers middleware left it (through
    /// the Functions host and the proxies in <see cref="ProxyOptions"/> only; see <see cref="TrustedProxies"/>).
    /// </summary>
    public static string ClientKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";
    }

    private static async Task<string?> TokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var token = request.Query["token"].ToString();
        if (token.Length > 0 || !HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return token;
        }

        var form = await request.ReadFormAsync(cancellationToken);
        return form["token"].ToString();
    }

    /// <summary>A 400 page "this link is not valid" saying why, in the visitor's language.</summary>
    private static IActionResult Invalid(HttpRequest request, string why)
    {
        var words = PageWords.ForRequest(request);
        return HtmlPage.Result(request.HttpContext.Response, StatusCodes.Status400BadRequest, words["invalid_title"], words[why], language: words.Language);
    }

    /// <summary>The Latin comma, and the Arabic one (U+060C) that Arabic and Persian keyboards type.</summary>
    private static readonly char[] ListSeparators = [',', '\u060C'];

    private static SubscribeRequest FromForm(string body)
    {
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);
        string? One(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        var fromPage = One("form") == "1";
        bool? Flag(string name) => One(name) is { } value ? value is "on" or "true" or "1" : fromPage ? false : null;
        string[]? Many(string name) => form.TryGetValue(name, out var v)
            ? v.SelectMany(x => (x ?? "").Split(ListSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray()
            : null;
        return new SubscribeRequest
        {
            Email = One("email"),
            Name = One("name"),
            TimeZone = One("timeZone"),
            Language = One("language"),
            // The pages' forms say they are one (form=1): an unticked box is not sent at all, and means no.
            ImmediateCritical = Flag("immediateCritical"),
            ImmediateByEmail = Flag("immediateByEmail"),
            Frequency = One("frequency"),
            At = One("at"),
            Day = One("day"),
            MinimumSeverity = One("minimumSeverity"),
            Signals = Many("signals"),
            Countries = Many("countries"),
            Regions = Many("regions"),
            Places = Many("places"),
            Lists = Many("lists"),
            Channel = One("channel"),
            ChannelTarget = One("channelTarget"),
        };
    }
}
