using Alerts.Core.Admin;
using Alerts.Core.Digests;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Http;
using Alerts.Infrastructure.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Alerts.Infrastructure.Local;

/// <summary>Registers the whole service for one process with no Azure: the embedded store, in-process queues, local files as feeds.</summary>
public static class LocalServiceCollectionExtensions
{
    /// <summary>
    /// Every port over the embedded store <paramref name="journal"/> (SQLite), then the same options, services and
    /// handlers as the Functions (their Azure adapters are registered only where nothing local is).
    /// </summary>
    public static IServiceCollection AddAlertsLocal(this IServiceCollection services, IRecordJournal journal)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(journal);
        Add<IFeedRegistry>(services, j => new InMemoryFeedRegistry(j));
        Add<IArticleIndex>(services, j => new InMemoryArticleIndex(j));
        Add<IArticleContentStore>(services, j => new InMemoryArticleContentStore(j));
        services.AddSingleton<IKeywordListStore>(sp => new InMemoryKeywordListStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IRecordJournal>()));
        Add<IScoredArticleStore>(services, j => new InMemoryScoredArticleStore(j));
        Add<IAlertStore>(services, j => new InMemoryAlertStore(j));
        Add<IStoryStore>(services, j => new InMemoryStoryStore(j));
        services.AddSingleton(sp => new InMemorySubscriberStore(sp.GetRequiredService<IRecordJournal>()));
        services.AddSingleton<ISubscriberStore>(sp => sp.GetRequiredService<InMemorySubscriberStore>());
        services.AddSingleton<ISubscriberDirectory>(sp => sp.GetRequiredService<InMemorySubscriberStore>());
        Add<IDeliveryStore>(services, j => new InMemoryDeliveryStore(j));
        Add<IKeywordListHistory>(services, j => new InMemoryKeywordListHistory(j));
        Add<IRunLog>(services, j => new InMemoryRunLog(j));
        services.AddSingleton<IRateLimiter>(sp => new InMemoryRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LocalQueues(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IRecordJournal>()));
        services.AddSingleton<IFeedFetchQueue>(sp => sp.GetRequiredService<LocalQueues>());
        services.AddSingleton<IArticleQueue>(sp => sp.GetRequiredService<LocalQueues>());
        services.AddSingleton<IBreakingQueue>(sp => sp.GetRequiredService<LocalQueues>());
        services.AddSingleton<IQueueDepths>(sp => sp.GetRequiredService<LocalQueues>());

        services.AddAlertsFetcher().AddAlertsStorage().AddAlertsScoring().AddAlertsEmail().AddAlertsAdmin();

        // Local files listed by the operator are read directly; URLs go through the safe fetcher.
        services.AddSingleton<IFeedFetcher>(sp => ActivatorUtilities.CreateInstance<LocalFeedFetcher>(sp,
            ActivatorUtilities.CreateInstance<SafeFeedFetcher>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(IFeedFetcher)))));
        services.TryAddSingleton<LocalPipeline>();
        return services;
    }

    private static void Add<T>(IServiceCollection services, Func<IRecordJournal, T> create)
        where T : class =>
        services.AddSingleton(sp => create(sp.GetRequiredService<IRecordJournal>()));
}
