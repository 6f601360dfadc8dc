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
    /// Every port over the embedded store <paramref name="store"/> (SQLite), then the same options, services and
    /// handlers as the Functions (their Azure adapters are registered only where nothing local is).
    /// </summary>
    public static IServiceCollection AddAlertsLocal(this IServiceCollection services, IRecordTables store)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(store);
        Add<IFeedRegistry>(services, t => new InMemoryFeedRegistry(t));
        Add<IArticleIndex>(services, t => new InMemoryArticleIndex(t));
        Add(services, t => new InMemoryArticleContentStore(t, textOnly: true));
        services.AddSingleton<IArticleContentStore>(sp => sp.GetRequiredService<InMemoryArticleContentStore>());
        services.AddSingleton<IKeywordListStore>(sp => new InMemoryKeywordListStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IRecordTables>()));
        services.AddSingleton<IScoredArticleStore>(sp => new InMemoryScoredArticleStore(sp.GetRequiredService<IRecordTables>(), sp.GetRequiredService<InMemoryArticleContentStore>()));
        Add<IAlertStore>(services, t => new InMemoryAlertStore(t));
        Add<IStoryStore>(services, t => new InMemoryStoryStore(t));
        // The embedded store searches with SQLite's FTS5; memory (tests) with the day index the Azure table has.
        services.AddSingleton<Alerts.Core.Situation.IArchiveStore>(sp => sp.GetRequiredService<IRecordTables>() is SqliteStore sqlite ? new SqliteArchiveStore(sqlite) : new InMemoryArchiveStore(sp.GetRequiredService<IRecordTables>()));
        Add(services, t => new InMemoryActivityStore(t));
        services.AddSingleton<Alerts.Core.Situation.IActivityStore>(sp => sp.GetRequiredService<InMemoryActivityStore>());
        services.AddSingleton(sp => new InMemorySubscriberStore(sp.GetRequiredService<IRecordTables>()));
        services.AddSingleton<ISubscriberStore>(sp => sp.GetRequiredService<InMemorySubscriberStore>());
        services.AddSingleton<ISubscriberDirectory>(sp => sp.GetRequiredService<InMemorySubscriberStore>());
        Add<IDeliveryStore>(services, t => new InMemoryDeliveryStore(t));
        Add<IKeywordListHistory>(services, t => new InMemoryKeywordListHistory(t));
        Add<IRunLog>(services, t => new InMemoryRunLog(t));
        Add<Alerts.Core.Feedback.IFeedbackStore>(services, t => new InMemoryFeedbackStore(t));
        services.AddSingleton<IRateLimiter>(sp => new InMemoryRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LocalQueues(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IRecordTables>(), textInContentStore: true));
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

    private static void Add<T>(IServiceCollection services, Func<IRecordTables, T> create)
        where T : class =>
        services.AddSingleton(sp => create(sp.GetRequiredService<IRecordTables>()));
}
