using Alerts.Core.Stories;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;

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
        Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(story, keys, null, default));
        Assert.Equal(StoryCreation.Existed, await store.TryCreateAsync(story, keys, null, default));
        static IEnumerable<(string, int)> Found(IReadOnlyList<StorySketch> sketches) => sketches.Select(s => (s.StoryId, s.SharedBands));
        var found = Assert.Single((await store.FindCandidatesAsync(keys, 16, T0.AddHours(-1), default)).Sketches);
        Assert.Equal((story.Id, keys.Bands.Count, T0, "KZ"), (found.StoryId, found.SharedBands, found.FirstSeen, found.MainCountry));
        Assert.Equal(["a1"], found.ArticleIds);
        Assert.Equal(signature.ToBytes(), found.Signature);
        Assert.Equal([(story.Id, 2)], Found((await store.FindCandidatesAsync(keys with { Bands = [.. keys.Bands.Take(2), "KZ-b99-0"] }, 5, T0.AddHours(-1), default)).Sketches));
        Assert.Equal([(story.Id, 0)], Found((await store.FindCandidatesAsync(new StoryKeys("KZ", ["KZ-b99-0"]), 5, T0.AddHours(-1), default)).Sketches));
        Assert.Equal([(story.Id, keys.Bands.Count)], Found((await store.FindCandidatesAsync(keys, 16, T0.AddHours(70) - StoryClusterer.Window, default)).Sketches));
        Assert.Empty((await store.FindCandidatesAsync(keys, 16, T0.AddHours(1), default)).Sketches); // first seen before the window
        Assert.Empty((await store.FindCandidatesAsync(new StoryKeys("KG", signature.BandKeys("KG")), 5, T0.AddHours(-1), default)).Sketches);
        var updated = await store.UpdateAsync(story.Id, s => s with { Sources = [.. s.Sources, "daily.example"], ArticleIds = [.. s.ArticleIds, "a2"], Event = ["n:almaty"] }, default);
        var read = await store.GetAsync(story.Id, default);
        Assert.Equal(["wire.example", "daily.example"], read!.Sources);
        Assert.Equal(signature.ToBytes(), read.Signature);
        Assert.Equal(updated!.Version, read.Version);
        Assert.Equal(["n:almaty"], read.Event);
        var sketch = Assert.Single((await store.FindCandidatesAsync(keys, 16, T0.AddHours(-1), default)).Sketches);
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
        Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(story, keys, null, default));
        await store.UpdateAsync(story.Id, s => s with { ArticleIds = [.. s.ArticleIds, "joined"], Event = ["n:osh"] }, default);

        // The first run "died" after the story row: its index rows are gone.
        await DeleteAsync(clients.Table(names.StoryBandsTable), e => e.PartitionKey.CompareTo("KG~") > 0 && e.PartitionKey.CompareTo("KG~~") < 0);

        Assert.Empty((await store.FindCandidatesAsync(keys, 16, T0.AddMinutes(10) - StoryClusterer.Window, default)).Sketches);
        Assert.Equal(StoryCreation.Existed, await store.TryCreateAsync(story, keys, null, default)); // the retry

        var found = Assert.Single((await store.FindCandidatesAsync(keys, 16, T0.AddMinutes(10) - StoryClusterer.Window, default)).Sketches);
        Assert.Equal((story.Id, keys.Bands.Count), (found.StoryId, found.SharedBands));
        Assert.Equal(["n:osh"], found.Event); // the stored story's sketch, not the retry's first version
    }

    [Fact]
    public async Task IndexRows_AreTheRowsTryCreateWrites()
    {
        var clients = azurite.CreateClients(out var names);
        var store = new TableStoryStore(clients, TimeProvider.System);
        var signature = StorySignature.Of("Curfew in Kara", "A curfew was imposed in Kara.");
        var keys = new StoryKeys("TG", signature.BandKeys("TG"));
        var story = new Story { Id = "skara", FirstArticleId = "kara", Title = "Curfew in Kara", FirstSeen = T0, LastSeen = T0, Countries = ["TG"], ArticleIds = ["kara"], Signature = signature.ToBytes(), Event = ["n:kara", "s:curfew"] };
        Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(story, keys, null, default));

        static string Describe(Azure.Data.Tables.TableEntity row) => row.PartitionKey + "/" + row.RowKey + ": " + string.Join(", ", row
            .Where(p => p.Key is not "odata.etag" and not "Timestamp" and not "PartitionKey" and not "RowKey")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + (p.Value is byte[] bytes ? Convert.ToBase64String(bytes) : p.Value is DateTimeOffset time ? time.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))));
        var written = new List<string>();
        await foreach (var row in clients.Table(names.StoryBandsTable).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey != "h"))
        {
            written.Add(Describe(row));
        }

        Assert.Equal(2 * (keys.Bands.Distinct().Count() + 1), written.Count); // two buckets: the bands and the sketch
        Assert.Equal(TableStoryStore.IndexRows(story, keys).Select(Describe).Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindCandidates_StoryIdsThatAreNoPropertyName_AreIndexedAndFound()
    {
        var store = new TableStoryStore(azurite.CreateClients(out _), TimeProvider.System);
        var signature = StorySignature.Of("Curfew in Osh", "A curfew was imposed in Osh.");
        var keys = new StoryKeys("KG", signature.BandKeys("KG"));
        var story = new Story { Id = "se2e-après-1", FirstArticleId = "e2e-après-1", Title = "t", FirstSeen = T0, LastSeen = T0, Countries = ["KG"], Signature = signature.ToBytes() };

        Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(story, keys, null, default));

        Assert.Equal([(story.Id, keys.Bands.Count)], (await store.FindCandidatesAsync(keys, 16, T0.AddHours(-1), default)).Sketches.Select(s => (s.StoryId, s.SharedBands)));
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
            await store.TryCreateAsync(Numbered(i), keys, null, default);
        }

        // The lookup reads the rows (and sees them full): each band's 16 newest, the same 16 stories as the country's newest.
        Assert.Equal(16, (await store.FindCandidatesAsync(keys, 16, since, default)).Sketches.Count);
        for (var i = TableStoryStore.MaxPerBand; i < TableStoryStore.MaxPerBand + 5; i++)
        {
            // As the clusterer creates them: checked against the version its lookup read, the full rows left out of the batch.
            var version = (await store.FindCandidatesAsync(keys, 16, since, default)).IndexVersion;
            Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(Numbered(i), keys, version, default));
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

        var found = (await store.FindCandidatesAsync(keys, 16, since, default)).Sketches;
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
            await store.TryCreateAsync(story, new StoryKeys("PE", []), null, default);
        }

        var newest = (await store.FindCandidatesAsync(new StoryKeys("PE", []), 5, T0.AddMinutes(27), default)).Sketches;

        Assert.Equal([$"s{prefix}29", $"s{prefix}28", $"s{prefix}27"], newest.Select(c => c.StoryId));
        Assert.Equal(5, (await store.FindCandidatesAsync(new StoryKeys("PE", []), 5, T0, default)).Sketches.Count);
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
                    null,
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

        // Three queries of one partition (its head, the country's newest sketches and the 32 band rows), then at most one
        // for the sketches of the nearest band candidates not among the newest; no story is read to compare it.
        Assert.InRange(small, 3, 4);
        Assert.InRange(large, 3, 4);
    }

    [Fact]
    public async Task TryCreate_AfterAnotherStoryOfTheCountryWasCreated_IsAConflict_IndexesNothing_AndALookAgainGivesAVersionThatHolds()
    {
        var store = new TableStoryStore(azurite.CreateClients(out _), TimeProvider.System);
        StoryKeys Keys(string title) => new("TD", StorySignature.Of(title, "").BandKeys("TD"));
        Story Of(string id, string title) => new() { Id = id, FirstArticleId = id, Title = title, FirstSeen = T0, LastSeen = T0, Countries = ["TD"], ArticleIds = [id], Signature = StorySignature.Of(title, "").ToBytes() };
        var since = T0.AddMinutes(1) - StoryClusterer.Window;

        // Two instances look up at the same moment in a country with no story yet: the first creation holds, the second does not.
        var read = await store.FindCandidatesAsync(Keys("Curfew in N'Djamena"), 16, since, default);
        Assert.Empty(read.Sketches);
        Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(Of("sfirst", "Curfew in N'Djamena"), Keys("Curfew in N'Djamena"), read.IndexVersion, default));
        Assert.Equal(StoryCreation.Conflict, await store.TryCreateAsync(Of("ssecond", "Curfew declared in N'Djamena"), Keys("Curfew declared in N'Djamena"), read.IndexVersion, default));

        // The conflicting story is in no index; looking again finds the first among the country's newest, and a new version.
        var again = await store.FindCandidatesAsync(new StoryKeys("TD", []), 16, since, default);
        Assert.Equal(["sfirst"], again.Sketches.Select(s => s.StoryId));
        Assert.NotEqual(read.IndexVersion, again.IndexVersion);

        // A story of another event created with that version holds; its row was written by the attempt that met the conflict.
        Assert.Equal(StoryCreation.Existed, await store.TryCreateAsync(Of("ssecond", "Curfew declared in N'Djamena"), Keys("Curfew declared in N'Djamena"), again.IndexVersion, default));
        Assert.Equal(["sfirst", "ssecond"], (await store.FindCandidatesAsync(new StoryKeys("TD", []), 16, since, default)).Sketches.Select(s => s.StoryId).Order());
        Assert.Equal(StoryCreation.Conflict, await store.TryCreateAsync(Of("sthird", "Blast in Abeche"), Keys("Blast in Abeche"), again.IndexVersion, default));
    }

    [Fact]
    public async Task TryCreate_AHeadDeletedSinceTheLookup_IsAConflict_AVersionOfAnotherPartitionIsRefused()
    {
        var clients = azurite.CreateClients(out var names);
        var store = new TableStoryStore(clients, TimeProvider.System);
        var keys = new StoryKeys("SS", StorySignature.Of("Fighting in Juba", "").BandKeys("SS"));
        Story Of(string id, DateTimeOffset time) => new() { Id = id, FirstArticleId = id, Title = "Fighting in Juba", FirstSeen = time, LastSeen = time, Countries = ["SS"], ArticleIds = [id], Signature = StorySignature.Of("Fighting in Juba", "").ToBytes() };
        await store.TryCreateAsync(Of("sold", T0), keys, null, default);
        var read = await store.FindCandidatesAsync(keys, 16, T0.AddMinutes(1) - StoryClusterer.Window, default);

        // Retention removes the partition's rows (its bucket ended) between the lookup and the creation.
        await DeleteAsync(clients.Table(names.StoryBandsTable), e => e.PartitionKey.CompareTo("SS~") > 0 && e.PartitionKey.CompareTo("SS~~") < 0 && e.RowKey == "h");

        Assert.Equal(StoryCreation.Conflict, await store.TryCreateAsync(Of("snew", T0.AddMinutes(1)), keys, read.IndexVersion, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryCreateAsync(Of("sother", T0.AddDays(4)), keys, read.IndexVersion, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryCreateAsync(Of("sother", T0), keys, "no version", default));
    }

    [Fact]
    public async Task Join_AStoryMissingFromTheNextBucket_IsIndexedThereAgain()
    {
        var clients = azurite.CreateClients(out var names);
        var store = new TableStoryStore(clients, TimeProvider.System);
        var keys = new StoryKeys("BF", StorySignature.Of("Attack on a convoy near Djibo", "").BandKeys("BF"));
        var story = new Story { Id = "sconvoy", FirstArticleId = "convoy", Title = "Attack on a convoy near Djibo", FirstSeen = T0, LastSeen = T0, Countries = ["BF"], ArticleIds = ["convoy"], Signature = StorySignature.Of("Attack on a convoy near Djibo", "").ToBytes() };
        Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(story, keys, null, default));

        // Its creation "stopped" after the first bucket's batch: the next bucket holds none of its rows.
        var next = "BF~" + (T0.UtcTicks / StoryClusterer.Window.Ticks + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await DeleteAsync(clients.Table(names.StoryBandsTable), e => e.PartitionKey == next);

        var nextBucket = new DateTimeOffset((T0.UtcTicks / StoryClusterer.Window.Ticks + 1) * StoryClusterer.Window.Ticks, TimeSpan.Zero).AddHours(1);
        Assert.Empty((await store.FindCandidatesAsync(keys, 16, nextBucket - StoryClusterer.Window, default)).Sketches);

        await store.UpdateAsync(story.Id, s => s with { ArticleIds = [.. s.ArticleIds, "retold"] }, default); // an article joins it (found in the first bucket)

        var found = Assert.Single((await store.FindCandidatesAsync(keys, 16, nextBucket - StoryClusterer.Window, default)).Sketches);
        Assert.Equal((story.Id, keys.Bands.Count), (found.StoryId, found.SharedBands));
        Assert.Equal(["convoy", "retold"], found.ArticleIds);
    }

    [Fact]
    public async Task TryCreate_AStoryOfThePreviousBucket_MovesTheVersionOfTheNextBucketsLookupsToo()
    {
        var store = new TableStoryStore(azurite.CreateClients(out _), TimeProvider.System);
        var keys = new StoryKeys("NE", StorySignature.Of("Coup in Niamey", "").BandKeys("NE"));
        var bucketStart = new DateTimeOffset(T0.UtcTicks / StoryClusterer.Window.Ticks * StoryClusterer.Window.Ticks, TimeSpan.Zero);
        Story Of(string id, DateTimeOffset time) => new() { Id = id, FirstArticleId = id, Title = "Coup in Niamey", FirstSeen = time, LastSeen = time, Countries = ["NE"], ArticleIds = [id], Signature = StorySignature.Of("Coup in Niamey", "").ToBytes() };

        // An article just after a bucket starts reads that bucket; a story of an article just before it is created meanwhile.
        var late = await store.FindCandidatesAsync(keys, 16, bucketStart.AddSeconds(10) - StoryClusterer.Window, default);
        var early = await store.FindCandidatesAsync(keys, 16, bucketStart.AddSeconds(-10) - StoryClusterer.Window, default);
        Assert.Equal(StoryCreation.Created, await store.TryCreateAsync(Of("searly", bucketStart.AddSeconds(-10)), keys, early.IndexVersion, default));

        Assert.Equal(StoryCreation.Conflict, await store.TryCreateAsync(Of("slate", bucketStart.AddSeconds(10)), keys, late.IndexVersion, default));
        Assert.Equal(["searly"], (await store.FindCandidatesAsync(new StoryKeys("NE", []), 16, bucketStart.AddSeconds(10) - StoryClusterer.Window, default)).Sketches.Select(s => s.StoryId));
    }

    [Fact]
    public async Task Assign_TwoInstancesStartingTheSameEventAtOnce_MakeOneStory()
    {
        // Two instances (two stores over one account), each scoring a report of one new event: both look up before either creates.
        var clients = azurite.CreateClients(out _);
        var race = new LookupsFirstStoryStore.Race(lookups: 2);
        var first = new StoryClusterer(new LookupsFirstStoryStore(new TableStoryStore(clients, TimeProvider.System), race));
        var second = new StoryClusterer(new LookupsFirstStoryStore(new TableStoryStore(clients, TimeProvider.System), race));
        StoryArticle Report(string id, string source) => new(id, "Army seizes power in Bangui, president detained", "Soldiers seized the presidential palace in Bangui and detained the president.", $"https://{source}/{id}", "f", T0, ["CF"], Core.Scoring.Severity.Critical, ["coup"]);

        var assigned = await Task.WhenAll(first.AssignAsync(Report("a1", "wire.example"), default), second.AssignAsync(Report("a2", "daily.example"), default));

        Assert.Single(assigned, a => a.Created);
        Assert.Equal(assigned[0].Story.Id, assigned[1].Story.Id);
        var story = await new TableStoryStore(clients, TimeProvider.System).GetAsync(assigned[0].Story.Id, default);
        Assert.Equal(["a1", "a2"], story!.ArticleIds.Order());
    }

    // Index rows gone, as a run that died or retention leaves them.
    private static async Task DeleteAsync(Azure.Data.Tables.TableClient table, System.Linq.Expressions.Expression<Func<Azure.Data.Tables.TableEntity, bool>> which)
    {
        await foreach (var row in table.QueryAsync(which))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }
}
