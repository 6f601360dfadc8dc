using System.Globalization;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>
/// What a poll of feeds that answer 304 costs in storage requests under the real host, its own queue traffic included
/// (the get of each batch of fetch messages, the delete of each, and its empty polls of the fetch queue during the
/// cycle), counted by a proxy in front of the test's own Azurite.
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class HostPollCostTests(RealHostFixture fixture, ITestOutputHelper output)
{
    private const int Feeds = 60;

    [Fact]
    public async Task APollOfFeedsThatAnswer304_CostsAtMostFourRequestsPerFeed_HostsOwnRequestsIncluded()
    {
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        using (var stores = RealHostFixture.Stores(azurite.ConnectionString))
        {
            var registry = stores.GetRequiredService<IFeedRegistry>();
            for (var i = 0; i < Feeds; i++)
            {
                var path = "steady-" + i.ToString(CultureInfo.InvariantCulture);
                fixture.Feeds.Feed(path, RealHostFixture.Rss("Steady desk", ("Council meets on Tuesday", "The agenda lists parks and library hours.", path)), etag: $"\"{path}\"");
                var url = fixture.Feeds.Url(path).AbsoluteUri;
                Assert.True(await registry.AddAsync(new FeedRecord { Id = FeedRecord.IdForUrl(url), Url = url, PollInterval = TimeSpan.FromSeconds(2), NextDueAt = TimeProvider.System.GetUtcNow().AddMinutes(-1) }, default));
            }
        }

        var port = FunctionsHostProcess.FreePort();
        await using var host = await fixture.StartHostAsync("poll-cost", port, RealHostFixture.Settings(proxy.ConnectionString, port, new() { ["Ingestion__MinPollInterval"] = "00:00:01" }));

        // The first cycle reads every feed (200) and scores its one article; the second gets a 304 from each.
        await host.InvokeAsync("PollFeeds");
        await host.WaitForAsync(() => host.Executions("FetchFeed").Count == Feeds && host.Executions("ScoreArticle").Count == Feeds, TimeSpan.FromSeconds(90), "the first cycle");
        await Task.Delay(TimeSpan.FromSeconds(3)); // every feed due again, its messages deleted

        proxy.Requests.Clear();
        await host.InvokeAsync("PollFeeds");
        await host.WaitForAsync(() => host.Executions("FetchFeed").Count == 2 * Feeds, TimeSpan.FromSeconds(90), "the second cycle");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the host deletes a message after its function returns
        var seen = proxy.Requests.ToList();

        // What the cycle asked of the feed registry, the claim batches, the run's record and the fetch queue (the host's
        // empty polls of it included); other queues' polling and the host's locks go on whether feeds are polled or not.
        var counted = seen.Where(r => r.Contains("/feeds", StringComparison.Ordinal) || r.Contains("/$batch", StringComparison.Ordinal)
            || r.Contains("/runs", StringComparison.Ordinal) || r.Contains("/" + QueueNames.FeedFetch + "/", StringComparison.Ordinal)).ToList();
        var byKind = counted.GroupBy(Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var perFeed = counted.Count / (double)Feeds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Feeds} feeds answering 304 through the real host: {counted.Count} requests, {perFeed:F2} per feed ({string.Join(", ", byKind)}); {seen.Count} requests of every kind in the cycle"));
        using (var stores = RealHostFixture.Stores(azurite.ConnectionString))
        {
            var feeds = await stores.GetRequiredService<IFeedRegistry>().ListAsync(default).ToListAsync();
            Assert.Equal(Enumerable.Repeat((2L, 1L), Feeds), feeds.Select(f => (f.FetchCount, f.NotModifiedCount)));
        }

        Assert.True(perFeed <= 4, $"{perFeed:F2} requests per feed: {string.Join(", ", byKind)}");
    }

    private static string Kind(string request)
    {
        var parts = request.Split(' ', 2);
        var path = parts[1];
        var resource = path.Contains("/$batch", StringComparison.Ordinal) ? "claim batch"
            : path.Contains("/" + QueueNames.FeedFetch + "/", StringComparison.Ordinal) ? "fetch queue"
            : path.Contains("/runs", StringComparison.Ordinal) ? "runs"
            : "feeds table";
        return $"{parts[0]} {resource}";
    }
}
