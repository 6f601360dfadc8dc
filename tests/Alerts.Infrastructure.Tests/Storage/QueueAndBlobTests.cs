using System.Text;
using System.Text.Json;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Azure.Storage.Queues;

namespace Alerts.Infrastructure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class QueueAndBlobTests(AzuriteFixture azurite)
{
    private static readonly JsonSerializerOptions HostJson = new() { PropertyNameCaseInsensitive = true };

    [Fact]
    public async Task FeedFetchQueue_WritesBase64JsonThatTheTriggerReads()
    {
        var clients = azurite.CreateClients(out var names);
        var queue = new FeedFetchQueue(clients);
        var sent = new FeedFetchMessage("f1", "https://a.example/rss", new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

        await queue.EnqueueAsync(sent, default);

        // Read the raw message as the Functions host does: Base64 text, then JSON with case-insensitive names.
        var raw = new QueueClient(azurite.ConnectionString, names.FeedFetchQueue);
        var message = (await raw.ReceiveMessageAsync()).Value;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
        Assert.Contains("\"feedId\":\"f1\"", json, StringComparison.Ordinal);
        Assert.Equal(sent, JsonSerializer.Deserialize<FeedFetchMessage>(json, HostJson));
    }

    [Fact]
    public async Task ContentStore_SaveTwice_OverwritesAndReadsBack()
    {
        var store = new BlobArticleContentStore(azurite.CreateClients(out _));
        var article = new Article { Id = "0123456789abcdef0123456789abcdef", FeedId = "f", Key = "k", Title = "T", Content = new string('x', 200_000) };

        await store.SaveAsync(article, default);
        await store.SaveAsync(article with { Title = "T2" }, default);

        var read = await store.GetAsync(article.Id, default);
        Assert.Equal(article with { Title = "T2" }, read);
        Assert.Null(await store.GetAsync("ffffffffffffffffffffffffffffffff", default));
    }
}
