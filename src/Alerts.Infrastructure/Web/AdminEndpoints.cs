using System.Globalization;
using System.Text;
using Alerts.Core.Admin;
using Alerts.Core.Digests;
using Alerts.Core.Feeds;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Alerts.Infrastructure.Web;

/// <summary>/api/admin/feeds, /api/admin/subscribers and /api/admin/alerts (JSON and Atom).</summary>
public sealed class AdminEndpoints(FeedAdmin feeds, SubscriberAdmin subscribers, IAlertStore alerts, Alerts.Core.Feedback.FeedbackService feedback, AdminAuthorization authorization, TimeProvider time, Microsoft.Extensions.Options.IOptions<EmailOptions> email)
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxOpmlBytes = 2 * 1024 * 1024;

    // ---- feeds ----

    public async Task<IActionResult> FeedsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            return ApiJson.Result(new { items = await feeds.ListAsync(cancellationToken) });
        }

        var (input, problem) = await ApiJson.ReadAsync<FeedInput>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await feeds.CreateAsync(input!, cancellationToken);
        return result.Status switch
        {
            FeedWriteStatus.Invalid => Problems.Result(400, "Invalid feed", "One or more fields are invalid.", new Dictionary<string, string[]>(result.Errors!)),
            FeedWriteStatus.Exists => Problems.Result(409, "Feed exists", $"This URL is already feed {result.Feed?.Id}."),
            _ => Created(request, "/api/admin/feeds/" + result.Feed!.Id, result.Feed),
        };
    }

    public async Task<IActionResult> FeedAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            return await feeds.GetAsync(id, cancellationToken) is { } feed ? WithETag(request, ApiJson.Result(feed), feed.ETag) : NotFound("feed", id);
        }

        FeedWriteResult result;
        if (HttpMethods.IsDelete(request.Method))
        {
            result = await feeds.DeleteAsync(id, IfMatch(request), cancellationToken);
        }
        else
        {
            var (input, problem) = await ApiJson.ReadAsync<FeedInput>(request, MaxBodyBytes, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            result = await feeds.UpdateAsync(id, input!, IfMatch(request), cancellationToken);
        }

        return result.Status switch
        {
            FeedWriteStatus.Invalid => Problems.Result(400, "Invalid feed", "One or more fields are invalid.", new Dictionary<string, string[]>(result.Errors!)),
            FeedWriteStatus.NotFound => NotFound("feed", id),
            FeedWriteStatus.PreconditionRequired => Problems.PreconditionRequired("Send the feed's ETag (from GET) as If-Match, or If-Match: * to overwrite whatever it is now."),
            FeedWriteStatus.Conflict => Problems.Changed(request.HttpContext.Response, "The feed changed", "The feed changed since you read it (a fetch updates its health too): read it again.", result.Feed?.ETag),
            FeedWriteStatus.Deleted => new NoContentResult(),
            _ => WithETag(request, ApiJson.Result(result.Feed), result.Feed!.ETag),
        };
    }

    /// <summary>POST an OPML document (text/xml, application/xml or text/x-opml).</summary>
    public async Task<IActionResult> ImportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        var body = await Problems.ReadBodyAsync(request, MaxOpmlBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Result(413, "OPML too large", $"At most {MaxOpmlBytes} bytes.");
        }

        try
        {
            var result = await feeds.ImportAsync(Encoding.UTF8.GetString(body), cancellationToken);
            return ApiJson.Result(new { added = result.Added, alreadyPresent = result.AlreadyPresent, rejected = result.Rejected });
        }
        catch (FeedParseException ex)
        {
            return Problems.Result(400, "Not an OPML document", ex.Message);
        }
    }

    /// <summary>GET: every feed as an OPML 2.0 attachment (feeds.opml), for a feed reader or another instance.</summary>
    public async Task<IActionResult> ExportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        request.HttpContext.Response.Headers.ContentDisposition = "attachment; filename=\"feeds.opml\"";
        return new ContentResult { StatusCode = 200, ContentType = "text/x-opml; charset=utf-8", Content = await feeds.ExportAsync(cancellationToken) };
    }

    /// <summary>POST: fetch the feed now, whatever its schedule (202: queued; the next fetch worker takes it).</summary>
    public async Task<IActionResult> RefreshFeedAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        return await feeds.RefreshAsync(id, cancellationToken) is { } feed
            ? ApiJson.Result(new { id = feed.Id, url = feed.Url, title = feed.Title, queuedAt = time.GetUtcNow() }, 202)
            : NotFound("feed", id);
    }

    /// <summary>GET: the feed's newest articles (up to 20) with their severity once scored.</summary>
    public async Task<IActionResult> FeedArticlesAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        return await feeds.RecentArticlesAsync(id, cancellationToken) is { } items ? ApiJson.Result(new { items }) : NotFound("feed", id);
    }

    // ---- subscribers ----

    public async Task<IActionResult> SubscribersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            var page = await subscribers.QueryAsync(request.Query["search"].ToString(), NullIfEmpty(request.Query["continuation"]), PageSize(request), cancellationToken);
            return ApiJson.Result(new { items = page.Subscribers.Select(SubscriberView.From), continuation = page.Continuation });
        }

        var (input, problem) = await ApiJson.ReadAsync<SubscriberBody>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await subscribers.CreateAsync(input!.ToInput(), cancellationToken);
        return result.Status switch
        {
            SubscriberWriteStatus.Invalid => Problems.Result(400, "Invalid subscriber", "One or more fields are invalid.", new Dictionary<string, string[]>(result.Errors!)),
            SubscriberWriteStatus.Exists => Problems.Result(409, "Subscriber exists", $"This address is already subscriber {result.Subscriber?.Id}."),
            _ => WithETag(request, Created(request, "/api/admin/subscribers/" + result.Subscriber!.Id, SubscriberView.From(result.Subscriber)), result.Subscriber.Version),
        };
    }

    public async Task<IActionResult> SubscriberAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            return await subscribers.GetAsync(id, cancellationToken) is { } found ? WithETag(request, ApiJson.Result(SubscriberView.From(found)), found.Version) : NotFound("subscriber", id);
        }

        SubscriberWriteResult result;
        if (HttpMethods.IsDelete(request.Method))
        {
            result = await subscribers.EraseAsync(id, IfMatch(request), cancellationToken);
        }
        else
        {
            var (input, problem) = await ApiJson.ReadAsync<SubscriberBody>(request, MaxBodyBytes, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            result = await subscribers.UpdateAsync(id, input!.ToInput(), IfMatch(request), cancellationToken);
        }

        return result.Status switch
        {
            SubscriberWriteStatus.Invalid => Problems.Result(400, "Invalid subscriber", "One or more fields are invalid.", new Dictionary<string, string[]>(result.Errors!)),
            SubscriberWriteStatus.NotFound => NotFound("subscriber", id),
            SubscriberWriteStatus.PreconditionRequired => Problems.PreconditionRequired("Send the subscriber's ETag (from GET) as If-Match, or If-Match: * to overwrite whatever it is now."),
            SubscriberWriteStatus.Conflict => Problems.Changed(request.HttpContext.Response, "The subscriber changed", "The subscriber changed since you read it (a digest sent updates it too): read it again.", result.Subscriber?.Version),
            SubscriberWriteStatus.Deleted => new NoContentResult(),
            _ => WithETag(request, ApiJson.Result(SubscriberView.From(result.Subscriber!)), result.Subscriber!.Version),
        };
    }

    // ---- feedback ----

    /// <summary>GET: what subscribers said about alerts over <c>days</c> (default 30): per signal, per rule, and the false alarms.</summary>
    public async Task<IActionResult> FeedbackAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        var daysText = NullIfEmpty(request.Query["days"]);
        if (daysText is not null && (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 366))
        {
            return Problems.Result(400, "Invalid days", "days is a whole number from 1 to 366.", new Dictionary<string, string[]> { ["days"] = ["A whole number from 1 to 366."] });
        }

        var days = daysText is null ? 30 : int.Parse(daysText, CultureInfo.InvariantCulture);
        return ApiJson.Result(await feedback.SummaryAsync(days, cancellationToken));
    }

    // ---- alerts ----

    public async Task<IActionResult> AlertsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, problem) = AuthorizedQuery(request);
        if (problem is not null)
        {
            return problem;
        }

        var page = await alerts.QueryAsync(query!, NullIfEmpty(request.Query["continuation"]), PageSize(request), cancellationToken);
        return ApiJson.Result(new { items = page.Alerts.Select(AlertView.From), continuation = page.Continuation });
    }

    /// <summary>The same alerts as an Atom 1.0 feed (newest 100), so that any feed reader can follow them.</summary>
    public async Task<IActionResult> AlertsAtomAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, problem) = AuthorizedQuery(request);
        if (problem is not null)
        {
            return problem;
        }

        var items = new List<AlertRecord>();
        string? continuation = null;
        do
        {
            var page = await alerts.QueryAsync(query!, continuation, 200, cancellationToken);
            items.AddRange(page.Alerts);
            continuation = page.Continuation;
        }
        while (continuation is not null && items.Count < 1000);

        // The public address, never the request's Host header, and never the key: a feed reader that keeps or shares
        // the self link must not keep or share admin access.
        var selfQuery = QueryString.Create(request.Query.Where(q => !string.Equals(q.Key, "code", StringComparison.OrdinalIgnoreCase)));
        var self = email.Value.PublicBaseUrl.TrimEnd('/') + request.Path + selfQuery;
        return new ContentResult { StatusCode = 200, ContentType = "application/atom+xml; charset=utf-8", Content = AlertFeedWriter.Atom(self, "Crisis Alerts", "urn:crisis-alerts:alerts", [.. items.OrderByDescending(a => a.ChangedAt).Take(100)], time.GetUtcNow()) };
    }

    /// <summary>The admin check, then the alert query of the request's parameters; either failure as the problem to return.</summary>
    private (AlertQuery? Query, IActionResult? Problem) AuthorizedQuery(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return (null, denied);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var since = time.GetUtcNow().AddDays(-7);
        if (NullIfEmpty(request.Query["since"]) is { } sinceText && !DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out since))
        {
            errors["since"] = ["'since' must be an ISO 8601 date and time."];
        }

        Severity? severity = null;
        if (NullIfEmpty(request.Query["severity"]) is { } severityText)
        {
            if (Enum.TryParse<Severity>(severityText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !severityText.All(char.IsAsciiDigit))
            {
                severity = parsed;
            }
            else
            {
                errors["severity"] = ["'severity' must be watch, warning or critical."];
            }
        }

        var countryText = NullIfEmpty(request.Query["country"]);
        var country = Gazetteer.Default.FindCountry(countryText)?.Code;
        if (countryText is not null && country is null)
        {
            errors["country"] = [$"'{countryText}' is not a country this service knows: give its name (Chad, Tchad) or ISO 3166 code (TD)."];
        }

        if (!int.TryParse(request.Query["pageSize"].ToString() is { Length: > 0 } size ? size : "50", CultureInfo.InvariantCulture, out var pageSize) || pageSize is < 1 or > 500)
        {
            errors["pageSize"] = ["'pageSize' must be between 1 and 500."];
        }

        return errors.Count > 0
            ? (null, Problems.Result(400, "Invalid query", "One or more parameters are invalid.", errors))
            : (new AlertQuery(since, severity, country, NullIfEmpty(request.Query["signal"])), null);
    }

    private static string? IfMatch(HttpRequest request) => AdminListEndpoints.Header(request, HeaderNames.IfMatch);

    private static int PageSize(HttpRequest request) =>
        int.TryParse(request.Query["pageSize"].ToString(), CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, 500) : 50;

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is { Length: > 0 } text ? text : null;

    private static IActionResult NotFound(string what, string id) => Problems.Result(404, $"No such {what}", $"There is no {what} '{id}'.");

    private static JsonResult Created(HttpRequest request, string location, object value)
    {
        request.HttpContext.Response.Headers.Location = location;
        return ApiJson.Result(value, 201);
    }

    private static IActionResult WithETag(HttpRequest request, IActionResult result, string? etag)
    {
        if (etag is not null)
        {
            request.HttpContext.Response.Headers.ETag = etag;
        }

        return result;
    }

    /// <summary>A subscriber as the API shows it.</summary>
    public sealed record SubscriberView(string Id, string Email, string Name, string Status, string TimeZone, string Language, SubscriberPreferencesView Preferences, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt, DateTimeOffset? LastDigestDueAt,
        IReadOnlyList<ChannelView> Channels, [property: System.Text.Json.Serialization.JsonPropertyName("etag")] string? ETag)
    {
        public static SubscriberView From(Subscriber s)
        {
            ArgumentNullException.ThrowIfNull(s);
            var p = s.Preferences;
            return new SubscriberView(s.Id, s.Email, s.DisplayName, s.Status.ToString().ToLowerInvariant(), s.TimeZone, s.Language,
                new SubscriberPreferencesView(p.ImmediateCritical, p.ImmediateByEmail, p.Frequency.ToString().ToLowerInvariant(), p.At.ToString("HH:mm", CultureInfo.InvariantCulture), p.Day.ToString().ToLowerInvariant(),
                    p.MinimumSeverity.ToString().ToLowerInvariant(), p.Signals, p.Countries, p.Regions, p.Places, p.Lists),
                s.CreatedAt, s.ConfirmedAt, s.LastDigestDueAt, [.. s.Channels.Select(ChannelView.From)], s.Version);
        }
    }

    public sealed record SubscriberPreferencesView(bool ImmediateCritical, bool ImmediateByEmail, string Frequency, string At, string Day, string MinimumSeverity, IReadOnlyList<string> Signals, IReadOnlyList<string> Countries, IReadOnlyList<string> Regions, IReadOnlyList<string> Places, IReadOnlyList<string> Lists);

    /// <summary>An alert as the API shows it.</summary>
    public sealed record AlertView(string StoryId, string Title, string? Url, Severity Severity, double Score, IReadOnlyList<string> Countries, Alerts.Core.Places.ArticlePlace? Place, IReadOnlyList<string> Signals, int SourceCount, IReadOnlyList<string> Sources, DateTimeOffset? Published, DateTimeOffset CreatedAt, DateTimeOffset ChangedAt, IReadOnlyList<SignalMatch> Evidence)
    {
        public static AlertView From(AlertRecord a)
        {
            ArgumentNullException.ThrowIfNull(a);
            return new AlertView(a.StoryId, a.Title, a.Url, a.Severity, a.Score, a.Countries, a.Place, a.Signals, a.SourceCount, a.Sources, a.Published, a.CreatedAt, a.ChangedAt, a.Evidence);
        }
    }

    /// <summary>The subscriber body: the subscribe fields, flat, plus status.</summary>
    private sealed record SubscriberBody : SubscribeRequest
    {
        public string? Status { get; init; }

        public SubscriberInput ToInput() => new() { Status = Status, Request = this };
    }
}
