using System.ComponentModel.DataAnnotations;

namespace Alerts.Core.Ingestion;

/// <summary>Scheduling and de-duplication settings for feed ingestion (configuration section "Ingestion").</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Poll interval for feeds added without one. Default: 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DefaultPollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>No feed is fetched more often than this, whatever its settings. Default: 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait that backoff, Retry-After, max-age or ttl can impose. Default: 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a publisher owns an article before another instance may take over. Default: 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ArticleClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Feeds claimed and enqueued at once by one poll. Default: 16.</summary>
    [Range(1, 256)]
    public int PollParallelism { get; set; } = 16;

    /// <summary>Largest article message JSON, before Base64. Default: 32 KB (48 KB once encoded).</summary>
    [Range(4096, 36 * 1024)]
    public int MaxArticleMessageBytes { get; set; } = 32 * 1024;
}
