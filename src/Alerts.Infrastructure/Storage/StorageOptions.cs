using System.ComponentModel.DataAnnotations;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Names of the storage resources the service uses (configuration section "Storage"). The connection is the same one
/// the Functions host uses for its triggers: a connection string in <see cref="ConnectionName"/>, or identity-based
/// settings <c>{ConnectionName}__queueServiceUri</c>, <c>__tableServiceUri</c>, <c>__blobServiceUri</c> and optionally
/// <c>__clientId</c> for a user-assigned managed identity.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The configuration key of the storage connection. Default: "AzureWebJobsStorage".</summary>
    [Required]
    public string ConnectionName { get; set; } = "AzureWebJobsStorage";

    /// <summary>The feed registry table. Default: "feeds".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string FeedsTable { get; set; } = "feeds";

    /// <summary>The table of seen articles and their aliases. Default: "articleindex".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string ArticleIndexTable { get; set; } = "articleindex";

    /// <summary>The blob container holding full article text. Default: "articles".</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string ArticlesContainer { get; set; } = "articles";

    /// <summary>The queue of feeds to fetch; must match FetchFeed's trigger. Default: "feed-fetch".</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string FeedFetchQueue { get; set; } = QueueNames.FeedFetch;

    /// <summary>The blob container of keyword-list documents. Default: "keywordlists".</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string KeywordListsContainer { get; set; } = "keywordlists";

    /// <summary>The table of scored articles. Default: "scoredarticles".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string ScoredArticlesTable { get; set; } = "scoredarticles";

    /// <summary>The table of stories. Default: "stories".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string StoriesTable { get; set; } = "stories";

    /// <summary>The LSH band index of stories. Default: "storybands".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string StoryBandsTable { get; set; } = "storybands";

    /// <summary>
    /// The archive's tables, one per month under this prefix ("archive202612"): a partition per day holding each scored
    /// article's entry and its word index (search, the map's source). Default: "archive".
    /// </summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,56}$")]
    public string ArchiveTable { get; set; } = "archive";

    /// <summary>Hours and days of activity per country (the map, country pages, surges and silences). Default: "activity".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string ActivityTable { get; set; } = "activity";

    /// <summary>The table of alerts. Default: "alerts".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string AlertsTable { get; set; } = "alerts";

    /// <summary>The queue of critical alerts to send at once. Default: "breaking".</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string BreakingQueue { get; set; } = QueueNames.Breaking;

    /// <summary>The table of subscribers. Default: "subscribers".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string SubscribersTable { get; set; } = "subscribers";

    /// <summary>The table of delivery records (one partition per subscriber). Default: "deliveries".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string DeliveriesTable { get; set; } = "deliveries";

    /// <summary>The table of rate-limit counters. Default: "ratelimits".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string RateLimitsTable { get; set; } = "ratelimits";

    /// <summary>The table of keyword-list versions (documents are blobs under history/ in the lists' container). Default: "keywordlistversions".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string KeywordListVersionsTable { get; set; } = "keywordlistversions";

    /// <summary>The table of the scheduled jobs' last runs. Default: "runs".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string RunsTable { get; set; } = "runs";

    /// <summary>The table of subscribers' feedback on alerts (useful, false alarm, wrong place). Default: "feedback".</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string FeedbackTable { get; set; } = "feedback";

    /// <summary>The queue of new articles to score. Default: "articles".</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string ArticlesQueue { get; set; } = QueueNames.Articles;

    /// <summary>Retries of a storage request that failed for now (timeouts, 408, 429, 500, 502, 503, 504). Default: 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First wait before a retry; later ones double, with jitter, up to a minute. Default: 0.8 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>The Azure SDK's retry settings for every storage client, from <see cref="MaxRetries"/> and <see cref="RetryDelay"/>.</summary>
    internal void ApplyRetry(Azure.Core.RetryOptions retry)
    {
        retry.Mode = Azure.Core.RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.Delay = RetryDelay;
        retry.MaxDelay = TimeSpan.FromMinutes(1);
    }
}

/// <summary>Queue names shared by the enqueuing adapters and the trigger attributes.</summary>
public static class QueueNames
{
    public const string FeedFetch = "feed-fetch";
    public const string Articles = "articles";
    public const string Breaking = "breaking";
}
