using System.Net;
using Alerts.Core.Texts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// Small self-contained HTML pages (inline CSS, no scripts, no external resources) for the links people open from
/// email. Every dynamic value is HTML-encoded. Served with a strict Content-Security-Policy and no caching; the
/// referrer is never sent (the URL holds a token).
/// </summary>
public static class HtmlPage
{
    /// <summary>A page with a heading, a paragraph and optionally a form that POSTs back to the same URL with one button.</summary>
    /// <remarks>
    /// <paramref name="language"/> sets the page's <c>lang</c>; <paramref name="details"/> are shown as a list of
    /// label and value pairs under the message (what a confirmation confirms).
    /// </remarks>
    public static IActionResult Result(HttpResponse response, int status, string title, string message, string? button = null, string language = "en", IReadOnlyList<(string Label, string Value)>? details = null, (string Href, string Label)? link = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        SecureHeaders(response);
        var list = details is not { Count: > 0 } ? "" :
            "<dl style=\"font-size:15px;line-height:1.5;margin:0 0 16px;\">" + string.Concat(details.Select(d =>
                "<dt style=\"font-weight:bold;\">" + Encode(d.Label) + "</dt><dd style=\"margin:0 0 6px;\">" + Encode(d.Value) + "</dd>")) + "</dl>";
        var form = button is null ? "" :
            "<form method=\"post\"><button type=\"submit\" style=\"font-size:16px;padding:10px 18px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;\">"
            + Encode(button) + "</button></form>";
        var html = "<!DOCTYPE html>" + TextCatalog.For(language).HtmlStart + "<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"robots\" content=\"noindex\"><title>" + Encode(title) + " · Crisis Alerts</title></head>"
            + "<body style=\"margin:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#111827;\">"
            + "<main style=\"max-width:560px;margin:48px auto;padding:24px;background:#fff;border-radius:8px;\">"
            + "<p style=\"margin:0 0 8px;font-size:13px;color:#6b7280;\">Crisis Alerts</p><h1 style=\"font-size:22px;margin:0 0 12px;\">" + Encode(title) + "</h1>"
            + "<p style=\"font-size:16px;line-height:1.5;\">" + Encode(message) + "</p>" + list + form
            + (link is { } l ? "<p style=\"font-size:16px;\"><a href=\"" + Encode(l.Href) + "\" style=\"color:#1d4ed8;\">" + Encode(l.Label) + "</a></p>" : "")
            + "</main></body></html>";
        return new ContentResult { StatusCode = status, ContentType = "text/html; charset=utf-8", Content = html };
    }

    /// <summary>Headers for pages and API answers reached from email links.</summary>
    public static void SecureHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
