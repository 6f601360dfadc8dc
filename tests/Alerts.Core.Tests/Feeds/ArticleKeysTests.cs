using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

public class ArticleKeysTests
{
    [Fact]
    public void KeyFor_UrlGuid_IsGlobalAndCanonical()
    {
        var item = new FeedItem { Guid = "https://Wire.example/story/1?utm_source=x", GuidIsPermaLink = true };

        Assert.Equal("url:https://wire.example/story/1", ArticleKeys.KeyFor("a", item));
        Assert.Equal(ArticleKeys.KeyFor("a", item), ArticleKeys.KeyFor("b", item));
    }

    [Fact]
    public void KeyFor_OpaqueGuid_IsScopedToFeed()
    {
        var item = new FeedItem { Guid = "48213", Url = "https://wire.example/x" };

        Assert.Equal("guid:a:48213", ArticleKeys.KeyFor("a", item));
        Assert.NotEqual(ArticleKeys.KeyFor("a", item), ArticleKeys.KeyFor("b", item));
    }

    [Fact]
    public void KeyFor_TagUri_IsGlobal() =>
        Assert.Equal("guid:tag:wire.example,2026:1", ArticleKeys.KeyFor("a", new FeedItem { Guid = "tag:wire.example,2026:1" }));

    [Fact]
    public void KeyFor_NoGuid_UsesCanonicalLink() =>
        Assert.Equal("url:https://wire.example/x", ArticleKeys.KeyFor("a", new FeedItem { Url = "https://wire.example/x#top" }));

    [Fact]
    public void KeyFor_NoGuidNoLink_HashesTitleAndDate()
    {
        var item = new FeedItem { Title = "Clinic open", Published = new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero) };

        var key = ArticleKeys.KeyFor("a", item);

        Assert.StartsWith("hash:a:", key, StringComparison.Ordinal);
        Assert.Equal(key, ArticleKeys.KeyFor("a", item with { Summary = "changed summary" }));
        Assert.NotEqual(key, ArticleKeys.KeyFor("a", item with { Title = "Clinic closed" }));
    }

    [Fact]
    public void AliasesFor_AddsCanonicalUrlWhenKeyIsNotTheUrl()
    {
        Assert.Equal(["guid:a:1", "url:https://wire.example/x"], ArticleKeys.AliasesFor("guid:a:1", "https://wire.example/x?utm_medium=rss"));
        Assert.Equal(["url:https://wire.example/x"], ArticleKeys.AliasesFor("url:https://wire.example/x", "https://wire.example/x"));
        Assert.Equal(["hash:a:1"], ArticleKeys.AliasesFor("hash:a:1", null));
    }

    [Fact]
    public void IdFor_Is32HexCharacters() => Assert.Matches("^[0-9a-f]{32}$", ArticleKeys.IdFor("url:https://wire.example/x"));
}
