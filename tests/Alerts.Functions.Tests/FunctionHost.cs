using System.Text.Json;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Functions.Tests;

/// <summary>
/// Builds the services with the registration Program.cs runs (<see cref="FunctionsAppServices.AddAlertsFunctionsApp"/>), over Azurite with storage names private to one test, and creates
/// function classes the way the worker does (from the container). Queue messages are read back as the host reads them:
/// Base64 text, JSON bound case-insensitively to the trigger's parameter type.
/// </summary>
internal sealed class FunctionHost : IAsyncDisposable
{
    private static readonly JsonSerializerOptions HostJson = new(JsonSerializerDefaults.Web);
    private readonly IHost _host;

    /// <summary>The signing key of test links (32 bytes, Base64).</summary>
    public const string SigningKey = "dGVzdC1zaWduaW5nLWtleS0zMi1ieXRlcy1sb25nLSE=";

    public const string PublicBaseUrl = "https://alerts.example";

    /// <summary>A host over Azurite; with a <c>sendGrid</c> fake, email goes there through the real client, otherwise into an outbox folder.</summary>
    public FunctionHost(AzuriteFixture azurite, Dictionary<string, string?>? settings = null, StorageOptions? shareWith = null, Action<IServiceCollection>? services = null, FakeSendGrid? sendGrid = null)
    {
        azurite.CreateClients(out var names);
        names = shareWith ?? names; // a second "instance" over the same storage
        Names = names;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:FeedsTable"] = names.FeedsTable,
            ["Storage:ArticleIndexTable"] = names.ArticleIndexTable,
            ["Storage:ArticlesContainer"] = names.ArticlesContainer,
            ["Storage:FeedFetchQueue"] = names.FeedFetchQueue,
            ["Storage:ArticlesQueue"] = names.ArticlesQueue,
            ["Storage:KeywordListsContainer"] = names.KeywordListsContainer,
            ["Storage:ScoredArticlesTable"] = names.ScoredArticlesTable,
            ["Storage:AlertsTable"] = names.AlertsTable,
            ["Storage:BreakingQueue"] = names.BreakingQueue,
            ["Storage:StoriesTable"] = names.StoriesTable,
            ["Storage:StoryBandsTable"] = names.StoryBandsTable,
            ["Storage:SubscribersTable"] = names.SubscribersTable,
            ["Storage:DeliveriesTable"] = names.DeliveriesTable,
            ["Storage:RateLimitsTable"] = names.RateLimitsTable,
            ["Storage:KeywordListVersionsTable"] = names.KeywordListVersionsTable,
            ["Storage:RunsTable"] = names.RunsTable,
            ["Storage:FeedbackTable"] = names.FeedbackTable,
            ["Storage:ArchiveTable"] = names.ArchiveTable,
            ["Storage:ActivityTable"] = names.ActivityTable,
            ["Fetcher:AllowLoopback"] = "true",
            ["Email:FromAddress"] = "alerts@crisis-alerts.example",
            ["Email:PublicBaseUrl"] = PublicBaseUrl,
            ["Email:SigningKey"] = SigningKey,
            ["Email:RetryDelay"] = "00:00:01",
            ["Email:Provider"] = sendGrid is null ? "Outbox" : "SendGrid",
            ["Email:OutboxFolder"] = Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N")[..8]),
            ["SendGrid:ApiKey"] = FakeSendGrid.ApiKey,
            ["SendGrid:BaseUrl"] = sendGrid?.BaseUrl ?? "https://api.sendgrid.com",
            ["SendGrid:Timeout"] = "00:00:02",
            ["PollSchedule"] = "0 */5 * * * *",
            ["DigestSchedule"] = "0 */15 * * * *",
            ["PruneSchedule"] = "0 30 3 * * *",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddAlertsFunctionsApp(builder.Configuration); // what Program.cs registers
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddSingleton<Alerts.Infrastructure.Http.IHostResolver, TestHostResolver>();
        services?.Invoke(builder.Services);
        _host = builder.Build();
        FeedQueue = new QueueClient(azurite.ConnectionString, names.FeedFetchQueue);
        ArticleQueue = new QueueClient(azurite.ConnectionString, names.ArticlesQueue);
        BreakingQueue = new QueueClient(azurite.ConnectionString, names.BreakingQueue);
        ConnectionString = azurite.ConnectionString;
        SendGrid = sendGrid;
    }

    public QueueClient BreakingQueue { get; }

    /// <summary>The fake SendGrid email goes to, if any.</summary>
    public FakeSendGrid? SendGrid { get; }

    private bool _ownsSendGrid;

    /// <summary>A host with its own fake SendGrid, started now and stopped with the host.</summary>
    public static async Task<FunctionHost> WithSendGridAsync(AzuriteFixture azurite, Dictionary<string, string?>? settings = null)
    {
        var host = new FunctionHost(azurite, settings, sendGrid: await FakeSendGrid.StartAsync());
        host._ownsSendGrid = true;
        return host;
    }

    public string ConnectionString { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public StorageOptions Names { get; }

    public IServiceProvider Services => _host.Services;

    public QueueClient FeedQueue { get; }

    public QueueClient ArticleQueue { get; }

    public IFeedRegistry Registry => Services.GetRequiredService<IFeedRegistry>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Runs <paramref name="work"/> while moving the fake clock forward in steps, so that waits on it (backoff,
    /// Retry-After) pass as they would in real time.
    /// </summary>
    public async Task<T> WithClockRunningAsync<T>(Func<Task<T>> work, TimeSpan? step = null)
    {
        var task = work();
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(20));
            Time.Advance(step ?? TimeSpan.FromSeconds(1));
        }

        return await task;
    }

    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public Task StartAsync() => _host.StartAsync();

    public async Task<FeedRecord> AddFeedAsync(Uri url, TimeSpan? interval = null, DateTimeOffset? due = null)
    {
        var feed = new FeedRecord
        {
            Id = FeedRecord.IdForUrl(url.AbsoluteUri),
            Url = url.AbsoluteUri,
            PollInterval = interval ?? TimeSpan.FromMinutes(10),
            NextDueAt = due ?? Time.GetUtcNow(),
        };
        Assert.True(await Registry.AddAsync(feed, default));
        return feed;
    }

    /// <summary>Takes every message off a queue (deleting them), decoded as the Functions host would bind them.</summary>
    public static async Task<List<T>> DrainAsync<T>(QueueClient queue)
    {
        var result = new List<T>();
        if (!await queue.ExistsAsync())
        {
            return result;
        }

        while (true)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return result;
            }

            foreach (var message in batch)
            {
                Assert.True(message.MessageText.Length <= 48 * 1024, "queue messages stay under 48 KB once encoded");
                var bytes = Convert.FromBase64String(message.MessageText);
                result.Add(JsonSerializer.Deserialize<T>(bytes, HostJson)!);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_ownsSendGrid)
        {
            await SendGrid!.DisposeAsync();
        }
    }
}
