using System.Globalization;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Xunit.Abstractions;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>
/// The host stopped (SIGTERM, as a scale-in or a deployment does) while articles are still queued, then started again:
/// everything queued is processed, each article scored once, each critical story emailed once (outbox provider).
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class HostRestartTests(RealHostFixture fixture, ITestOutputHelper output)
{
    private const int Fillers = 80;

    [Fact]
    public async Task StoppedMidPipeline_RestartProcessesEverythingQueuedOnce()
    {
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var storage = azurite.ConnectionString;
        var outbox = Path.Combine(Path.GetTempPath(), "alerts-restart-outbox-" + Guid.NewGuid().ToString("N")[..8]);
        var items = new List<(string Title, string Text, string Guid)>
        {
            ("Guinea declares state of emergency as soldiers fire on marchers", "Soldiers opened fire on marchers in Conakry, killing at least nine people. The government of Guinea declared a state of emergency and imposed a night curfew; mobile internet was cut.", "guinea"),
            ("Tchad : l'armée tire à balles réelles sur des manifestants à N'Djamena", "Les forces de sécurité ont tiré à balles réelles sur des manifestants à N'Djamena samedi, faisant au moins six morts selon des sources médicales. Le gouvernement a décrété l'état d'urgence et un couvre-feu nocturne dans la capitale ; des dizaines d'opposants ont été arrêtés.", "tchad"),
        };
        for (var i = 0; i < Fillers; i++)
        {
            items.Add(($"District {i} council approves budget for parks", $"Councillors in district {i} voted for new benches, {i % 7 + 2} playgrounds and longer library hours.", "council-" + i.ToString(CultureInfo.InvariantCulture)));
        }

        fixture.Feeds.Feed("restart", RealHostFixture.Rss("Restart desk", [.. items]));
        using (var stores = RealHostFixture.Stores(storage))
        {
            await RealHostFixture.AddFeedAsync(stores, fixture.Feeds.Url("restart"));
            await RealHostFixture.AddSubscriberAsync(stores, "night@e2e.example");
        }

        var port = FunctionsHostProcess.FreePort();
        // A short article claim: items a stopped host was publishing are taken over by the first poll after it.
        var settings = RealHostFixture.Settings(storage, port, new() { ["Email__Provider"] = "Outbox", ["Email__OutboxFolder"] = outbox, ["Ingestion__ArticleClaimLease"] = "00:00:05", ["Ingestion__MinPollInterval"] = "00:00:01" });
        // The first host does not send breaking alerts: a stop can land after its queue listener has taken the breaking
        // messages (they stay invisible for the host's 10-minute lease) or in the middle of a send (its delivery claim
        // is held for 6 minutes), both longer than this test waits. The alerts it queues are the second host's to send.
        var first = await fixture.StartHostAsync("restart-1", port, new Dictionary<string, string?>(settings) { ["AzureWebJobs.SendBreakingAlerts.Disabled"] = "true" });
        int queuedAtStop;
        try
        {
            await first.InvokeAsync("PollFeeds");
            await first.WaitForAsync(() => first.Executions("ScoreArticle").Count >= 1, TimeSpan.FromSeconds(60), "the first article scored");
        }
        finally
        {
            // Drained first, as the platform does: a host stopped without it loses the messages its listener took at
            // the stop to the queue's 10-minute lease (they come back after it), longer than this test waits.
            await first.DrainAsync(TimeSpan.FromSeconds(60));
            await first.StopAsync();
        }

        queuedAtStop = await RealHostFixture.QueueLengthAsync(storage, QueueNames.Articles);
        var scoredBefore = first.Executions("ScoreArticle").Count;
        output.WriteLine($"Drained and stopped with SIGTERM after {scoredBefore} articles were scored; {queuedAtStop} messages still queued.");
        // How much is left depends on how far the host drains its listeners before it exits (measured: 0 to 56 of 82);
        // whatever is left must be processed exactly once after the restart.
        await first.DisposeAsync();

        await using var second = await fixture.StartHostAsync("restart-2", port, settings);
        var total = items.Count;
        var lastPoll = TimeProvider.System.GetUtcNow();
        await second.WaitForAsync(async () => await PollNowAndThenAsync() && await RealHostFixture.CountScoredAsync(storage) == total
                && await RealHostFixture.QueueLengthAsync(storage, QueueNames.Articles) == 0
                && await RealHostFixture.QueueLengthAsync(storage, QueueNames.Breaking) == 0
                && Breaking(outbox).Count == 2,
            TimeSpan.FromSeconds(180), $"all {total} articles scored and both critical stories mailed");
        await Task.Delay(RealHostFixture.VisibilityTimeout * 3); // time for any redelivery to show up

        // The poll timer's job (its schedule is off in these tests): items held by the stopped host come back once
        // their claim has run out and the feed is due again.
        async Task<bool> PollNowAndThenAsync()
        {
            if (TimeProvider.System.GetUtcNow() - lastPoll > TimeSpan.FromSeconds(8))
            {
                lastPoll = TimeProvider.System.GetUtcNow();
                await second.InvokeAsync("PollFeeds");
            }

            return true;
        }

        var emails = Breaking(outbox);
        Assert.Equal(2, emails.Count);
        Assert.Single(emails, e => e.Contains("Guinea", StringComparison.Ordinal));
        Assert.Single(emails, e => !e.Contains("Guinea", StringComparison.Ordinal)); // the Chad story (its subject is encoded)
        Assert.Equal(total, await RealHostFixture.CountScoredAsync(storage));
        foreach (var queue in new[] { QueueNames.FeedFetch, QueueNames.Articles, QueueNames.Breaking })
        {
            Assert.Equal(0, await RealHostFixture.QueueLengthAsync(storage, queue + "-poison"));
        }

        var scoredAfter = second.Executions("ScoreArticle").Count;
        output.WriteLine($"After the restart: {scoredAfter} ScoreArticle invocations ({scoredBefore + scoredAfter - total} repeated across the stop), {total} scored articles, 2 breaking emails.");
    }

    private static List<string> Breaking(string outbox) =>
        Directory.Exists(outbox)
            ? [.. Directory.EnumerateFiles(outbox, "*.eml").Select(File.ReadAllText).Where(e => e.Contains("X-Category: breaking", StringComparison.Ordinal))]
            : [];
}
