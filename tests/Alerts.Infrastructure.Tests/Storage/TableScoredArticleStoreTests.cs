using Alerts.Core.Scoring;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Infrastructure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableScoredArticleStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static ScoredArticle Article(string id, DateTimeOffset scoredAt) =>
        new() { Id = id, FeedId = "f", Title = "Title " + id, Content = "Text of " + id, ScoredAt = scoredAt, Result = ScoreResult.Empty };

    [Fact]
    public async Task ListNewest_ReadsDayByDayNewestFirst_WithinTheWindow_EachArticleOnce()
    {
        var store = new TableScoredArticleStore(azurite.CreateClients(out _), new FakeTimeProvider(Now));
        var saved = new[] { ("a1", -0.5), ("a2", -30), ("a3", -49), ("a4", -2), ("a5", -200) }; // hours before now
        foreach (var (id, hours) in saved)
        {
            await store.SaveAsync(Article(id, Now.AddHours(hours)), default);
        }

        await store.SaveAsync(Article("a4", Now.AddHours(-1)), default); // scored again (a retry): a second day row

        var newest = new List<ScoredArticle>();
        await foreach (var article in store.ListNewestAsync(Now.AddDays(-3), default))
        {
            newest.Add(article);
        }

        Assert.Equal(["a1", "a4", "a2", "a3"], newest.Select(a => a.Id)); // a5 is older than the window
        Assert.Equal("Text of a2", newest[2].Content);
        Assert.Equal(Now.AddHours(-30), newest[2].ScoredAt);
        Assert.Equal("Title a4", (await store.GetAsync("a4", default))?.Title); // and by id, as before

        var first = await store.ListNewestAsync(Now.AddDays(-3), default).FirstAsync();
        Assert.Equal("a1", first.Id);
    }
}
