using System.Text;
using System.Text.RegularExpressions;
using Alerts.Core.Admin;
using Alerts.Core.Scoring;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// /api/admin/keyword-lists: list, read (with ETag), write only with If-Match (or If-None-Match: * to create), delete,
/// versions and restore, validate, and backtest a draft.
/// </summary>
public sealed partial class AdminListEndpoints(KeywordListAdmin lists, AdminAuthorization authorization, Alerts.Core.Feedback.FeedbackService feedback, IScoredArticleStore scored)
{
    public const int MaxDocumentBytes = 1024 * 1024;

    /// <summary>Errors listed in an answer at most; the answer says how many more there are.</summary>
    public const int MaxReportedErrors = 100;

    public const int MaxBacktestBytes = 8 * 1024 * 1024;
    public const int MaxBacktestArticles = 10_000;

    public async Task<IActionResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        return ApiJson.Result(new { items = await lists.ListAsync(cancellationToken) });
    }

    public async Task<IActionResult> ItemAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var check = authorization.Check(request);
        if (check.Failure is { } denied)
        {
            return denied;
        }

        if (!IsName(name))
        {
            return BadName(name);
        }

        if (HttpMethods.IsGet(request.Method))
        {
            var stored = await lists.GetAsync(name, cancellationToken);
            if (stored is null)
            {
                return Problems.Result(404, "No such list", $"There is no keyword list '{name}'.");
            }

            request.HttpContext.Response.Headers.ETag = stored.ETag;
            return ApiJson.Result(new { name, document = stored.Document, etag = stored.ETag, lastModified = stored.LastModified });
        }

        var ifMatch = Header(request, HeaderNames.IfMatch);
        if (HttpMethods.IsDelete(request.Method))
        {
            return Written(request, name, await lists.DeleteAsync(name, ifMatch, check.Author, cancellationToken));
        }

        var (document, problem) = await DocumentAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var create = Header(request, HeaderNames.IfNoneMatch) == "*";
        return Written(request, name, await lists.SaveAsync(name, document!, create ? null : ifMatch, create && ifMatch is null, check.Author, cancellationToken));
    }

    public async Task<IActionResult> ValidateAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        var (document, problem) = await DocumentAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = KeywordListAdmin.Validate(name, document!);
        return ApiJson.Result(new { valid = errors.Count == 0, errors = Reported(errors), moreErrors = Math.Max(0, errors.Count - MaxReportedErrors) });
    }

    public async Task<IActionResult> VersionsAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        return ApiJson.Result(new { items = await lists.VersionsAsync(name, cancellationToken) });
    }

    public async Task<IActionResult> VersionAsync(HttpRequest request, string name, int version, CancellationToken cancellationToken)
    {
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        return await lists.VersionAsync(name, version, cancellationToken) is { } found
            ? ApiJson.Result(found)
            : Problems.Result(404, "No such version", $"The list '{name}' has no version {version}.");
    }

    public async Task<IActionResult> RestoreAsync(HttpRequest request, string name, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var check = authorization.Check(request);
        if (check.Failure is { } denied)
        {
            return denied;
        }

        return Written(request, name, await lists.RestoreAsync(name, version, Header(request, HeaderNames.IfMatch), check.Author, cancellationToken));
    }

    /// <summary>The body: <c>{"document": "...", "days": N}</c> or <c>{"document": "...", "articles": [{"title", "content", "url"?, "id"?}]}</c>.</summary>
    public async Task<IActionResult> BacktestAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        var (body, problem) = await ApiJson.ReadAsync<BacktestRequest>(request, MaxBacktestBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(body!.Document))
        {
            errors["document"] = ["The draft document is required."];
        }

        if (body.FalseAlarmDays is { } falseAlarmDays && falseAlarmDays is not (>= 1 and <= 366))
        {
            errors["falseAlarmDays"] = ["Give the days of feedback to take the false alarms from, between 1 and 366."];
        }
        else if (body.Articles is null && body.FalseAlarmDays is null && body.Days is not (>= 1 and <= 90))
        {
            errors["days"] = ["Give articles, falseAlarmDays, or days between 1 and 90."];
        }

        if (body.Articles is { Count: > MaxBacktestArticles })
        {
            errors["articles"] = [$"At most {MaxBacktestArticles} articles."];
        }

        if (errors.Count > 0)
        {
            return Problems.Result(400, "Invalid backtest", "One or more fields are invalid.", errors);
        }

        var given = body.FalseAlarmDays is { } alarmDays
            ? await FalseAlarmsAsync(alarmDays, cancellationToken)
            : body.Articles?.Select((a, i) => new BacktestArticle(a.Id ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), a.Title ?? "", a.Content ?? a.Summary ?? "", a.Url)).ToList();
        // The work stops when the client leaves, as well as when the host stops (the function's own token).
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.HttpContext.RequestAborted);
        var (result, listErrors) = await lists.BacktestAsync(name, body.Document!, given, body.Days ?? 0, aborted.Token);
        return result is null ? InvalidDocument(listErrors) : ApiJson.Result(result);
    }

    /// <summary>The articles behind the alerts subscribers marked false alarms in the last <paramref name="days"/> days.</summary>
    private async Task<List<BacktestArticle>> FalseAlarmsAsync(int days, CancellationToken cancellationToken)
    {
        var summary = await feedback.SummaryAsync(days, cancellationToken);
        var articles = new List<BacktestArticle>();
        foreach (var id in summary.FalseAlarms.Select(f => f.ArticleId).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).Take(MaxBacktestArticles))
        {
            if (await scored.GetAsync(id, cancellationToken) is { } article)
            {
                articles.Add(new BacktestArticle(article.Id, article.Title, article.Content, article.Url, article.Published ?? article.ScoredAt));
            }
        }

        return articles;
    }

    private static IActionResult Written(HttpRequest request, string name, ListWriteResult result)
    {
        var response = request.HttpContext.Response;
        switch (result.Status)
        {
            case ListWriteStatus.Saved:
                response.Headers.ETag = result.ETag;
                return ApiJson.Result(new { name, etag = result.ETag, version = result.Version, document = result.Document });
            case ListWriteStatus.Deleted:
                return new NoContentResult();
            case ListWriteStatus.Invalid:
                return InvalidDocument(result.Errors!);
            case ListWriteStatus.PreconditionRequired:
                return Problems.PreconditionRequired("Send the ETag you edited as If-Match (or If-None-Match: * to create a new list), so that nobody's change is overwritten.");
            case ListWriteStatus.Conflict:
                return Problems.Changed(response, "The list changed", "Someone else saved this list since you read it: read it again, merge, and send the new ETag.", result.ETag);
            default:
                return Problems.Result(404, "No such list", $"There is no keyword list '{name}'.");
        }
    }

    private static ObjectResult InvalidDocument(IReadOnlyList<ListError> errors)
    {
        var shown = errors.Count > MaxReportedErrors ? $" The first {MaxReportedErrors} are listed." : "";
        var result = (ObjectResult)Problems.Result(400, "Invalid keyword list", $"The document has {errors.Count} error(s); nothing was saved.{shown}");
        ((ProblemDetails)result.Value!).Extensions["errors"] = Reported(errors);
        ((ProblemDetails)result.Value!).Extensions["moreErrors"] = Math.Max(0, errors.Count - MaxReportedErrors);
        return result;
    }

    /// <summary>The first <see cref="MaxReportedErrors"/> errors: an answer stays small whatever the document (the count of the rest goes with it).</summary>
    private static List<object> Reported(IReadOnlyList<ListError> errors) =>
        [.. errors.Take(MaxReportedErrors).Select(e => (object)new { line = e.Line, column = e.Column, message = e.Message })];

    /// <summary>The document from a text/plain body, or the "document" field of a JSON body.</summary>
    private static async Task<(string? Document, IActionResult? Problem)> DocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var type = request.ContentType ?? "";
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            var (body, problem) = await ApiJson.ReadAsync<DocumentRequest>(request, MaxDocumentBytes, cancellationToken);
            return problem is not null ? (null, problem) : body!.Document is null ? (null, Problems.Result(400, "Missing document", "Send {\"document\": \"...\"}.")) : (body.Document, null);
        }

        if (!type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Result(415, "Unsupported media type", "Send the document as text/plain, or JSON {\"document\": \"...\"}."));
        }

        var bytes = await Problems.ReadBodyAsync(request, MaxDocumentBytes, cancellationToken);
        return bytes is null ? (null, Problems.Result(413, "Document too large", $"A keyword list is at most {MaxDocumentBytes} bytes.")) : (Encoding.UTF8.GetString(bytes), null);
    }

    /// <summary>A request header's value, or null when absent or empty (If-Match, If-None-Match).</summary>
    internal static string? Header(HttpRequest request, string name) => request.Headers[name].ToString() is { Length: > 0 } value ? value : null;

    private static bool IsName(string name) => NamePattern().IsMatch(name);

    private static IActionResult BadName(string name) => Problems.Result(400, "Invalid list name", $"'{name}' is not a list name: lower-case letters, digits and '-', at most 63.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();

    /// <summary>POST {title, content, published?}: the article scored with the live lists, as the pipeline would, with places.</summary>
    public async Task<IActionResult> ScoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        var (body, problem) = await ApiJson.ReadAsync<BacktestArticleInput>(request, MaxDocumentBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var content = body!.Content ?? body.Summary ?? "";
        if (string.IsNullOrWhiteSpace(body.Title) && string.IsNullOrWhiteSpace(content))
        {
            return Problems.Result(400, "Nothing to score", "Send a title, a content, or both.", new Dictionary<string, string[]> { ["title"] = ["A title or a content is required."] });
        }

        return ApiJson.Result(await lists.ScoreAsync(body.Title ?? "", content, cancellationToken));
    }

    private sealed record DocumentRequest(string? Document);

    private sealed record BacktestRequest(string? Document, int? Days, IReadOnlyList<BacktestArticleInput>? Articles, int? FalseAlarmDays);

    private sealed record BacktestArticleInput(string? Id, string? Title, string? Content, string? Summary, string? Url);
}
