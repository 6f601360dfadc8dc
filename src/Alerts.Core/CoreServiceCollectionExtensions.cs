using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Alerts.Core;

/// <summary>Registers the domain services. Adapters (storage, fetcher) are registered by Alerts.Infrastructure.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>Adds the domain services and metrics. Their options are bound and validated by the adapters' registrations.</summary>
    public static IServiceCollection AddAlertsCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IngestionMetrics>();
        services.TryAddSingleton<ScoringMetrics>();
        services.TryAddSingleton<Digests.EmailMetrics>();
        services.TryAddSingleton<FeedPoller>();
        services.TryAddSingleton<FeedIngestor>();
        services.TryAddSingleton<FeedSeeder>();
        services.TryAddSingleton<KeywordListProvider>();
        services.TryAddSingleton<ArticleScorer>();
        services.TryAddSingleton<Stories.StoryClusterer>();
        services.TryAddSingleton<Subscriptions.SubscriptionLinks>();
        services.TryAddSingleton<Subscriptions.SubscriptionService>();
        services.TryAddSingleton<Digests.EmailDispatcher>();
        services.TryAddSingleton<Channels.ChannelDispatcher>();
        services.TryAddSingleton<Channels.ChannelService>();
        services.TryAddSingleton<Subscriptions.PersonalFeed>();
        services.TryAddSingleton<Feedback.FeedbackService>();
        services.TryAddSingleton<Digests.DigestRunner>();
        services.TryAddSingleton<Digests.BreakingAlertSender>();
        services.TryAddSingleton<Admin.KeywordListAdmin>();
        services.TryAddSingleton<Admin.FeedAdmin>();
        services.TryAddSingleton<Admin.SubscriberAdmin>();
        services.TryAddSingleton<Admin.StoragePruner>();
        services.TryAddSingleton<Situation.ArchiveSearch>();
        services.TryAddSingleton<Situation.ActivityRollup>();
        services.TryAddSingleton<Situation.SituationService>();
        return services;
    }
}
