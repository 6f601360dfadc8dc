using System.Collections.Frozen;

namespace Alerts.Core.Places;

/// <summary>
/// The country whose domain an article's address is under (<c>.ru</c>, <c>.com.tr</c>, <c>.co.uk</c>, <c>.рф</c>): where
/// its source publishes. An article that names no country at all is most often domestic news ("a curfew for minors in
/// the region", "five dead on the M-5 near Penza"), so <see cref="PlaceDetector"/> places it there, marked as such.
/// </summary>
public static class SourceCountry
{
    // Country-code domains sold worldwide as generic names, or given away free (.tk, .ml, .ga, .cf, .gq): they say
    // nothing of where a source is.
    private static readonly FrozenSet<string> Generic = FrozenSet.ToFrozenSet(
    [
        "ac", "ad", "ai", "am", "as", "cc", "cd", "cf", "co", "cx", "dj", "fm", "ga", "gg", "gl", "gq", "gs", "im", "io", "la", "me",
        "ml", "ms", "mu", "nu", "pw", "sc", "sh", "so", "st", "tk", "tm", "to", "tv", "vc", "vg", "ws", "eu", "su",
    ], StringComparer.Ordinal);

    // Link shorteners under a country's domain: a link through them says nothing of its source's country.
    private static readonly FrozenSet<string> Shorteners = FrozenSet.ToFrozenSet(
    [
        "youtu.be", "reut.rs", "bbc.in", "dlvr.it", "cnn.it", "redd.it", "trib.al", "bit.ly", "buff.ly", "ow.ly", "ift.tt", "lnkd.in",
        "t.ly", "rb.gy", "cutt.ly", "shorturl.at", "n.pr", "is.gd", "v.gd", "tiny.cc", "s.id", "u.to", "qr.ae",
    ], StringComparer.OrdinalIgnoreCase);

    // Internationalized country domains, as the DNS writes them.
    private static readonly FrozenDictionary<string, string> Idn = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["xn--p1ai"] = "RU", // .рф
        ["xn--j1amh"] = "UA", // .укр
        ["xn--90ais"] = "BY", // .бел
        ["xn--mgba3a4f16a"] = "IR", // .ایران
        ["xn--wgbh1c"] = "EG", // .مصر
        ["xn--mgberp4a5d4ar"] = "SA", // .السعودية
        ["xn--mgbaam7a8h"] = "AE", // .امارات
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The country of <paramref name="url"/>'s domain, or null for a generic or unknown domain or no URL.</summary>
    public static string? Of(string? url, Gazetteer? gazetteer = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.HostNameType != UriHostNameType.Dns)
        {
            return null;
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (Shorteners.Contains(host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host))
        {
            return null;
        }

        var label = host[(host.LastIndexOf('.') + 1)..].ToLowerInvariant();
        if (Idn.TryGetValue(label, out var idn))
        {
            return idn;
        }

        var code = label == "uk" ? "GB" : label.ToUpperInvariant();
        return label.Length == 2 && !Generic.Contains(label) && (gazetteer ?? Gazetteer.Default).Countries.ContainsKey(code) ? code : null;
    }
}
