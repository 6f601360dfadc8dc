using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

public class OpmlTests
{
    [Fact]
    public void Read_NestedOutlines_ReturnsEveryFeedOnce()
    {
        const string opml = """
            <?xml version="1.0"?>
            <opml version="2.0"><head><title>Feeds</title></head><body>
              <outline text="World">
                <outline type="rss" text="Meridian" xmlUrl="https://news.meridian.example/world/rss.xml"/>
                <outline type="rss" title="Observatory" text="ignored" xmlUrl="https://observatory.example/rdf"/>
              </outline>
              <outline type="rss" text="Meridian again" xmlUrl="https://news.meridian.example/world/rss.xml"/>
              <outline text="Folder without feeds"/>
            </body></opml>
            """;

        var feeds = Opml.Read(opml);

        Assert.Equal(
            [new OpmlFeed("https://news.meridian.example/world/rss.xml", "Meridian"), new OpmlFeed("https://observatory.example/rdf", "Observatory")],
            feeds);
    }

    [Theory]
    [InlineData("<rss/>", "Not OPML")]
    [InlineData("<opml><body><outline", "Malformed OPML")]
    public void Read_Invalid_ThrowsClearError(string document, string expected) =>
        Assert.Contains(expected, Assert.Throws<FeedParseException>(() => Opml.Read(document)).Message, StringComparison.Ordinal);
}
