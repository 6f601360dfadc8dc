using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Http;
using Alerts.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure;

/// <summary>Registers the adapters, one extension per area.</summary>
public static class InfrastructureServiceCollectionExtensions
{
    /// <summary>The safe, polite feed fetcher (options section "Fetcher").</summary>
    public static IServiceCollection AddAlertsFetcher(this IServiceCollection services)
    {
        services.AddOptions<FetcherOptions>().BindConfiguration(FetcherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddHttpClient<IFeedFetcher, SafeFeedFetcher>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => SafeConnector.CreateHandler(
                sp.GetRequiredService<IHostResolver>(), sp.GetRequiredService<IOptions<FetcherOptions>>().Value));
        return services;
    }

    /// <summary>Azure Storage: the feed registry (Tables), article index (Tables), article text (Blobs) and queues.</summary>
    public static IServiceCollection AddAlertsStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<StorageClients>();
        services.TryAddSingleton<IFeedRegistry, TableFeedRegistry>();
        services.TryAddSingleton<IArticleIndex, TableArticleIndex>();
        services.TryAddSingleton<IArticleContentStore, BlobArticleContentStore>();
        services.TryAddSingleton<IFeedFetchQueue, FeedFetchQueue>();
        services.TryAddSingleton<IArticleQueue, ArticleQueue>();
        return services;
    }

    /// <summary>Scoring: keyword lists (Blobs), scored articles and alerts (Tables), the breaking queue (options "Scoring").</summary>
    public static IServiceCollection AddAlertsScoring(this IServiceCollection services)
    {
        services.AddAlertsStorage();
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IKeywordListStore, BlobKeywordListStore>();
        services.TryAddSingleton<IScoredArticleStore, TableScoredArticleStore>();
        services.TryAddSingleton<IAlertStore, TableAlertStore>();
        services.TryAddSingleton<IBreakingQueue, BreakingQueue>();
        services.TryAddSingleton<IStoryStore, TableStoryStore>();
        return services;
    }
}
