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
            var (check, _) = await subscriptions.CheckConfirmAsync(token, cancellationToken);
            return check is LinkOutcome.InvalidToken or LinkOutcome.Unknown
                ? ConfirmRefused(response, check)
                : HtmlPage.Result(response, 200, "Confirm your subscription", "Press the button to start receiving Crisis Alerts at this address.", "Confirm my subscription");
        }

        var (outcome, _) = await subscriptions.ConfirmAsync(token, cancellationToken);
        return outcome is LinkOutcome.InvalidToken or LinkOutcome.Unknown
            ? ConfirmRefused(response, outcome)
            : HtmlPage.Result(response, 200, "You are subscribed", "Your subscription is confirmed. Alerts will arrive as you chose; every email has a link to leave at once.");
    }

    private static IActionResult ConfirmRefused(HttpResponse response, LinkOutcome outcome) => outcome == LinkOutcome.InvalidToken
        ? HtmlPage.Result(response, 400, "This link is not valid", "The confirmation link is incomplete, altered or expired. Subscribe again to get a new one.")
        : HtmlPage.Result(response, 404, "Subscription not found", "This subscription no longer exists, or was created again after this link was sent. Subscribe again to receive alerts.");

    public async Task<IActionResult> UnsubscribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        var token = await TokenAsync(request, cancellationToken);
        if (HttpMethods.IsGet(request.Method))
        {
            var (check, _) = await subscriptions.CheckUnsubscribeAsync(token, cancellationToken);
            return check switch
            {
                LinkOutcome.InvalidToken => HtmlPage.Result(response, 400, "This link is not valid", "The unsubscribe link is incomplete or altered. Use the link from your latest Crisis Alerts email."),
                LinkOutcome.AlreadyDone or LinkOutcome.Unknown => HtmlPage.Result(response, 200, "You are unsubscribed", "This address receives no more Crisis Alerts emails."),
                _ => HtmlPage.Result(response, 200, "Unsubscribe", "Press the button to stop all Crisis Alerts emails to this address.", "Unsubscribe"),
            };
        }

        var (outcome, _) = await subscriptions.UnsubscribeAsync(token, cancellationToken);
        return outcome == LinkOutcome.InvalidToken
            ? HtmlPage.Result(response, 400, "This link is not valid", "The unsubscribe link is incomplete or altered. Nothing was changed.")
            : HtmlPage.Result(response, 200, "You are unsubscribed", "This address receives no more Crisis Alerts emails.");
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
