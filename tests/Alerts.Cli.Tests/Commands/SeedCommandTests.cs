using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Alerts.Cli.Tests.Commands;

/// <summary><c>alerts seed</c> against Azurite: feeds, the default lists and a subscriber, for the Functions.</summary>
public sealed class SeedCommandTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _dir = Directory.CreateTempSubdirectory("alerts-seed-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Seed_LoadsFeedsListsAndAnActiveSubscriber_Once()
    {
        var list = Path.Combine(_dir, "feeds.txt");
        await File.WriteAllLinesAsync(list, ["https://wire.example/rss", "https://desk.example/atom", "local.xml"]);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["seed", "--storage", _azurite.ConnectionString, "--feeds", list, "--subscriber", "ana@example.org"], TextReader.Null, output, error);
        using var again = new StringWriter();
        await CliApp.RunAsync(["seed", "--storage", _azurite.ConnectionString, "--feeds", list, "--subscriber", "ana@example.org"], TextReader.Null, again, new StringWriter());

        Assert.Equal(0, exit);
        Assert.Contains("2 feeds added, 0 already present; keyword lists: escalation@1.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Subscriber ana@example.org added (active).", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("local.xml", error.ToString(), StringComparison.Ordinal); // a local file cannot be fetched by the Functions
        Assert.Contains("0 feeds added, 2 already present", again.ToString(), StringComparison.Ordinal);
        Assert.Contains("already present", again.ToString(), StringComparison.Ordinal);
        var clients = new StorageClients(new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", _azurite.ConnectionString)]).Build(), Options.Create(new StorageOptions()));
        var subscriber = await new TableSubscriberStore(clients).GetAsync(Subscriber.IdForEmail("ana@example.org"), default);
        Assert.Equal(SubscriberStatus.Active, subscriber!.Status);
        Assert.True(await new BlobContainerClient(_azurite.ConnectionString, "keywordlists").GetBlobClient("escalation.keywords").ExistsAsync());
    }

    [Fact]
    public async Task Seed_BadSubscriberAddress_Fails()
    {
        var list = Path.Combine(_dir, "feeds.txt");
        await File.WriteAllLinesAsync(list, ["https://wire.example/rss"]);
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["seed", "--storage", _azurite.ConnectionString, "--feeds", list, "--subscriber", "not an address"], TextReader.Null, new StringWriter(), error);

        Assert.Equal(1, exit);
        Assert.Contains("not one valid email address", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_WithoutStorageListening_OneLineThatAsksForAzurite()
    {
        var list = Path.Combine(_dir, "feeds.txt");
        await File.WriteAllLinesAsync(list, ["https://wire.example/rss"]);
        var port = ServedStore.FreePort(); // nothing listens there
        var storage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["seed", "--storage", storage, "--feeds", list], TextReader.Null, new StringWriter(), error);

        Assert.Equal(1, exit);
        var line = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.StartsWith($"alerts: cannot reach Azure Storage at http://127.0.0.1:{port}/devstoreaccount1: Connection refused", line, StringComparison.Ordinal);
        Assert.Contains("Is Azurite running there", line, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", line, StringComparison.Ordinal);
    }
}
