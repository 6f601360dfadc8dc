using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Web;

/// <summary>Who may use the admin API (configuration section "Admin").</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// When set, admin requests must also carry an App Service Authentication principal (X-MS-CLIENT-PRINCIPAL) whose
    /// roles hold this app role. Only set it with App Service Authentication on: it is what strips forged headers.
    /// </summary>
    [MaxLength(200)]
    public string? RequiredRole { get; set; }
}

/// <summary>The outcome of an admin check: a failure to return, or the name to record as the author of changes.</summary>
public sealed record AdminCheck(IActionResult? Failure, string Author);

/// <summary>
/// The admin API's second gate, after the function key the host checks (AuthorizationLevel.Function): with
/// <see cref="AdminOptions.RequiredRole"/> set, a missing or malformed principal is 401 and a principal without the role
/// is 403 (fail closed).
/// </summary>
public sealed class AdminAuthorization(IOptions<AdminOptions> options)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    private static readonly string[] RoleClaimTypes = ["roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];
    private static readonly string[] NameClaimTypes = ["preferred_username", "name", "email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"];

    /// <summary>The name an admin signed in with the key gives for the version history (the console sends it); never trusted for access.</summary>
    public const string AuthorHeader = "X-Alerts-Author";

    public AdminCheck Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var role = options.Value.RequiredRole;
        var header = request.Headers[PrincipalHeader].ToString();
        var principal = header.Length == 0 ? null : Parse(header);
        var name = principal?.Name ?? request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString();
        if (string.IsNullOrWhiteSpace(role))
        {
            return new AdminCheck(null, string.IsNullOrWhiteSpace(name) ? KeyHolder(request) : name);
        }

        if (header.Length == 0)
        {
            return new AdminCheck(Problems.Result(StatusCodes.Status401Unauthorized, "Sign-in required", "This API needs a signed-in admin (App Service Authentication)."), "");
        }

        if (principal is null)
        {
            return new AdminCheck(Problems.Result(StatusCodes.Status401Unauthorized, "Invalid principal", $"The {PrincipalHeader} header is not a valid principal."), "");
        }

        if (!principal.Roles.Contains(role, StringComparer.Ordinal))
        {
            return new AdminCheck(Problems.Result(StatusCodes.Status403Forbidden, "Not an admin", $"The signed-in user does not have the '{role}' role."), "");
        }

        return new AdminCheck(null, principal.Name ?? "admin");
    }

    private sealed record Principal(string? Name, IReadOnlyList<string> Roles);

    private static Principal? Parse(string header)
    {
        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var roleType = root.TryGetProperty("role_typ", out var rt) ? rt.GetString() : null;
            var nameType = root.TryGetProperty("name_typ", out var nt) ? nt.GetString() : null;
            var pairs = claims.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("typ", out _) && c.TryGetProperty("val", out _))
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? "", Value: c.GetProperty("val").GetString() ?? ""))
                .ToList();
            var roles = pairs.Where(p => p.Type == roleType || RoleClaimTypes.Contains(p.Type, StringComparer.Ordinal)).Select(p => p.Value).ToList();
            var name = pairs.FirstOrDefault(p => p.Type == nameType).Value ?? NameClaimTypes.Select(t => pairs.FirstOrDefault(p => p.Type == t).Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            return new Principal(string.IsNullOrEmpty(name) ? null : name, roles);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>"Ana (function key)" when the caller named themselves, else "function key": a key has no identity of its own.</summary>
    private static string KeyHolder(HttpRequest request)
    {
        // Percent-encoded UTF-8, since a header carries Latin-1 only ("Zo%C3%AB").
        var raw = request.Headers[AuthorHeader].ToString();
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            decoded = raw;
        }

        var given = new string([.. decoded.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or '-' or '_' or '@' or '\'').Take(60)]).Trim();
        return given.Length == 0 ? "function key" : $"{given} (function key)";
    }
}
