using System.Text;
using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

public class FeedReadingTests
{
    private static readonly Uri FeedUrl = new("https://wire.lowland.example/rss");

    private static string Item(int n) =>
        $"<item><title>Report {n} from the river district</title><guid>lowland-{n}</guid><description>Update {n}.</description></item>";

    private static byte[] Rss(string items, string channelHead = "<title>Lowland Wire</title><language>nl</language>") =>
        Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>{channelHead}{items}</channel></rss>");

    [Fact]
    public void Open_ReadsOnlyTheFirstItem_TheRestComeAsEnumerated()
    {
        var items = string.Concat(Enumerable.Range(1, 50).Select(Item));
        using var reading = FeedParser.Open(Rss(items), "utf-8", FeedUrl);

        Assert.Equal(1, reading.ItemCount);
        Assert.Equal(FeedFormat.Rss, reading.Format);
        Assert.Equal("nl", reading.Language); // read before the items, so each can fall back on it

        using var enumerator = reading.Items.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Equal("lowland-1", enumerator.Current.Guid);
        Assert.True(enumerator.MoveNext());
        Assert.Equal(2, reading.ItemCount);
        Assert.Equal("lowland-2", enumerator.Current.Guid);
    }

    [Fact]
    public void Items_EnumeratedToTheEnd_CompleteTheFeedFields()
    {
        // The channel's title and link after its items: known once the reading has passed them.
        var document = Rss(Item(1) + Item(2) + "<title>Late Title</title><link>https://wire.lowland.example/</link>", channelHead: "");
        using var reading = FeedParser.Open(document, null, FeedUrl);

        var guids = reading.Items.Select(i => i.Guid).ToList();

        Assert.Equal(["lowland-1", "lowland-2"], guids);
        Assert.Equal("Late Title", reading.Title);
        Assert.Equal("https://wire.lowland.example/", reading.SiteUrl);
        Assert.Empty(reading.Warnings);
    }

    [Theory]
    [InlineData("<item><title>Report 4</title><guid>lowland-4</guid><description>Cut <b>bold</description></item>", 4)]
    [InlineData("<item><title>Report 4</title><guid>lowland-4</guid><description>A <br> break</description></item>", 4)]
    [InlineData("<item><title>Report 4</title><guid>lowland-4</guid></item><p>A stray paragraph</div>", 4)]
    public void Items_MalformedAfterSomeItems_ReadTolerantly_EachItemGivenOutOnce(string tail, int expected)
    {
        var document = Rss(Item(1) + Item(2) + Item(3) + tail);
        using var reading = FeedParser.Open(document, "utf-8", FeedUrl);

        var guids = reading.Items.Select(i => i.Guid).ToList();

        Assert.Equal(Enumerable.Range(1, expected).Select(n => $"lowland-{n}"), guids);
        Assert.Equal(expected, reading.ItemCount);
        var warning = Assert.Single(reading.Warnings);
        Assert.Contains($"read by the tolerant pass: {expected} items", warning, StringComparison.Ordinal);
        Assert.Equal("Lowland Wire", reading.Title);
    }

    [Fact]
    public void Items_GiveTheSameFeedAsParse()
    {
        var document = Rss(string.Concat(Enumerable.Range(1, 5).Select(Item)) + "<item><title>Broken & unescaped</title></item>");
        using var reading = FeedParser.Open(document, "utf-8", FeedUrl);
        var streamed = reading.Items.ToList();

        var parsed = FeedParser.Parse(document, "utf-8", FeedUrl);

        Assert.Equal(parsed.Items, streamed);
        Assert.Equal(parsed.Warnings, reading.Warnings);
        Assert.Equal(parsed.Title, reading.Title);
    }

    [Fact]
    public void Items_SecondEnumeration_IsRefused()
    {
        using var reading = FeedParser.Open(Rss(Item(1)), "utf-8", FeedUrl);
        _ = reading.Items.ToList();

        Assert.Throws<InvalidOperationException>(() => reading.Items);
    }

    [Fact]
    public void Items_AfterDispose_AreRefused()
    {
        var reading = FeedParser.Open(Rss(Item(1)), "utf-8", FeedUrl);
        reading.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reading.Items);
    }

    [Theory]
    [InlineData("", "The document is empty.")]
    [InlineData("<html><body>Not here</body></html>", "Not a feed: the root element is <html>.")]
    [InlineData("plain words", "The document is neither XML nor JSON.")]
    public void Open_NoFeedAtAll_FailsAtOnce(string document, string message)
    {
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Open(Encoding.UTF8.GetBytes(document), "utf-8", FeedUrl));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Open_JsonFeed_StreamsItsItems()
    {
        const string json = """
            {"version":"https://jsonfeed.org/version/1.1","title":"Lowland JSON","language":"nl",
             "items":[{"id":"j1","title":"First","content_text":"One."},{"id":"j2","title":"Second","content_text":"Two."}]}
            """;
        using var reading = FeedParser.Open(Encoding.UTF8.GetBytes(json), "utf-8", FeedUrl);

        Assert.Equal(FeedFormat.JsonFeed, reading.Format);
        Assert.Equal(["j1", "j2"], reading.Items.Select(i => i.Guid));
        Assert.Equal("Lowland JSON", reading.Title);
    }
}
