using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>RFC 9457 problem details (application/problem+json) for every API error.</summary>
public static class Problems
{
    public static IActionResult Result(int status, string title, string? detail = null, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new ValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15." + (status >= 500 ? "6." : "5.") + (status % 100 + 1);
        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    /// <summary>428: a write that names no version (RFC 6585), so that nobody's change is overwritten unseen.</summary>
    public static IActionResult PreconditionRequired(string detail) => Result(428, "If-Match required", detail);

    /// <summary>412: the resource changed since the version the caller sent; the current ETag in the header and the body.</summary>
    public static IActionResult Changed(HttpResponse response, string title, string detail, string? currentEtag)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (currentEtag is not null)
        {
            response.Headers.ETag = currentEtag;
        }

        var conflict = (ObjectResult)Result(412, title, detail);
        ((ProblemDetails)conflict.Value!).Extensions["currentEtag"] = currentEtag;
        return conflict;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes of the body; null when it is larger.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
