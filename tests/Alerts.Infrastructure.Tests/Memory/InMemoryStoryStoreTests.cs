using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Memory;
using Alerts.Testing;

namespace Alerts.Infrastructure.Tests.Memory;

public class InMemoryStoryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static StoryArticle Article(string id, string title, string lead, string site, DateTimeOffset time, Severity severity = Severity.Watch, string[]? countries = null) =>
        new(id, title, lead, $"https://www.{site}/{id}", "f", time, countries ?? ["KZ"], severity);

    [Fact]
    public async Task Assign_JoinsNearDuplicatesAndKeepsFirstArticleSourcesAndHighestSeverity()
    {
        var clusterer = new StoryClusterer(new InMemoryStoryStore());

        var first = await clusterer.AssignAsync(Article("a", "Curfew imposed in Almaty as protests spread", "Authorities imposed a night curfew in Almaty after protests over fuel prices.", "wire.example", T0), default);
        var second = await clusterer.AssignAsync(Article("b", "Curfew in Almaty as fuel protests spread", "A night curfew was imposed in Almaty after protests over fuel prices.", "daily.example", T0.AddHours(2), Severity.Critical), default);
        var again = await clusterer.AssignAsync(Article("b", "Curfew in Almaty as fuel protests spread", "A night curfew was imposed in Almaty after protests over fuel prices.", "daily.example", T0.AddHours(2), Severity.Critical), default);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Story.Id, second.Story.Id);
        Assert.Equal("a", second.Story.FirstArticleId);
        Assert.Equal(["wire.example", "daily.example"], second.Story.Sources);
        Assert.Equal(Severity.Critical, second.Story.MaxSeverity);
        Assert.Equal(second.Story with { Version = null }, again.Story with { Version = null });
    }

    [Fact]
    public async Task Assign_AfterTheWindow_StartsANewStory()
    {
        var clusterer = new StoryClusterer(new InMemoryStoryStore());

        var first = await clusterer.AssignAsync(Article("a", "Curfew imposed in Almaty as protests spread", "Authorities imposed a night curfew in Almaty.", "wire.example", T0), default);
        var later = await clusterer.AssignAsync(Article("b", "Curfew imposed in Almaty as protests spread", "Authorities imposed a night curfew in Almaty.", "daily.example", T0.AddHours(73)), default);

        Assert.NotEqual(first.Story.Id, later.Story.Id);
    }

    [Fact]
    public async Task Assign_ManyConcurrentNearDuplicates_MakeOneStory()
    {
        // All eight look up before any creates: one creation holds, the others look again and join it.
        var store = new InMemoryStoryStore();
        var clusterer = new StoryClusterer(new LookupsFirstStoryStore(store, new LookupsFirstStoryStore.Race(lookups: 8)));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => clusterer.AssignAsync(
            Article("a" + i, "Curfew imposed in Almaty as protests spread", "Authorities imposed a night curfew in Almaty after protests over fuel prices.", $"site{i}.example", T0), default))));

        Assert.Single(results.Select(r => r.Story.Id).Distinct());
        Assert.Single(results, r => r.Created);
        Assert.Equal(1, store.Count);
        Assert.Equal(8, (await store.GetAsync(results[0].Story.Id, default))!.ArticleIds.Count);
    }

    [Fact]
    public async Task Assign_TheSameWordsAboutAnotherCountry_NeverJoinAndTheStoryKeepsItsCountry()
    {
        var store = new InMemoryStoryStore();
        var clusterer = new StoryClusterer(store);
        const string Title = "Security forces open fire on protesters, curfew declared";
        const string Lead = "Security forces opened fire on protesters in the capital on Tuesday, killing at least nine people, and the government declared a night curfew.";

        var guinea = await clusterer.AssignAsync(Article("gn", Title, Lead, "wire.example", T0, Severity.Critical, ["GN"]), default);
        var sudan = await clusterer.AssignAsync(Article("sd", Title, Lead, "wire.example", T0.AddHours(3), Severity.Critical, ["SD"]), default);
        var peru = await clusterer.AssignAsync(Article("pe", Title, Lead + " Guinea saw the same last year.", "daily.example", T0.AddHours(4), Severity.Critical, ["PE", "GN"]), default);
        var guineaAgain = await clusterer.AssignAsync(Article("gn2", Title, Lead + " Peru is watching.", "daily.example", T0.AddHours(5), Severity.Critical, ["GN", "PE"]), default);

        Assert.True(sudan.Created);
        Assert.True(peru.Created);
        Assert.Equal(3, store.Count);
        Assert.Equal(guinea.Story.Id, guineaAgain.Story.Id);
        Assert.Equal("GN", guineaAgain.Story.Countries[0]);
        Assert.Equal(["PE", "GN"], peru.Story.Countries);
    }

    [Fact]
    public async Task Assign_ManyStoriesSharingBands_ComparesAtMostMaxCandidates()
    {
        var inner = new InMemoryStoryStore();
        var counting = new CountingStoryStore(inner);
        var clusterer = new StoryClusterer(counting);
        for (var i = 0; i < 200; i++)
        {
            // Same words, created directly so that 200 stories share every band.
            var signature = StorySignature.Of("Curfew in Almaty", "A curfew was imposed.", []);
            await inner.TryCreateAsync(
                new Story { Id = "s" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), FirstArticleId = "a", Title = "t", FirstSeen = T0, LastSeen = T0, Countries = ["KZ"], Signature = StorySignature.Of("Other words", "Entirely", []).ToBytes() },
                new StoryKeys("KZ", signature.BandKeys("KZ")),
                null,
                default);
        }

        await clusterer.AssignAsync(Article("new", "Curfew in Almaty", "A curfew was imposed.", "wire.example", T0.AddHours(1)), default);

        // One lookup (no other story was created meanwhile, so nothing to look at again), comparing at most the nearest
        // and the newest; no story read.
        Assert.Equal(1, counting.Finds);
        Assert.InRange(counting.Compared, 1, StoryClusterer.MaxCandidates + StoryClusterer.MaxRecent);
        Assert.Equal(0, counting.Gets);
    }
}
