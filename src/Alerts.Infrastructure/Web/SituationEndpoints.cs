using System.Globalization;
using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>/api/admin/situation (the map), /api/admin/countries/{code}, /api/admin/stories/{id} and /api/admin/archive.</summary>
public sealed class SituationEndpoints(SituationService situation, ArchiveSearch archive, AdminAuthorization authorization, TimeProvider time)
{
    /// <summary>The map over the last <c>days</c> (1 to 30, default 3).</summary>
    public async Task<IActionResult> MapAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        if (Days(request, 3, 30) is not { } days)
        {
            return Invalid("days", "'days' must be a whole number from 1 to 30.");
        }

        return ApiJson.Result(await situation.MapAsync(days, cancellationToken));
    }

    /// <summary>Every country the service knows: code, names in English, French and Spanish, region and sub-region.</summary>
    public IActionResult Countries(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        return ApiJson.Result(new
        {
            items = Alerts.Core.Places.Gazetteer.Default.Countries.Values.OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new { code = c.Code, name = c.Name, nameFr = c.NameFr, nameEs = c.NameEs, region = c.Region, subRegion = c.SubRegion }),
        });
    }

    /// <summary>A country's page over the last <c>days</c> (1 to 366, default 30).</summary>
    public async Task<IActionResult> CountryAsync(HttpRequest request, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        if (Days(request, 30, 366) is not { } days)
        {
            return Invalid("days", "'days' must be a whole number from 1 to 366.");
        }

        return await situation.CountryAsync(code, days, cancellationToken) is { } page
            ? ApiJson.Result(page)
            : Problems.Result(404, "No such country", $"'{code}' is not a country this service knows: give its ISO 3166 code (KZ) or name.");
    }

    public async Task<IActionResult> StoryAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        return await situation.StoryAsync(id, cancellationToken) is { } page
            ? ApiJson.Result(page)
            : Problems.Result(404, "No such story", $"There is no story '{id}'.");
    }

    /// <summary>
    /// Archive search: <c>q</c> (words; country names in any language the service knows), <c>country</c> (name, code
    /// or UN region), <c>place</c>, <c>signal</c>, <c>severity</c> (at least), <c>from</c> and <c>to</c> (dates, both
    /// included; default the last 30 days), <c>pageSize</c> (1 to 100, default 25) and <c>continuation</c>.
    /// </summary>
    public async Task<IActionResult> ArchiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authorization.Check(request).Failure is { } denied)
        {
            return denied;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var today = ActivityPeriod.DayOf(time.GetUtcNow());
        var to = Date(request, "to", errors) is { } lastDay ? lastDay.AddDays(1) : today.AddDays(1);
        var from = Date(request, "from", errors) ?? to.AddDays(-30);
        var severity = Severity.None;
        if (Text(request, "severity") is { } severityText && (!Enum.TryParse(severityText, ignoreCase: true, out severity) || !Enum.IsDefined(severity) || severityText.All(char.IsAsciiDigit)))
        {
            errors["severity"] = ["'severity' must be none, watch, warning or critical."];
        }

        if (!int.TryParse(Text(request, "pageSize") ?? "25", CultureInfo.InvariantCulture, out var pageSize) || pageSize is < 1 or > 100)
        {
            errors["pageSize"] = ["'pageSize' must be from 1 to 100."];
        }

        if (errors.Count > 0)
        {
            return Problems.Result(400, "Invalid query", "One or more parameters are invalid.", errors);
        }

        var query = new ArchiveQuery { Text = Text(request, "q"), Country = Text(request, "country"), Place = Text(request, "place"), Signal = Text(request, "signal"), MinimumSeverity = severity, From = from, To = to };
        try
        {
            var page = await archive.SearchAsync(query, Text(request, "continuation"), pageSize, cancellationToken);
            return ApiJson.Result(new { items = page.Items, continuation = page.Continuation, terms = page.Terms, from, to });
        }
        catch (ArchiveQueryException ex)
        {
            return Invalid(ex.Field, ex.Message);
        }
    }

    private static IActionResult Invalid(string field, string message) =>
        Problems.Result(400, "Invalid query", "One or more parameters are invalid.", new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static int? Days(HttpRequest request, int fallback, int max) =>
        Text(request, "days") is not { } text ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1 && days <= max ? days : null;

    private static DateTimeOffset? Date(HttpRequest request, string name, Dictionary<string, string[]> errors)
    {
        if (Text(request, name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date.Year is >= 2000 and <= 2200)
        {
            return new DateTimeOffset(date.Date, TimeSpan.Zero);
        }

        errors[name] = [$"'{name}' must be a date written yyyy-MM-dd, from the year 2000 to 2200."];
        return null;
    }

    private static string? Text(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } text ? text : null;
}
