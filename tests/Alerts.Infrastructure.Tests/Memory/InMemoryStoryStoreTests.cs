using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Memory;

namespace Alerts.Infrastructure.Tests.Memory;

public class InMemoryStoryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static StoryArticle Article(string id, string title, string lead, string site, DateTimeOffset time, Severity severity = Severity.Watch) =>
        new(id, title, lead, $"https://www.{site}/{id}", "f", time, ["KZ"], severity);

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
        var store = new InMemoryStoryStore();
        var clusterer = new StoryClusterer(store);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => clusterer.AssignAsync(
            Article("a" + i, "Curfew imposed in Almaty as protests spread", "Authorities imposed a night curfew in Almaty after protests over fuel prices.", $"site{i}.example", T0), default))));

        Assert.Single(results.Select(r => r.Story.Id).Distinct());
        Assert.Equal(1, store.Count);
    }
}
