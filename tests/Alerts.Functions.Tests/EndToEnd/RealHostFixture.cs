using Alerts.Core;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure;
using Alerts.Testing;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>
/// The published Functions app under the real Functions host, over its own Azurite, with a fake SendGrid, a loopback
/// feed server and a telemetry sink: started once for the whole end-to-end collection. App settings are the ones an
/// operator sets (environment variables, as in Azure); timers are run through the host's admin API.
/// </summary>
public sealed class RealHostFixture : IAsyncLifetime
{
    /// <summary>A schedule that never fires during a test run: timers are invoked through the admin API instead.</summary>
    public const string Never = "0 0 0 1 1 *";

    public const string SigningKey = FunctionHost.SigningKey;

    /// <summary>Failed messages come back after this long (the app's host.json says 30 s; tests shorten it).</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(2);

    public AzuriteFixture Azurite { get; } = new();

    public FakeSendGrid SendGrid { get; private set; } = null!;

    public FeedServer Feeds { get; private set; } = null!;

    /// <summary>Fake webhook, Slack, Teams and Telegram receivers the main host's channels post to.</summary>
    public FakeChannelReceiver Channels { get; private set; } = null!;

    public TelemetryReceiver Telemetry { get; private set; } = null!;

    internal FunctionsHostProcess Host { get; private set; } = null!;

    public string AppDir { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        SendGrid = await FakeSendGrid.StartAsync();
        Feeds = await FeedServer.StartAsync();
        Telemetry = await TelemetryReceiver.StartAsync();
        Channels = await FakeChannelReceiver.StartAsync();
        AppDir = await PublishedApp.GetAsync();
        var port = FunctionsHostProcess.FreePort();
        Host = await StartHostAsync("main", port, Settings(Azurite.ConnectionString, port, new()
        {
            ["Email__Provider"] = "SendGrid",
            ["SendGrid__ApiKey"] = FakeSendGrid.ApiKey,
            ["SendGrid__BaseUrl"] = SendGrid.BaseUrl,
            ["Channels__AllowLoopback"] = "true",
            ["Channels__TelegramBotToken"] = FakeChannelReceiver.TelegramToken,
            ["Channels__TelegramApiBaseUrl"] = Channels.BaseUrl,
            [TelemetrySettings.ApplicationInsightsConnectionString] = Telemetry.ApplicationInsightsConnectionString,
            [TelemetrySettings.OtlpEndpoint] = Telemetry.BaseUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        }));
    }

    /// <summary>Starts a host on the published app and waits until the app answers; fails with the host's log.</summary>
    internal async Task<FunctionsHostProcess> StartHostAsync(string name, int port, IReadOnlyDictionary<string, string?> settings)
    {
        var host = await FunctionsHostProcess.StartAsync(name, AppDir, port, settings);
        try
        {
            await host.WaitUntilReadyAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The app settings of a local deployment, as in local.settings.example.json, plus <paramref name="overrides"/>.</summary>
    public static Dictionary<string, string?> Settings(string storage, int port, Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["PollSchedule"] = Never,
            ["DigestSchedule"] = Never,
            ["PruneSchedule"] = Never,
            ["Fetcher__AllowLoopback"] = "true",
            ["Email__FromAddress"] = "alerts@crisis-alerts.example",
            ["Email__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["Email__SigningKey"] = SigningKey,
            ["Email__RetryDelay"] = "00:00:01",
            ["Email__Provider"] = "Outbox",
            ["Email__OutboxFolder"] = Path.Combine(Path.GetTempPath(), "alerts-host-outbox-" + Guid.NewGuid().ToString("N")[..8]),
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = VisibilityTimeout.ToString(),
            // Not inherited from the test run: the host would otherwise export to whatever the developer has set.
            [TelemetrySettings.ApplicationInsightsConnectionString] = null,
            [TelemetrySettings.OtlpEndpoint] = null,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The app's stores over <paramref name="storage"/> with the default names, as `alerts seed` uses them.</summary>
    public static ServiceProvider Stores(string storage) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", storage)]).Build())
            .AddLogging()
            .AddMetrics()
            .AddAlertsCore()
            .AddAlertsEmail()
            .BuildServiceProvider();

    /// <summary>Adds a feed due now, as `alerts seed` does.</summary>
    public static async Task AddFeedAsync(IServiceProvider stores, Uri url)
    {
        var registry = stores.GetRequiredService<IFeedRegistry>();
        Assert.True(await registry.AddAsync(new FeedRecord
        {
            Id = FeedRecord.IdForUrl(url.AbsoluteUri),
            Url = url.AbsoluteUri,
            PollInterval = TimeSpan.FromMinutes(15),
            NextDueAt = TimeProvider.System.GetUtcNow().AddMinutes(-1),
        }, default));
    }

    /// <summary>An active subscriber with an hourly digest that is due now, critical alerts at once.</summary>
    public static async Task AddSubscriberAsync(IServiceProvider stores, string email)
    {
        var now = TimeProvider.System.GetUtcNow();
        Assert.True(await stores.GetRequiredService<ISubscriberStore>().TryAddAsync(new Subscriber
        {
            Id = Subscriber.IdForEmail(email),
            Email = email,
            Status = SubscriberStatus.Active,
            TimeZone = "UTC",
            Language = "en",
            CreatedAt = now.AddDays(-1),
            ConfirmedAt = now.AddDays(-1),
            DigestWatermark = now.AddHours(-2),
            Preferences = new SubscriberPreferences { Frequency = DigestFrequency.Hourly, MinimumSeverity = Severity.Watch, ImmediateCritical = true },
        }, default));
    }

    public static QueueClient Queue(string storage, string name) => new(storage, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public static async Task<int> QueueLengthAsync(string storage, string name)
    {
        var queue = new QueueClient(storage, name);
        return await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    public static async Task<int> CountRowsAsync(string storage, string table, string? filter = null)
    {
        var client = new TableClient(storage, table);
        var count = 0;
        await foreach (var _ in client.QueryAsync<TableEntity>(filter, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>Scored articles, one row each (their copies under the day they were scored, "t2026…", left out).</summary>
    public static Task<int> CountScoredAsync(string storage) => CountRowsAsync(storage, "scoredarticles", "PartitionKey lt 't'");

    public static string Rss(string title, params (string Title, string Text, string Guid)[] items) =>
        $"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://news.example/</link>"
        + string.Concat(items.Select(i => $"<item><title>{i.Title}</title><link>https://news.example/{i.Guid}</link><guid>{i.Guid}</guid><description>{i.Text}</description></item>"))
        + "</channel></rss>";

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Telemetry.DisposeAsync();
        await Channels.DisposeAsync();
        await Feeds.DisposeAsync();
        await SendGrid.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>The end-to-end tests share one host and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RealHostCollection : ICollectionFixture<RealHostFixture>
{
    public const string Name = "Real Functions host";
}
