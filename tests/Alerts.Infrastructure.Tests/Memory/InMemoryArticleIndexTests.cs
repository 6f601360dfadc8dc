using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Memory;

namespace Alerts.Infrastructure.Tests.Memory;

/// <summary>The seen-article index over record tables answers as the table index does.</summary>
public sealed class InMemoryArticleIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ALiveClaimIsInProgress_NotDone_APublishedOneIsDone_AnExpiredOneIsTakenOver()
    {
        var index = new InMemoryArticleIndex(new MemoryRecordTables());
        string[] aliases = ["url:https://news.example/1"];
        Assert.Equal(ArticleClaim.Claimed, await index.TryClaimAsync("a1", aliases, Now, TimeSpan.FromSeconds(30), default));

        // Its claimer may have died before its message was kept: not "done", or the feed would skip it for good.
        Assert.Equal(ArticleClaim.InProgress, await index.TryClaimAsync("a1", aliases, Now.AddSeconds(5), TimeSpan.FromSeconds(30), default));
        Assert.Equal(ArticleClaim.Claimed, await index.TryClaimAsync("a1", aliases, Now.AddSeconds(31), TimeSpan.FromSeconds(30), default));

        await index.MarkPublishedAsync("a1", default);
        Assert.Equal(ArticleClaim.Duplicate, await index.TryClaimAsync("a1", aliases, Now.AddMinutes(5), TimeSpan.FromSeconds(30), default));
        Assert.Equal(ArticleClaim.Duplicate, await index.TryClaimAsync("a2", aliases, Now.AddMinutes(5), TimeSpan.FromSeconds(30), default)); // another id, same URL
    }
}
