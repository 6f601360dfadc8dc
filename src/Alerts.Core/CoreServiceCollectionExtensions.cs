using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Alerts.Core;

/// <summary>Registers the domain services. Adapters (storage, fetcher) are registered by Alerts.Infrastructure.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>Adds the ingestion services, options and metrics. Options are validated when the host starts.</summary>
    public static IServiceCollection AddAlertsCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IngestionMetrics>();
        services.TryAddSingleton<FeedPoller>();
        services.TryAddSingleton<FeedIngestor>();
        services.TryAddSingleton<FeedSeeder>();
        services.TryAddSingleton<KeywordListProvider>();
        services.TryAddSingleton<ArticleScorer>();
        services.TryAddSingleton<Stories.StoryClusterer>();
        return services;
    }
}
