using System.Text.Json;
using Alerts.Core;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Alerts.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class FunctionsAppTests(AzuriteFixture azurite)
{
    private static string BuildOutput()
    {
        // The tests run from tests/Alerts.Functions.Tests/bin/<Configuration>/net10.0/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(RepositoryPaths.Root, "src", "Alerts.Functions", "bin", configuration, "net10.0");
    }

    [Fact]
    public void BuildOutput_HasFunctionsMetadataAndHostJson()
    {
        var output = BuildOutput();
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));

        var functions = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("bindings")[0]);
        Assert.Equal("timerTrigger", functions["PollFeeds"].GetProperty("type").GetString());
        Assert.Equal("%PollSchedule%", functions["PollFeeds"].GetProperty("schedule").GetString());
        Assert.Equal("queueTrigger", functions["FetchFeed"].GetProperty("type").GetString());
        Assert.Equal("feed-fetch", functions["FetchFeed"].GetProperty("queueName").GetString());
        Assert.Equal("queueTrigger", functions["ScoreArticle"].GetProperty("type").GetString());
        Assert.Equal("articles", functions["ScoreArticle"].GetProperty("queueName").GetString());
        Assert.Equal("timerTrigger", functions["SendDigests"].GetProperty("type").GetString());
        Assert.Equal("%DigestSchedule%", functions["SendDigests"].GetProperty("schedule").GetString());
        Assert.Equal("queueTrigger", functions["SendBreakingAlerts"].GetProperty("type").GetString());
        Assert.Equal("breaking", functions["SendBreakingAlerts"].GetProperty("queueName").GetString());
        foreach (var (name, route, methods) in new[] { ("Subscribe", "api/subscribe", "get,post"), ("Confirm", "api/confirm", "get,post"), ("Unsubscribe", "api/unsubscribe", "get,post"), ("Preferences", "api/preferences", "get,post") })
        {
            Assert.Equal("httpTrigger", functions[name].GetProperty("type").GetString());
            Assert.Equal(route, functions[name].GetProperty("route").GetString());
            Assert.Equal("anonymous", functions[name].GetProperty("authLevel").GetString(), ignoreCase: true);
            Assert.Equal(methods, string.Join(",", functions[name].GetProperty("methods").EnumerateArray().Select(m => m.GetString())));
        }

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")), File.ReadAllText(Path.Combine(output, "host.json")));
    }

    [Fact]
    public void HostJson_IsTunedForTheAlertPath()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.True(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(5), "a new message waits at most a few seconds");
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32()); // what QueueTriggerDriver emulates
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("00:10:00", host.RootElement.GetProperty("functionTimeout").GetString());
    }

    [Fact]
    public void TriggerQueueName_MatchesTheQueueThePollerWritesTo() =>
        Assert.Equal(QueueNames.FeedFetch, new StorageOptions().FeedFetchQueue);

    [Fact]
    public void LocalSettingsExample_SetsTheTriggerSettings()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Alerts.Functions", "local.settings.example.json")));
        var values = settings.RootElement.GetProperty("Values");

        Assert.Equal("0 */5 * * * *", values.GetProperty("PollSchedule").GetString());
        Assert.Equal("0 */15 * * * *", values.GetProperty("DigestSchedule").GetString());
        Assert.Equal("Outbox", values.GetProperty("Email__Provider").GetString());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
    }

    [Theory]
    [InlineData("Fetcher:MaxRedirects", "50")]
    [InlineData("Fetcher:Timeout", "00:00:00")]
    [InlineData("Ingestion:PollParallelism", "0")]
    [InlineData("Storage:FeedFetchQueue", "Not A Queue")]
    [InlineData("Scoring:RefreshInterval", "02:00:00")]
    [InlineData("Email:SigningKey", "c2hvcnQ=")]
    [InlineData("Email:PublicBaseUrl", "http://alerts.example.org")]
    [InlineData("Email:FromAddress", "not an address")]
    [InlineData("Email:Provider", "Pigeon")]
    [InlineData("Email:MaxRecipientsPerRequest", "5000")]
    [InlineData("SendGrid:BaseUrl", "http://api.sendgrid.com")]
    [InlineData("Subscriptions:PerAddressPerHour", "0")]
    public async Task Start_InvalidOptions_FailsAtStartup(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Email:FromAddress"] = "alerts@example.org",
            ["Email:PublicBaseUrl"] = "https://alerts.example.org",
            ["Email:SigningKey"] = FunctionHost.SigningKey,
            [key] = value,
        });
        builder.Services.AddAlertsCore().AddAlertsFetcher().AddAlertsStorage().AddAlertsScoring().AddAlertsEmail();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Split(':')[1], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SendGridWithoutApiKey_FailsAtStartup()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Email:FromAddress"] = "alerts@example.org",
            ["Email:PublicBaseUrl"] = "https://alerts.example.org",
            ["Email:SigningKey"] = FunctionHost.SigningKey,
            ["Email:Provider"] = "SendGrid",
        });
        builder.Services.AddAlertsCore().AddAlertsEmail();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("SendGrid:ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedFromOpml_AddsFeedsOnceAndRejectsNonHttp()
    {
        await using var host = new FunctionHost(azurite);
        var seeder = host.Services.GetRequiredService<FeedSeeder>();
        const string opml = """
            <opml version="2.0"><body>
              <outline text="One" xmlUrl="https://one.example/rss"/>
              <outline text="Two" xmlUrl="https://two.example/atom"/>
              <outline text="Local file" xmlUrl="file:///etc/passwd"/>
            </body></opml>
            """;

        var first = await seeder.SeedFromOpmlAsync(opml, default);
        var second = await seeder.SeedFromOpmlAsync(opml, default);

        Assert.Equal((2, 0), (first.Added, first.AlreadyPresent));
        Assert.Equal(["file:///etc/passwd"], first.Rejected);
        Assert.Equal((0, 2), (second.Added, second.AlreadyPresent));
        var feeds = await host.Registry.ListAsync(default).ToListAsync();
        Assert.Equal(["One", "Two"], feeds.Select(f => f.Title).Order(StringComparer.Ordinal));
        Assert.All(feeds, f => Assert.Equal(new IngestionOptions().DefaultPollInterval, f.PollInterval));
    }
}
