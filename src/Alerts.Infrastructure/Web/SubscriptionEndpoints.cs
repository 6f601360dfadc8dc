using System.Globalization;
using System.Text;
using Alerts.Core.Ingestion;
using Alerts.Core.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The public subscription routes, shared by the Functions and the local server: subscribe (JSON or an HTML form),
/// confirm (GET shows a page, POST activates) and unsubscribe (GET shows a page and changes nothing, because mail
/// scanners follow links; POST unsubscribes at once, RFC 8058 one-click).
/// </summary>
public sealed class SubscriptionEndpoints(SubscriptionService subscriptions)
{
    public const int MaxBodyBytes = 16 * 1024;

    public async Task<IActionResult> SubscribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
        return HtmlPage.Result(response, 200, done["confirmed_title"], done["confirmed_message"], language: done.Language, details: subscriber is null ? null : PageWords.Summary(subscriber, done));
    }

    private static IActionResult ConfirmRefused(HttpResponse response, LinkOutcome outcome)
    {
        var words = PageWords.For(null);
        return outcome == LinkOutcome.InvalidToken
            ? HtmlPage.Result(response, 400, words["invalid_title"], words["confirm_invalid"])
            : HtmlPage.Result(response, 404, words["notfound_title"], words["notfound_message"]);
    }

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

    private static SubscribeRequest FromForm(string body)
    {
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);
        string? One(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        string[]? Many(string name) => form.TryGetValue(name, out var v)
            ? v.SelectMany(x => (x ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray()
            : null;
        return new SubscribeRequest
        {
            Email = One("email"),
            Name = One("name"),
            TimeZone = One("timeZone"),
            Language = One("language"),
            ImmediateCritical = One("immediateCritical") is { } immediate ? immediate is "on" or "true" or "1" : null,
            Frequency = One("frequency"),
            At = One("at"),
            Day = One("day"),
            MinimumSeverity = One("minimumSeverity"),
            Signals = Many("signals"),
            Countries = Many("countries"),
            Regions = Many("regions"),
            Places = Many("places"),
            Lists = Many("lists"),
        };
    }
}
