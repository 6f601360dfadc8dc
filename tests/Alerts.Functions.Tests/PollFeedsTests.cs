using Alerts.Core.Ingestion;
using Alerts.Testing;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class PollFeedsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new FunctionHost(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static TimerInfo Timer(bool pastDue = false) => new() { IsPastDue = pastDue, ScheduleStatus = null };

    [Fact]
    public async Task Run_EnqueuesOnlyDueFeeds()
    {
        var now = _host.Time.GetUtcNow();
        var due = await _host.AddFeedAsync(new Uri("https://due.example/rss"), due: now.AddMinutes(-3));
        var alsoDue = await _host.AddFeedAsync(new Uri("https://also-due.example/rss"), due: now);
        await _host.AddFeedAsync(new Uri("https://later.example/rss"), due: now.AddMinutes(4));

        var summary = await _host.Create<PollFeeds>().Run(Timer(), default);

        var messages = await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue);
        Assert.Equal(new PollSummary(2, 2, 0), summary);
        Assert.Equal(new HashSet<string> { due.Id, alsoDue.Id }, messages.Select(m => m.FeedId).ToHashSet());
        Assert.All(messages, m => Assert.Equal(now, m.ScheduledAt));
    }

    [Fact]
    public async Task Run_DoubleFireAndPastDueCatchUp_NeverEnqueueAFeedTwiceWithinItsInterval()
    {
        var feed = await _host.AddFeedAsync(new Uri("https://double.example/rss"), interval: TimeSpan.FromMinutes(10));
        var function = _host.Create<PollFeeds>();

        await function.Run(Timer(), default);
        await function.Run(Timer(), default);                  // double fire
        _host.Time.Advance(TimeSpan.FromMinutes(4));
        await function.Run(Timer(pastDue: true), default);     // late catch-up inside the interval
        var withinInterval = await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue);

        _host.Time.Advance(TimeSpan.FromMinutes(6));
        await function.Run(Timer(), default);
        var nextInterval = await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue);

        Assert.Equal(feed.Id, Assert.Single(withinInterval).FeedId);
        Assert.Equal(feed.Id, Assert.Single(nextInterval).FeedId);
    }

    [Fact]
    public async Task Run_ConcurrentInstances_EnqueueEachFeedOnce()
    {
        for (var i = 0; i < 40; i++)
        {
            await _host.AddFeedAsync(new Uri($"https://concurrent{i}.example/rss"));
        }

        var summaries = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _host.Create<PollFeeds>().Run(Timer(), default)));

        var messages = await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue);
        Assert.Equal(40, messages.Count);
        Assert.Equal(40, messages.Select(m => m.FeedId).Distinct().Count());
        Assert.Equal(40, summaries.Sum(s => s.Enqueued));
    }

    [Fact]
    public async Task Run_DisabledFeed_IsNeverEnqueued()
    {
        var feed = await _host.AddFeedAsync(new Uri("https://disabled.example/rss"));
        await _host.Registry.UpdateAsync(feed.Id, f => f with { Enabled = false }, default);

        var summary = await _host.Create<PollFeeds>().Run(Timer(), default);

        Assert.Equal(0, summary.Enqueued);
        Assert.Empty(await FunctionHost.DrainAsync<FeedFetchMessage>(_host.FeedQueue));
    }

    [Fact]
    public async Task Run_NoFeeds_DoesNothing()
    {
        var summary = await _host.Create<PollFeeds>().Run(Timer(), default);

        Assert.Equal(new PollSummary(0, 0, 0), summary);
    }
}
