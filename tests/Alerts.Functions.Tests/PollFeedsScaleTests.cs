using Alerts.Core.Ingestion;
using Alerts.Testing;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class PollFeedsScaleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_TenThousandDueFeeds_QueuesEachOnceWithoutFetching()
    {
        var fetcher = new CountingFetcher();
        await using var host = new FunctionHost(azurite, services: s => s.AddSingleton<IFeedFetcher>(fetcher));
        var table = new TableClient(azurite.ConnectionString, host.Names.FeedsTable);
        await table.CreateIfNotExistsAsync();
        var now = host.Time.GetUtcNow();
        foreach (var batch in Enumerable.Range(0, 10_000).Chunk(100))
        {
            // One entity-group transaction per 100 feeds (same partition) keeps the set-up fast.
            await table.SubmitTransactionAsync(batch.Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("feed", $"f{i:D5}")
            {
                ["Url"] = $"https://feed{i}.example/rss",
                ["Enabled"] = true,
                ["PollIntervalSeconds"] = 600L,
                ["NextDueAt"] = now.AddMinutes(-(i % 60)),
            })));
        }

        var first = await host.Create<PollFeeds>().Run(new TimerInfo(), default);
        var second = await host.Create<PollFeeds>().Run(new TimerInfo(), default);

        var queue = new QueueClient(azurite.ConnectionString, host.Names.FeedFetchQueue);
        var properties = await queue.GetPropertiesAsync();
        Assert.Equal(new PollSummary(10_000, 10_000, 0), first);
        Assert.Equal(0, second.Enqueued);
        Assert.Equal(10_000, properties.Value.ApproximateMessagesCount);
        Assert.Equal(0, fetcher.Calls);
    }

    private sealed class CountingFetcher : IFeedFetcher
    {
        private int _calls;

        public int Calls => _calls;

        public Task<FetchResult> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(FetchResult.Failure(FetchStatus.TransientFailure, "not expected"));
        }
    }
}
