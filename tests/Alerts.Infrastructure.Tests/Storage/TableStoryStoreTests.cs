using Alerts.Core.Stories;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Infrastructure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableStoryStoreTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CreateFindAndUpdate_RoundTrip()
    {
        var store = new TableStoryStore(azurite.CreateClients(out _), TimeProvider.System);
        var signature = StorySignature.Of("Curfew in Almaty", "A curfew was imposed.");
        var story = new Story
        {
            Id = "s0123456789abcdef", FirstArticleId = "a1", Title = "Curfew in Almaty", FirstSeen = T0, LastSeen = T0,
            Sources = ["wire.example"], Countries = ["KZ"], ArticleIds = ["a1"], Signature = signature.ToBytes(),
        };

        var keys = new StoryKeys("KZ", signature.BandKeys("KZ"));
        Assert.True(await store.TryCreateAsync(story, keys, default));
        Assert.False(await store.TryCreateAsync(story, keys, default));
        static IEnumerable<(string, int)> Found(IReadOnlyList<StorySketch> sketches) => sketches.Select(s => (s.StoryId, s.SharedBands));
        var found = Assert.Single(await store.FindCandidatesAsync(keys, 16, T0.AddHours(-1), default));
        Assert.Equal((story.Id, keys.Bands.Count, T0, "KZ"), (found.StoryId, found.SharedBands, found.FirstSeen, found.MainCountry));
        Assert.Equal(["a1"], found.ArticleIds);
        Assert.Equal(signature.ToBytes(), found.Signature);
        Assert.Equal([(story.Id, 2)], Found(await store.FindCandidatesAsync(keys with { Bands = [.. keys.Bands.Take(2), "KZ-b99-0"] }, 5, T0.AddHours(-1), default)));
        Assert.Equal([(story.Id, 0)], Found(await store.FindCandidatesAsync(new StoryKeys("KZ", ["KZ-b99-0"]), 5, T0.AddHours(-1), default)));
        Assert.Equal([(story.Id, keys.Bands.Count)], Found(await store.FindCandidatesAsync(keys, 16, T0.AddHours(70) - StoryClusterer.Window, default)));
        Assert.Empty(await store.FindCandidatesAsync(keys, 16, T0.AddHours(1), default)); // first seen before the window
        Assert.Empty(await store.FindCandidatesAsync(new StoryKeys("KG", signature.BandKeys("KG")), 5, T0.AddHours(-1), default));
        var updated = await store.UpdateAsync(story.Id, s => s with { Sources = [.. s.Sources, "daily.example"], ArticleIds = [.. s.ArticleIds, "a2"], Event = ["n:almaty"] }, default);
        var read = await store.GetAsync(story.Id, default);
        Assert.Equal(["wire.example", "daily.example"], read!.Sources);
        Assert.Equal(signature.ToBytes(), read.Signature);
        Assert.Equal(updated!.Version, read.Version);
        Assert.Equal(["n:almaty"], read.Event);
        var sketch = Assert.Single(await store.FindCandidatesAsync(keys, 16, T0.AddHours(-1), default));
        Assert.Equal(["a1", "a2"], sketch.ArticleIds); // the sketch follows the story
        Assert.Equal(["n:almaty"], sketch.Event);
    }

    [Fact]
    public async Task TryCreate_ARetryAfterACrashBeforeTheIndex_IndexesTheStoredStoryAgain()
    {
        var clients = azurite.CreateClients(out var names);
        var store = new TableStoryStore(clients, TimeProvider.System);
        var signature = StorySignature.Of("Curfew in Osh", "A curfew was imposed in Osh.");
        var keys = new StoryKeys("KG", signature.BandKeys("KG"));
        var story = new Story { Id = "s0c0ffee", FirstArticleId = "0c0ffee", Title = "Curfew in Osh", FirstSeen = T0, LastSeen = T0, Countries = ["KG"], Signature = signature.ToBytes() };
        Assert.True(await store.TryCreateAsync(story, keys, default));
        await store.UpdateAsync(story.Id, s => s with { ArticleIds = [.. s.ArticleIds, "joined"], Event = ["n:osh"] }, default);

        // The first run "died" after the story row: its index rows are gone.
        var bands = clients.Table(names.StoryBandsTable);
        await foreach (var row in bands.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey.CompareTo("KG~") > 0 && e.PartitionKey.CompareTo("KG~~") < 0))
        {
            await bands.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        Assert.Empty(await store.FindCandidatesAsync(keys, 16, T0.AddMinutes(10) - StoryClusterer.Window, default));
        Assert.False(await store.TryCreateAsync(story, keys, default)); // the retry

        var found = Assert.Single(await store.FindCandidatesAsync(keys, 16, T0.AddMinutes(10) - StoryClusterer.Window, default));
        Assert.Equal((story.Id, keys.Bands.Count), (found.StoryId, found.SharedBands));
        Assert.Equal(["n:osh"], found.Event); // the stored story's sketch, not the retry's first version
    }

    [Fact]
    public async Task FindCandidates_StoryIdsThatAreNoPropertyName_AreIndexedAndFound()
    {
        var store = new TableStoryStore(azurite.CreateClients(out _), TimeProvider.System);
        var signature = StorySignature.Of("Curfew in Osh", "A curfew was imposed in Osh.");
        var keys = new StoryKeys("KG", signature.BandKeys("KG"));
        var story = new Story { Id = "se2e-après-1", FirstArticleId = "e2e-après-1", Title = "t", FirstSeen = T0, LastSeen = T0, Countries = ["KG"], Signature = signature.ToBytes() };

        Assert.True(await store.TryCreateAsync(story, keys, default));

        Assert.Equal([(story.Id, keys.Bands.Count)], (await store.FindCandidatesAsync(keys, 16, T0.AddHours(-1), default)).Select(s => (s.StoryId, s.SharedBands)));
    }

    [Fact]
    public async Task TryCreate_ABandRowHoldingMaxPerBandStories_TakesNoMore_TheNewStoriesAreStillFoundAsTheNewest()
    {
        var clients = azurite.CreateClients(out var names);
        var store = new TableStoryStore(clients, TimeProvider.System);
        var signature = StorySignature.Of("Curfew in Almaty", "A curfew was imposed.");
        var keys = new StoryKeys("KZ", signature.BandKeys("KZ"));
        var since = T0.AddMinutes(10) - StoryClusterer.Window; // an article 10 minutes after the first story
        Story Numbered(int i) => new() { Id = $"s{i:D4}", FirstArticleId = $"a{i:D4}", Title = "t", FirstSeen = T0.AddSeconds(i), LastSeen = T0, Countries = ["KZ"], Signature = signature.ToBytes() };
        for (var i = 0; i < TableStoryStore.MaxPerBand; i++)
        {
            await store.TryCreateAsync(Numbered(i), keys, default);
        }

        // The lookup reads the rows (and sees them full): each band's 16 newest, the same 16 stories as the country's newest.
        Assert.Equal(16, (await store.FindCandidatesAsync(keys, 16, since, default)).Count);
        for (var i = TableStoryStore.MaxPerBand; i < TableStoryStore.MaxPerBand + 5; i++)
        {
            await store.TryCreateAsync(Numbered(i), keys, default);
        }

        // The partition the lookups read (the 72-hour bucket of the article's time): its band rows took no more. (The next bucket's copy
        // takes stories until a lookup there sees it full, or the service refuses a property past its limit of 252.)
        var partition = "KZ~" + ((since + StoryClusterer.Window).UtcTicks / StoryClusterer.Window.Ticks).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bandRows = clients.Table(names.StoryBandsTable).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == partition && e.RowKey.CompareTo("b") >= 0 && e.RowKey.CompareTo("c") < 0);
        var rows = 0;
        await foreach (var row in bandRows)
        {
            Assert.Equal(TableStoryStore.MaxPerBand, row.Keys.Count(k => k.StartsWith('S')));
            rows++;
        }

        Assert.Equal(keys.Bands.Count, rows);

        var found = await store.FindCandidatesAsync(keys, 16, since, default);
        Assert.Contains(found, s => s.StoryId == "s0204" && s.SharedBands == 0); // among the country's newest
    }

    [Fact]
    public async Task FindCandidates_TheScopesNewestStories_InOneRequestNewestFirst()
    {
        var store = new TableStoryStore(azurite.CreateClients(out _), TimeProvider.System);
        var prefix = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 30; i++)
        {
            var signature = StorySignature.Of("Story " + i, "Words of story " + i);
            var story = new Story
            {
                Id = $"s{prefix}{i:D2}", FirstArticleId = "a", Title = "t", FirstSeen = T0.AddMinutes(i), LastSeen = T0, Countries = ["PE"],
                Signature = signature.ToBytes(), Event = ["n:castillo", "s:curfew"],
            };
            await store.TryCreateAsync(story, new StoryKeys("PE", []), default);
        }

        var newest = await store.FindCandidatesAsync(new StoryKeys("PE", []), 5, T0.AddMinutes(27), default);

        Assert.Equal([$"s{prefix}29", $"s{prefix}28", $"s{prefix}27"], newest.Select(c => c.StoryId));
        Assert.Equal(5, (await store.FindCandidatesAsync(new StoryKeys("PE", []), 5, T0, default)).Count);
        Assert.Equal(["n:castillo", "s:curfew"], (await store.GetAsync($"s{prefix}03", default))!.Event);
    }

    [Fact]
    public async Task Assign_RequestsPerArticle_StayFlatAsTheWindowFills()
    {
        // One busy country, generated news with skewed vocabulary; requests counted by a proxy in front of Azurite.
        await using var proxy = await FaultyStorageProxy.StartAsync(azurite.ConnectionString, seed: 1, rate: 0);
        var store = new TableStoryStore(AzuriteFixture.CreateClients(proxy.ConnectionString, out _), TimeProvider.System);
        var clusterer = new StoryClusterer(store);
        var corpus = new NewsCorpus(3);
        var stored = 0;
        async Task<double> RequestsPerLookupAsync(int window)
        {
            for (; stored < window; stored++)
            {
                var report = corpus.Next();
                var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
                await store.TryCreateAsync(
                    new Story { Id = $"s{stored:D5}", FirstArticleId = "a", Title = report.Title, FirstSeen = T0.AddMinutes(stored), LastSeen = T0, Countries = ["PE"], Signature = signature.ToBytes() },
                    new StoryKeys("PE", signature.BandKeys("PE")),
                    default);
            }

            var before = proxy.Counts.GetValueOrDefault("requests");
            for (var i = 0; i < 10; i++)
            {
                var report = corpus.Next();
                await clusterer.FindAsync(new StoryArticle("p" + i, report.Title, report.Lead, null, "f", T0.AddMinutes(window), ["PE"], Core.Scoring.Severity.None, report.Signals), default);
            }

            return (proxy.Counts.GetValueOrDefault("requests") - before) / 10.0;
        }

        var small = await RequestsPerLookupAsync(40);
        var large = await RequestsPerLookupAsync(1_000);
        output.WriteLine($"Requests per story lookup: {small:0.0} with 40 stories of the country in the window, {large:0.0} with 1,000");

        // Three queries of one partition (the country's newest sketches and the 32 band rows), then at most two for the
        // sketches of the nearest band candidates; no story is read to compare it.
        Assert.InRange(small, 3, 5);
        Assert.InRange(large, 3, 5);
    }

    [Fact]
    public async Task Lock_IsExclusiveUntilReleased()
    {
        var store = new TableStoryStore(azurite.CreateClients(out _), TimeProvider.System);
        var first = await store.LockAsync("story-KZ", TimeSpan.FromSeconds(30), default);

        var second = store.LockAsync("story-KZ", TimeSpan.FromSeconds(30), default);
        await Task.Delay(300);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Lock_ExpiredLeaseIsTakenOver()
    {
        var time = new FakeTimeProvider(T0);
        var store = new TableStoryStore(azurite.CreateClients(out _), time);
        _ = await store.LockAsync("story-none", TimeSpan.FromSeconds(30), default); // the holder "dies" without releasing

        time.Advance(TimeSpan.FromSeconds(31));
        await using var taken = await store.LockAsync("story-none", TimeSpan.FromSeconds(30), default);

        Assert.NotNull(taken);
    }
}
