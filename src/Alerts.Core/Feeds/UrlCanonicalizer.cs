using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// Canonical form of an article URL for de-duplication: scheme and host lower-cased, default port and fragment dropped,
/// tracking parameters (utm_*, fbclid, gclid, ...) removed, the other parameters kept in order.
/// </summary>
public static class UrlCanonicalizer
{
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "_gl",
        "ocid", "cmpid", "ito", "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
        "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "wt.mc_id", "rss", "taid",
    };

    /// <summary>Returns the canonical form of <paramref name="url"/>, or null when it is not an absolute http(s) URL.</summary>
    public static string? Canonicalize(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        return Canonicalize(uri);
    }

    /// <inheritdoc cref="Canonicalize(string?)"/>
    public static string? Canonicalize(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        try
        {
            return Canonical(uri);
        }
        catch (UriFormatException)
        {
            return null; // parsed, but its host is no valid internationalized name (found only when it is read)
        }
    }

    private static string Canonical(Uri uri)
    {
        var sb = new StringBuilder(uri.AbsoluteUri.Length);
        sb.Append(uri.Scheme).Append("://").Append(uri.IdnHost.ToLowerInvariant().TrimEnd('.'));
        if (!uri.IsDefaultPort)
        {
            sb.Append(':').Append(uri.Port);
        }

        sb.Append(string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath);
        var query = uri.Query.TrimStart('?');
        if (query.Length > 0)
        {
            var kept = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !IsTracking(p)).ToList();
            if (kept.Count > 0)
            {
                sb.Append('?').AppendJoin('&', kept);
            }
        }

        return sb.ToString();
    }

    private static bool IsTracking(string parameter)
    {
        var eq = parameter.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? parameter : parameter[..eq];
        return name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(name);
    }
}
