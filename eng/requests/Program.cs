// Counts what the story index asks of Azure Table storage as one country's window fills: the requests of a story lookup
// and of a new story, with 1,000, 10,000 and 100,000 stories of one country open (all in one partition: the worst
// case), through a proxy in front of Azurite (the real emulator; the requests are those the real SDK sends). Stories are
// generated with skewed vocabulary (NewsCorpus) and seeded directly, without the proxy.
//   dotnet run -c Release --project eng/requests -- [SIZES...]        (default: 1000 10000 100000)
using System.Diagnostics;
using System.Globalization;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

int[] sizes = args.Length > 0 ? [.. args.Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [1_000, 10_000, 100_000];
var azurite = new AzuriteFixture();
await azurite.InitializeAsync();
try
{
    await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
    var counted = AzuriteFixture.CreateClients(proxy.ConnectionString, out var names);
    var direct = new StorageClients(new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", azurite.ConnectionString)]).Build(), Options.Create(names));
    var seeding = new TableStoryStore(direct, TimeProvider.System);
    var measured = new TableStoryStore(counted, TimeProvider.System);
    var clusterer = new StoryClusterer(measured);
    var corpus = new NewsCorpus(5);
    var now = DateTimeOffset.UtcNow;
    var window = StoryClusterer.Window - TimeSpan.FromMinutes(5);
    var stored = 0;
    Console.WriteLine("stories   lookup_requests  lookup_ms  stories_compared  new_story_requests  seed_s");
    foreach (var size in sizes)
    {
        var seed = Stopwatch.StartNew();
        var reports = Enumerable.Range(stored, size - stored).Select(i => (i, corpus.Next())).ToList();
        await Parallel.ForEachAsync(reports, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            var (i, report) = item;
            var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
            var firstSeen = now - (window * ((double)(size - i) / size)); // spread over the window, newest last
            await seeding.TryCreateAsync(
                new Story { Id = $"s{i:D7}", FirstArticleId = $"a{i:D7}", Title = report.Title, FirstSeen = firstSeen, LastSeen = firstSeen, Countries = ["PE"], Signature = signature.ToBytes() },
                new StoryKeys("PE", signature.BandKeys("PE")),
                ct);
        });
        stored = size;
        seed.Stop();

        const int Lookups = 20;
        var before = proxy.Counts.GetValueOrDefault("requests");
        var compared = 0;
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < Lookups; i++)
        {
            var report = corpus.Next();
            var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
            var found = await measured.FindCandidatesAsync(new StoryKeys("PE", signature.BandKeys("PE")), StoryClusterer.MaxRecent, now - StoryClusterer.Window, default);
            compared += found.Count;
            await clusterer.FindAsync(new StoryArticle($"p{size}-{i}", report.Title, report.Lead, null, "f", now, ["PE"], Alerts.Core.Scoring.Severity.None, report.Signals), default);
        }

        timer.Stop();
        var lookups = (proxy.Counts.GetValueOrDefault("requests") - before) / (2.0 * Lookups);

        const int Created = 5;
        before = proxy.Counts.GetValueOrDefault("requests");
        for (var i = 0; i < Created; i++)
        {
            var report = corpus.Next();
            var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
            await measured.TryCreateAsync(
                new Story { Id = $"n{size}x{i}", FirstArticleId = $"n{size}x{i}", Title = report.Title, FirstSeen = now, LastSeen = now, Countries = ["PE"], Signature = signature.ToBytes() },
                new StoryKeys("PE", signature.BandKeys("PE")),
                default);
        }

        var creation = (proxy.Counts.GetValueOrDefault("requests") - before) / (double)Created;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{size,-9} {lookups,15:0.0} {timer.Elapsed.TotalMilliseconds / (2 * Lookups),10:0.0} {compared / (double)Lookups,17:0.0} {creation,19:0.0} {seed.Elapsed.TotalSeconds,7:0}"));
    }
}
finally
{
    await azurite.DisposeAsync();
}
