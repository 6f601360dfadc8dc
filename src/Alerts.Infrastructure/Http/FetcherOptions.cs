using System.ComponentModel.DataAnnotations;

namespace Alerts.Infrastructure.Http;

/// <summary>Limits and identity of the feed fetcher (configuration section "Fetcher").</summary>
public sealed class FetcherOptions
{
    public const string Section = "Fetcher";

    /// <summary>
    /// Allow loopback addresses (127.0.0.0/8, ::1) for local development and tests. Private, link-local, CGNAT and
    /// unique-local addresses stay refused even then. Default: false.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Largest body accepted, counted after decompression. Default: 10 MB.</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Deadline for the whole fetch: connect, every redirect hop, headers and body. Default: 20 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Redirects followed before giving up. Default: 5.</summary>
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>The User-Agent header; names the service so publishers can reach its operators. </summary>
    [Required]
    public string UserAgent { get; set; } = "CrisisAlerts/1.0 (feed reader; +https://github.com/crisis-alerts/crisis-alerts)";
}
