using System.Globalization;
using System.Text.Json;
using Alerts.Testing;
using Xunit.Abstractions;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>The published app starts under the real host with every function indexed and enabled, or fails loudly.</summary>
[Collection(RealHostCollection.Name)]
public sealed class HostStartupTests(RealHostFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task PublishedApp_EveryFunctionInItsMetadataIsIndexedAndEnabled()
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Host start to the app's first answer on /api/health: {fixture.Host.StartupTime.TotalSeconds:F1} s"));
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.AppDir, "functions.metadata")));
        var expected = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();

        using var http = fixture.Host.CreateClient(fixture.Host.MasterKey);
        using var functions = JsonDocument.Parse(await http.GetStringAsync("admin/functions"));
        var indexed = functions.RootElement.EnumerateArray().ToList();

        Assert.Equal(44, expected.Count);
        Assert.Equal(expected, indexed.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(indexed, f => Assert.False(f.GetProperty("isDisabled").GetBoolean(), f.GetProperty("name").GetString() + " is disabled"));
        Assert.DoesNotContain(fixture.Host.Lines, l => l.Text.Contains("does not resolve to a value", StringComparison.Ordinal) || l.Text.Contains("will be disabled", StringComparison.Ordinal));
        using var status = JsonDocument.Parse(await http.GetStringAsync("admin/host/status"));
        Assert.Equal("Running", status.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task MissingSchedule_AndRelativeOutbox_StopTheWorkerWithTheSettingsNamed()
    {
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var port = FunctionsHostProcess.FreePort();
        var settings = RealHostFixture.Settings(azurite.ConnectionString, port, new() { ["PruneSchedule"] = null, ["Email__OutboxFolder"] = "outbox" });

        await using var host = await FunctionsHostProcess.StartAsync("misconfigured", fixture.AppDir, port, settings);
        await host.WaitForAsync(
            () => host.Lines.Any(l => l.Text.Contains("The app setting PruneSchedule is not set", StringComparison.Ordinal))
                && host.Lines.Any(l => l.Text.Contains("Email:OutboxFolder (Email__OutboxFolder) must be an absolute path", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(90),
            "the worker's start-up error naming PruneSchedule and Email__OutboxFolder");

        Assert.DoesNotContain(host.Lines, l => l.Text.Contains("Executed 'Functions.", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(fixture.AppDir, "outbox")), "nothing is written into the app folder");
    }

    [Fact]
    public async Task Logs_HttpClientRequestLinesAreQuiet()
    {
        // Every fetch and SendGrid request in the other tests would log "Sending HTTP request" twice at Information.
        fixture.Feeds.Feed("quiet", RealHostFixture.Rss("Quiet desk", ("Library opens on Sunday", "The city library will open on Sundays.", "quiet-1")));
        using var stores = RealHostFixture.Stores(fixture.Azurite.ConnectionString);
        await RealHostFixture.AddFeedAsync(stores, fixture.Feeds.Url("quiet"));
        var before = fixture.Host.Executions("FetchFeed").Count;

        await fixture.Host.InvokeAsync("PollFeeds");
        await fixture.Host.WaitForAsync(() => fixture.Host.Executions("FetchFeed").Count > before, TimeSpan.FromSeconds(60), "FetchFeed");

        Assert.True(fixture.Feeds.CountRequests("quiet") >= 1);
        Assert.DoesNotContain(fixture.Host.Lines, l => l.Text.Contains("Sending HTTP request", StringComparison.Ordinal) || l.Text.Contains("Received HTTP response headers", StringComparison.Ordinal));
    }
}
