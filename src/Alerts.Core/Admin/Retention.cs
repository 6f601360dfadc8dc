using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Admin;

/// <summary>How long records are kept (configuration section "Retention"). Subscribers are never pruned, only erased.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Seen-article index (aliases and claims). Longer than any item stays in a feed, or it would be new again. Default: 60 days.</summary>
    [Range(typeof(TimeSpan), "7.00:00:00", "3650.00:00:00")]
    public TimeSpan ArticleIndex { get; set; } = TimeSpan.FromDays(60);

    /// <summary>Stories and their band index (stories join within 72 hours). Default: 30 days.</summary>
    [Range(typeof(TimeSpan), "4.00:00:00", "3650.00:00:00")]
    public TimeSpan Stories { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Scored articles (what backtests read). Default: 90 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ScoredArticles { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Alerts. Default: 365 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Alerts { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The archive (search) and the hours and days of activity (the map, country pages, trends' baselines). Default: 366 days.</summary>
    [Range(typeof(TimeSpan), "35.00:00:00", "3650.00:00:00")]
    public TimeSpan Archive { get; set; } = TimeSpan.FromDays(366);

    /// <summary>Delivery records (must outlive a digest window and an hour of immediate alerts). Default: 180 days.</summary>
    [Range(typeof(TimeSpan), "8.00:00:00", "3650.00:00:00")]
    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Rate-limit counters. Default: 2 days.</summary>
    [Range(typeof(TimeSpan), "02:00:00", "365.00:00:00")]
    public TimeSpan RateLimits { get; set; } = TimeSpan.FromDays(2);
}

/// <summary>Deletes records last written before their retention.</summary>
public interface IStorageRetention
{
    /// <summary>Deletes what was last written before now minus each retention; returns how many records per table.</summary>
    Task<IReadOnlyDictionary<string, int>> PruneAsync(DateTimeOffset now, RetentionOptions retention, CancellationToken cancellationToken);
}

/// <summary>Keeps storage from growing without end: prunes every table by its retention (the PruneStorage timer).</summary>
public sealed partial class StoragePruner(IStorageRetention retention, IOptions<RetentionOptions> options, TimeProvider time, ILogger<StoragePruner> logger)
{
    public async Task<IReadOnlyDictionary<string, int>> PruneAsync(CancellationToken cancellationToken)
    {
        var deleted = await retention.PruneAsync(time.GetUtcNow(), options.Value, cancellationToken);
        var total = deleted.Values.Sum();
        var perTable = string.Join(", ", deleted.Select(d => $"{d.Key} {d.Value}"));
        LogPruned(logger, total, perTable);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Total} records: {PerTable}")]
    private static partial void LogPruned(ILogger logger, int total, string perTable);
}
