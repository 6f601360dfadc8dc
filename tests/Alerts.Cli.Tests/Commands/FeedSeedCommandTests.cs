using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Alerts.Cli.Tests.Commands;

public sealed class FeedSeedCommandTests : IAsyncLifetime
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
    public async Task Seed_Opml_AddsFeedsToTheRegistryOnce()
    {
        var path = Path.Combine(_dir, "feeds.opml");
        await File.WriteAllTextAsync(path, """
            <opml version="2.0"><body>
              <outline text="Wire" xmlUrl="https://wire.example/rss"/>
              <outline text="Desk" xmlUrl="https://desk.example/atom"/>
              <outline text="Bad" xmlUrl="gopher://old.example/"/>
            </body></opml>
            """);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(["feed", "seed", path, "--connection", _azurite.ConnectionString], output, error);
        var again = await CliApp.RunAsync(["feed", "seed", path, "--connection", _azurite.ConnectionString], new StringWriter(), new StringWriter());

        Assert.Equal(0, exit);
        Assert.Equal(0, again);
        Assert.Equal("2 feeds added, 0 already present, 1 rejected.", output.ToString().Trim());
        Assert.Contains("gopher://old.example/", error.ToString(), StringComparison.Ordinal);
        var registry = new TableFeedRegistry(new StorageClients(
            new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", _azurite.ConnectionString)]).Build(),
            Options.Create(new StorageOptions())));
        var feeds = await registry.ListAsync(default).ToListAsync();
        Assert.Equal(["Desk", "Wire"], feeds.Select(f => f.Title).Order(StringComparer.Ordinal));
        Assert.Equal(FeedRecord.IdForUrl("https://wire.example/rss"), feeds.Single(f => f.Title == "Wire").Id);
    }

    [Fact]
    public async Task Seed_NotOpml_ExitsOne()
    {
        var path = Path.Combine(_dir, "bad.opml");
        await File.WriteAllTextAsync(path, "<rss/>");
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["feed", "seed", path, "--connection", _azurite.ConnectionString], new StringWriter(), error);

        Assert.Equal(1, exit);
        Assert.Contains("Not OPML", error.ToString(), StringComparison.Ordinal);
    }
}
