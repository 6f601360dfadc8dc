using System.Diagnostics.Metrics;

namespace Alerts.Core.Ingestion;

/// <summary>Counters for feed ingestion, on the meter "CrisisAlerts.Ingestion".</summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "CrisisAlerts.Ingestion";

    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _fetched;
    private readonly Counter<long> _notModified;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _newArticles;

    public IngestionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _enqueued = meter.CreateCounter<long>("alerts.feeds.enqueued", description: "Feeds claimed by a poll and queued for fetching");
        _fetched = meter.CreateCounter<long>("alerts.feeds.fetched", description: "Feed fetches that returned content (200)");
        _notModified = meter.CreateCounter<long>("alerts.feeds.not_modified", description: "Feed fetches answered 304 Not Modified");
        _failed = meter.CreateCounter<long>("alerts.feeds.failed", description: "Feed fetches or parses that failed");
        _newArticles = meter.CreateCounter<long>("alerts.articles.new", description: "New articles queued for scoring");
    }

    public void FeedsEnqueued(int count) => _enqueued.Add(count);
    public void FeedFetched() => _fetched.Add(1);
    public void FeedNotModified() => _notModified.Add(1);
    public void FeedFailed(FetchStatus status) => _failed.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
    public void NewArticles(int count) => _newArticles.Add(count);
}
