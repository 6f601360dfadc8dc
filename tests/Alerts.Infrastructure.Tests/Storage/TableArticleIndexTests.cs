using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;

namespace Alerts.Infrastructure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableArticleIndexTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly TableArticleIndex _index = new(azurite.CreateClients(out _));

    [Fact]
    public async Task Claim_NewArticle_IsClaimedThenDuplicateOncePublished()
    {
        Assert.Equal(ArticleClaim.Claimed, await _index.TryClaimAsync("a1", ["guid:f:1", "url:https://x.example/1"], Now, Lease, default));
        await _index.MarkPublishedAsync("a1", default);

        Assert.Equal(ArticleClaim.Duplicate, await _index.TryClaimAsync("a1", ["guid:f:1", "url:https://x.example/1"], Now, Lease, default));
    }

    [Fact]
    public async Task Claim_SameUrlUnderAnotherArticle_IsDuplicate()
    {
        await _index.TryClaimAsync("b1", ["guid:feedA:9", "url:https://x.example/shared"], Now, Lease, default);

        Assert.Equal(ArticleClaim.Duplicate, await _index.TryClaimAsync("b2", ["guid:feedB:77", "url:https://x.example/shared"], Now, Lease, default));
    }

    [Fact]
    public async Task Claim_WhileAnotherHoldsTheLease_IsInProgress_ThenTakenOverAfterExpiry()
    {
        Assert.Equal(ArticleClaim.Claimed, await _index.TryClaimAsync("c1", ["k:c1"], Now, Lease, default));

        Assert.Equal(ArticleClaim.InProgress, await _index.TryClaimAsync("c1", ["k:c1"], Now.AddMinutes(1), Lease, default));
        Assert.Equal(ArticleClaim.Claimed, await _index.TryClaimAsync("c1", ["k:c1"], Now.AddMinutes(6), Lease, default));
    }

    [Fact]
    public async Task Claim_ManyConcurrentClaimers_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            _index.TryClaimAsync("d1", ["guid:feed" + i + ":x", "url:https://x.example/race"], Now, Lease, default)));

        Assert.Single(results, r => r == ArticleClaim.Claimed);
    }
}
