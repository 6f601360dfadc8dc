using System.Globalization;
using System.Security;
using Alerts.Core.Digests;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Testing;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Xunit.Abstractions;

namespace Alerts.Functions.Tests;

/// <summary>
/// The whole pipeline (PollFeeds, FetchFeed, ScoreArticle, SendBreakingAlerts, SendDigests) over Azurite behind a proxy
/// that fails 20% of storage requests (503, 500, latency, and writes carried out whose answer is lost), with new feeds
/// between cycles and the clock moving on. The queue side (receive, retry, poison after five) talks to Azurite directly,
/// as the host would. Invariants at the end: every item scored, every critical story emailed once to every subscriber,
/// due digests sent once, queues and poison queues empty, no delivery left claimed. Seeded: ALERTS_CHAOS_SEED replays.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageChaosTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cycles = 8;
    private FeedServer _feeds = null!;
    private FakeSendGrid _sendGrid = null!;
    private FaultyStorageProxy _proxy = null!;
    private FunctionHost _host = null!;
    private int _seed;
    private readonly List<(string Url, bool Critical)> _items = [];

    public async Task InitializeAsync()
    {
        _seed = int.TryParse(Environment.GetEnvironmentVariable("ALERTS_CHAOS_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        _feeds = await FeedServer.StartAsync();
        _sendGrid = await FakeSendGrid.StartAsync();
        _proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, _seed, rate: 0.2);
        _proxy.Enabled = false;
        _host = new FunctionHost(azurite, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _proxy.ConnectionString,
            ["Storage:RetryDelay"] = "00:00:00.005",
            // Short leases: a delivery or hand-off left busy by a failure comes back as a delayed copy, and the queue's
            // delay runs on the emulator's real clock.
            ["Email:DeliveryLease"] = "00:00:10",
            ["Email:MaxAttempts"] = "2",
            ["Email:MaxInlineWait"] = "00:00:01",
            ["Channels:Timeout"] = "00:00:04", // a whole channel post within the short lease (checked at start)
            ["Scoring:BreakingClaimLease"] = "00:00:02",
        }, sendGrid: _sendGrid);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _proxy.DisposeAsync();
        await _sendGrid.DisposeAsync();
        await _feeds.DisposeAsync();
    }

    private QueueTriggerDriver Queue(string name) => new(azurite.ConnectionString, name);

    [Fact(Timeout = 300_000)]
    public async Task TwentyPercentOfStorageRequestsFail_NoAlertLostOrDoubled_NothingStuck()
    {
        output.WriteLine($"Chaos seed {_seed} (ALERTS_CHAOS_SEED={_seed} replays the inputs and the faults)");
        var random = new Random(_seed);
        string[] subscribers = ["ana@chaos.example", "bo@chaos.example"];
        foreach (var email in subscribers)
        {
            var subscriber = DigestFixtures.Subscriber(email, _host.Time.GetUtcNow().AddMinutes(-1), preferences: new SubscriberPreferences { Frequency = DigestFrequency.Hourly, MinimumSeverity = Severity.Watch, ImmediateCritical = true });
            await _host.Get<ISubscriberStore>().TryAddAsync(subscriber with { LastDigestDueAt = DigestSchedule.LatestDue(subscriber.Preferences, "UTC", _host.Time.GetUtcNow()) }, default);
        }

        _proxy.Enabled = true;
        var failures = 0;
        var poisoned = 0;
        for (var cycle = 0; cycle < Cycles + 3; cycle++)
        {
            if (cycle < Cycles)
            {
                await AddFeedAsync(cycle, random);
            }
            else
            {
                _proxy.Enabled = false; // the storm passes: what was left behind must now finish
            }

            var started = System.Diagnostics.Stopwatch.StartNew();
            var (failed, poison) = await CycleAsync();
            output.WriteLine($"cycle {cycle}: {started.ElapsedMilliseconds} ms, {failed} failed, {_proxy.Counts.GetValueOrDefault("requests")} requests so far");
            failures += failed;
            poisoned += poison;
            _host.Time.Advance(TimeSpan.FromMinutes(16)); // leases run out, feeds come due again, digests fall due
        }

        // Delayed copies (a busy delivery, a held hand-off) come due within the leases: handle them as the host would.
        var breakingQueue = new QueueClient(azurite.ConnectionString, _host.Names.BreakingQueue);
        for (var wait = 0; wait < 30 && (await breakingQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0; wait++)
        {
            await Task.Delay(1000);
            await Queue(_host.Names.BreakingQueue).DrainAsync<BreakingAlertMessage>(m => _host.WithClockRunningAsync(() => _host.Create<SendBreakingAlerts>().Run(m, default)));
        }

        var counts = string.Join(", ", _proxy.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
        output.WriteLine($"Storage requests and faults: {counts}; {failures} function invocations failed and were retried, {poisoned} poisoned");
        await AssertInvariantsAsync(subscribers, poisoned);
    }

    private async Task AddFeedAsync(int cycle, Random random)
    {
        var items = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var critical = i == 0 && cycle % 2 == 0;
            var url = $"https://chaos.example/{cycle}/{i}";
            var (title, body) = critical ? Critical(cycle, random)
                : i == 1 ? ($"Night curfew ordered in district {cycle} after protests", $"Police ordered a curfew from 10pm in district {cycle} of the port city; shops closed early.") // a warning, for the digests
                : ($"Harbour report {cycle}.{i}", "Ships unloaded grain and fuel on schedule; the weather was calm.");
            items.Add($"<item><title>{SecurityElement.Escape(title)}</title><link>{url}</link><guid>{url}</guid><description>{SecurityElement.Escape(body)}</description></item>");
            _items.Add((url, critical));
        }

        _feeds.Feed($"wire{cycle}", $"<rss version=\"2.0\"><channel><title>Wire {cycle}</title>{string.Concat(items)}</channel></rss>", etag: $"\"c{cycle}\"");
        var faults = _proxy.Enabled;
        _proxy.Enabled = false;
        await _host.AddFeedAsync(_feeds.Url($"wire{cycle}"));
        _proxy.Enabled = faults;
    }

    private static (string Title, string Body) Critical(int cycle, Random random)
    {
        (string Country, string City)[] places = [("Kazakhstan", "Almaty"), ("Sudan", "Khartoum"), ("Peru", "Lima"), ("Nepal", "Kathmandu")];
        var (country, city) = places[cycle / 2 % places.Length];
        var dead = random.Next(12, 90);
        return (cycle / 2 % 2) switch
        {
            0 => ($"{country}: soldiers open fire on protesters in {city}; state of emergency declared",
                $"Soldiers opened fire on protesters in {city}, killing at least {dead} people. {country} declared a state of emergency and a nationwide curfew."),
            _ => ($"Army seizes power in {country}; internet cut and curfew ordered in {city}",
                $"Officers staged a coup d'etat in {country} and detained the president. Internet access was shut down, a curfew was ordered in {city} and {dead} people were killed."),
        };
    }

    /// <summary>One pass of every function; failed invocations are retried by the queue drivers as the host would.</summary>
    private async Task<(int Failed, int Poisoned)> CycleAsync()
    {
        var failed = 0;
        try
        {
            await _host.Create<PollFeeds>().Run(new TimerInfo(), default);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or IOException or HttpRequestException)
        {
            failed++; // the next timer tick polls again
        }

        var drivers = new[] { Queue(_host.Names.FeedFetchQueue), Queue(_host.Names.ArticlesQueue), Queue(_host.Names.BreakingQueue) };
        await drivers[0].DrainAsync<FeedFetchMessage>(m => _host.Create<FetchFeed>().Run(m, default));
        await drivers[1].DrainAsync<ArticleMessage>(m => _host.Create<ScoreArticle>().Run(m, default));
        await drivers[2].DrainAsync<BreakingAlertMessage>(m => _host.WithClockRunningAsync(() => _host.Create<SendBreakingAlerts>().Run(m, default)));
        try
        {
            await _host.WithClockRunningAsync(() => _host.Create<SendDigests>().Run(new TimerInfo(), default));
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or IOException or HttpRequestException)
        {
            failed++; // the next timer tick tries again
        }

        foreach (var error in drivers.SelectMany(d => d.Errors))
        {
            output.WriteLine("  " + error);
        }

        return (failed + drivers.Sum(d => d.Failed), drivers.Sum(d => d.Poisoned));
    }

    private async Task AssertInvariantsAsync(string[] subscribers, int poisoned)
    {
        _proxy.Enabled = false;
        Assert.Equal(0, poisoned);
        // Nothing left to fetch, score or send, and nothing poisoned.
        foreach (var queue in new[] { _host.Names.FeedFetchQueue, _host.Names.ArticlesQueue, _host.Names.BreakingQueue }.SelectMany(q => new[] { q, q + "-poison" }))
        {
            var client = new QueueClient(azurite.ConnectionString, queue);
            Assert.Equal(0, (await client.ExistsAsync()).Value ? (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0);
        }

        // Every item scored (once: one scored record per article id, one alert per story).
        var scored = new Dictionary<string, ScoredArticle>(StringComparer.Ordinal);
        await foreach (var article in _host.Get<IScoredArticleStore>().ListNewestAsync(DateTimeOffset.UnixEpoch, default))
        {
            Assert.True(scored.TryAdd(article.Url!, article), $"{article.Url} scored twice as different articles");
        }

        Assert.Equal(_items.Select(i => i.Url).Order(StringComparer.Ordinal), scored.Keys.Order(StringComparer.Ordinal));

        // Every critical story emailed to every subscriber, once; nothing else sent at once.
        var critical = _items.Where(i => i.Critical).Select(i => scored[i.Url].StoryId!).ToHashSet(StringComparer.Ordinal);
        Assert.All(critical, story => Assert.Equal(Severity.Critical, _host.Get<IAlertStore>().GetAsync(story, default).Result!.Severity));
        var breaking = _sendGrid.Delivered.Where(d => d.Categories.Contains("breaking")).ToList();
        var expected = critical.SelectMany(story => subscribers.Select(email => $"{Subscriber.IdForEmail(email)}/breaking:{story}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, breaking.Select(d => d.CustomArgs["delivery_id"]).Order(StringComparer.Ordinal));

        // Digests: each sent once, and nobody's digest left behind its schedule; no delivery left claimed.
        var digests = _sendGrid.Delivered.Where(d => d.Categories.Contains("digest")).Select(d => d.CustomArgs["delivery_id"]).ToList();
        Assert.Equal(digests.Count, digests.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEmpty(digests);
        foreach (var email in subscribers)
        {
            var subscriber = (await _host.Get<ISubscriberStore>().GetAsync(Subscriber.IdForEmail(email), default))!;
            Assert.Equal(DigestSchedule.LatestDue(subscriber.Preferences, "UTC", _host.Time.GetUtcNow()), subscriber.LastDigestDueAt);
            foreach (var id in critical.Select(BreakingAlertSender.DeliveryId).Concat(digests.Where(d => d.StartsWith(subscriber.Id + "/", StringComparison.Ordinal)).Select(d => d[(subscriber.Id.Length + 1)..])))
            {
                var delivery = await _host.Get<IDeliveryStore>().GetAsync(subscriber.Id, id, default);
                Assert.True(delivery?.State == DeliveryState.Accepted, $"{subscriber.Id}/{id} is {delivery?.State.ToString() ?? "missing"}");
            }
        }

        output.WriteLine($"Invariants hold: {scored.Count} items scored once, {critical.Count} critical stories, {breaking.Count} breaking emails each sent once, {digests.Count} digests each sent once, queues empty, nothing claimed");
    }
}
