using Alerts.Core.Digests;
using Alerts.Core.Ingestion;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Email;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Http;
using Alerts.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
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
        if (!FirstTime(services, nameof(AddAlertsFetcher)))
        {
            return services;
        }

        services.AddOptions<FetcherOptions>().BindConfiguration(FetcherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton<HostGates>();
        services.AddHttpClient<IFeedFetcher, SafeFeedFetcher>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => SafeConnector.CreateHandler(
                sp.GetRequiredService<IHostResolver>(), sp.GetRequiredService<IOptions<FetcherOptions>>().Value));
        return services;
    }

    /// <summary>Azure Storage: the feed registry (Tables), article index (Tables), article text (Blobs) and queues.</summary>
    public static IServiceCollection AddAlertsStorage(this IServiceCollection services)
    {
        if (!FirstTime(services, nameof(AddAlertsStorage)))
        {
            return services;
        }

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
        if (!FirstTime(services, nameof(AddAlertsScoring)))
        {
            return services;
        }

        services.AddAlertsStorage();
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IKeywordListStore, BlobKeywordListStore>();
        services.TryAddSingleton<IScoredArticleStore, TableScoredArticleStore>();
        services.TryAddSingleton<IAlertStore, TableAlertStore>();
        services.TryAddSingleton<Alerts.Core.Situation.IArchiveStore, TableArchiveStore>();
        services.TryAddSingleton<Alerts.Core.Situation.IActivityStore, TableActivityStore>();
        services.TryAddSingleton<IBreakingQueue, BreakingQueue>();
        services.TryAddSingleton<IStoryStore, TableStoryStore>();
        return services;
    }

    /// <summary>
    /// Subscribers, delivery records and rate limits (Tables), the email sender chosen by Email:Provider: SendGrid
    /// (section "SendGrid") or the outbox folder, and the channel sender (section "Channels"). Options sections "Email"
    /// and "Subscriptions".
    /// </summary>
    public static IServiceCollection AddAlertsEmail(this IServiceCollection services)
    {
        if (!FirstTime(services, nameof(AddAlertsEmail)))
        {
            return services;
        }

        services.AddAlertsScoring();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations()
            // Read from configuration, not from the other options, so that their own errors are reported once, by them.
            .Validate<IConfiguration>(
                (email, configuration) => configuration[EmailOptions.Section + ":" + nameof(EmailProviderOptions.Provider)] != "SendGrid"
                    || email.DeliveryLease >= ((configuration.GetSection(SendGridOptions.Section).Get<SendGridOptions>() ?? new SendGridOptions()).Timeout * email.MaxAttempts) + (email.MaxInlineWait * (email.MaxAttempts - 1)),
                "Email:DeliveryLease must cover a whole send: Email:MaxAttempts × SendGrid:Timeout + (Email:MaxAttempts − 1) × Email:MaxInlineWait; otherwise a slow send could be taken over and sent twice.")
            .Validate<IConfiguration>(
                (email, configuration) => email.DeliveryLease >= ((configuration.GetSection(Channels.ChannelOptions.Section).Get<Channels.ChannelOptions>() ?? new Channels.ChannelOptions()).Timeout * email.MaxAttempts) + (email.MaxInlineWait * (email.MaxAttempts - 1)),
                "Email:DeliveryLease must cover a whole channel post: Email:MaxAttempts × Channels:Timeout + (Email:MaxAttempts − 1) × Email:MaxInlineWait; otherwise a slow post could be taken over and sent twice.")
            .ValidateOnStart();
        services.AddOptions<EmailProviderOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SubscriptionOptions>().BindConfiguration(SubscriptionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section).ValidateDataAnnotations()
            .Validate<IConfiguration>((sendGrid, configuration) => configuration[EmailOptions.Section + ":" + nameof(EmailProviderOptions.Provider)] != "SendGrid" || !string.IsNullOrWhiteSpace(sendGrid.ApiKey),
                "SendGrid:ApiKey is required when Email:Provider is SendGrid.")
            .ValidateOnStart();
        services.TryAddSingleton<ISubscriberStore, TableSubscriberStore>();
        services.TryAddSingleton<IDeliveryStore, TableDeliveryStore>();
        services.TryAddSingleton<IRateLimiter, TableRateLimiter>();
        services.TryAddSingleton<Core.Feedback.IFeedbackStore, TableFeedbackStore>();
        services.TryAddSingleton<Web.SubscriptionEndpoints>();
        services.AddOptions<Channels.ChannelOptions>().BindConfiguration(Channels.ChannelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton<Core.Channels.IChannelTargetChecker, Channels.ChannelTargetChecker>();
        services.AddHttpClient<Core.Channels.IChannelSender, Channels.HttpChannelSender>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var channels = sp.GetRequiredService<IOptions<Channels.ChannelOptions>>().Value;
                return SafeConnector.CreatePostingHandler(sp.GetRequiredService<IHostResolver>(), channels.AllowLoopback, channels.Timeout);
            });
        services.AddHttpClient(nameof(SendGridEmailSender));
        services.TryAddSingleton<IEmailSender>(sp =>
        {
            var provider = sp.GetRequiredService<IOptions<EmailProviderOptions>>().Value;
            return provider.Provider == "SendGrid"
                ? ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SendGridEmailSender)))
                : new OutboxEmailSender(Path.GetFullPath(provider.OutboxFolder), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>The admin API: list history, run log, URL checks, handlers and authorization (options section "Admin").</summary>
    public static IServiceCollection AddAlertsAdmin(this IServiceCollection services)
    {
        if (!FirstTime(services, nameof(AddAlertsAdmin)))
        {
            return services;
        }

        services.AddAlertsEmail();
        services.AddAlertsFetcher();
        services.AddOptions<Web.AdminOptions>().BindConfiguration(Web.AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Core.Admin.IKeywordListHistory, TableKeywordListHistory>();
        services.TryAddSingleton<Core.Admin.IRunLog, TableRunLog>();
        services.TryAddSingleton<Core.Admin.IQueueDepths, StorageQueueDepths>();
        services.AddOptions<Core.Admin.RetentionOptions>().BindConfiguration(Core.Admin.RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Core.Admin.IStorageRetention, TableRetention>();
        services.TryAddSingleton<Core.Admin.IFeedUrlChecker, FeedUrlChecker>();
        services.TryAddSingleton<Core.Admin.ISubscriberDirectory>(sp => (Core.Admin.ISubscriberDirectory)sp.GetRequiredService<ISubscriberStore>());
        services.TryAddSingleton<Web.AdminAuthorization>();
        services.TryAddSingleton<Web.AdminListEndpoints>();
        services.TryAddSingleton<Web.AdminEndpoints>();
        services.TryAddSingleton<Web.SituationEndpoints>();
        services.TryAddSingleton<Web.SituationPages>();
        services.TryAddSingleton<Web.ChannelEndpoints>();
        services.TryAddSingleton<Web.HealthEndpoint>();
        return services;
    }

    /// <summary>
    /// Areas call the areas they build on, and hosts name the areas they use: registering an area once keeps its
    /// options validators (and so its start-up errors) and HttpClient configuration from being added again.
    /// </summary>
    private static bool FirstTime(IServiceCollection services, string area)
    {
        if (services.Any(d => d.ServiceType == typeof(RegisteredArea) && d.ImplementationInstance is RegisteredArea { Name: var name } && name == area))
        {
            return false;
        }

        services.AddSingleton(new RegisteredArea(area));
        return true;
    }

    private sealed record RegisteredArea(string Name);
}
