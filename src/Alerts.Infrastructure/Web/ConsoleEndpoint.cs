using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The admin console's static files (HTML, CSS, JavaScript modules), embedded in the assembly: no CDN, no external fonts
/// or scripts. The files hold no data; every API call they make needs the function key (asked once per browser
/// session) or, in Azure, the App Service Authentication session with the admin role.
/// </summary>
public static class ConsoleEndpoint
{
    private static readonly Dictionary<string, (string Type, string Resource)> Files = new(StringComparer.Ordinal)
    {
        [""] = ("text/html; charset=utf-8", "index.html"),
        ["index.html"] = ("text/html; charset=utf-8", "index.html"),
        ["console.css"] = ("text/css; charset=utf-8", "console.css"),
        ["console.js"] = ("text/javascript; charset=utf-8", "console.js"),
        ["world.svg"] = ("image/svg+xml; charset=utf-8", "world.svg"),
        ["world-projection.json"] = ("application/json; charset=utf-8", "world-projection.json"),
    };

    private static readonly Dictionary<string, string> Contents = Load();

    public static IActionResult Get(HttpRequest request, string? path)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Files.TryGetValue((path ?? "").Trim('/'), out var file))
        {
            return Problems.Result(404, "Not found", $"The console has no file '{path}'.");
        }

        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return new ContentResult { StatusCode = 200, ContentType = file.Type, Content = Contents[file.Resource] };
    }

    /// <summary>The text of one of the console's files (the world map for the subscribers' board).</summary>
    internal static string Text(string resource) => Contents[resource];

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(ConsoleEndpoint).Assembly;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Web.Console.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result[name[(name.IndexOf(".Web.Console.", StringComparison.Ordinal) + ".Web.Console.".Length)..]] = reader.ReadToEnd();
        }

        return result;
    }
}
