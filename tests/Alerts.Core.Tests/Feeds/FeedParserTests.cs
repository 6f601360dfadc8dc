using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

public class FeedParserTests
{
    private static readonly Uri FeedUrl = new("https://news.meridian.example/world/rss.xml");

    private static ParsedFeed ParseFile(string name, string? charset = null, Uri? url = null) =>
        FeedParser.Parse(TestFiles.Bytes(name), charset, url ?? FeedUrl);

    [Fact]
    public void Parse_Rss20_ReadsChannelAndItems()
    {
        var feed = ParseFile("rss20-wire.xml");

        Assert.Equal(FeedFormat.Rss, feed.Format);
        Assert.Equal("Meridian Wire & Partners — World", feed.Title);
        Assert.Equal("en-gb", feed.Language);
        Assert.Equal(TimeSpan.FromMinutes(30), feed.Ttl);
        Assert.Equal(3, feed.Items.Count);

        var first = feed.Items[0];
        Assert.Equal("Curfew imposed in northern city as protests spread", first.Title);
        Assert.Equal("meridian-48213", first.Guid);
        Assert.False(first.GuidIsPermaLink);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 21, 14, 0, TimeSpan.Zero), first.Published);
        Assert.Equal("Staff reporter", first.Author);
        Assert.Equal("Authorities declared a night curfew after a third day of unrest.", first.Summary);
        Assert.Contains("Mobile internet was cut in two provinces", first.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("track()", first.Content, StringComparison.Ordinal);
        Assert.Contains("<script>", first.ContentHtml, StringComparison.Ordinal); // original HTML kept apart, untouched
    }

    [Fact]
    public void Parse_RelativeLink_ResolvesAgainstFeedUrl()
    {
        var feed = ParseFile("rss20-wire.xml");

        Assert.Equal("https://news.meridian.example/business/2026/11/markets-steady", feed.Items[1].Url);
        Assert.Equal("Traders expect rates to stay on hold & the currency to hold firm.", feed.Items[1].Summary);
    }

    [Fact]
    public void Parse_Rss091WithDoctypeAndHtmlEntities_Parses()
    {
        var feed = ParseFile("rss091-doctype.xml");

        Assert.Equal("Harbour Gazette", feed.Title);
        var item = Assert.Single(feed.Items);
        Assert.Equal("Port workers strike for second week", item.Title); // &nbsp; folds to a plain space
        Assert.Equal("Dock unions said talks had \u201ccollapsed\u201d \u2014 shipping is delayed. AT&T phones down.", item.Summary);
        Assert.Equal("http://gazette.example/stories/port-strike.html", item.Url);
    }

    [Fact]
    public void Parse_Rdf10_ReadsItemsOutsideChannel()
    {
        var feed = ParseFile("rdf10.xml");

        Assert.Equal(FeedFormat.Rdf, feed.Format);
        Assert.Equal("Regional Observatory", feed.Title);
        Assert.Equal(2, feed.Items.Count);
        var item = feed.Items[0];
        Assert.Equal("Internet shutdown reported in three provinces", item.Title);
        Assert.Equal("https://observatory.example/r/101", item.Guid);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 2, 40, 0, TimeSpan.Zero), item.Published);
        Assert.Equal("en", item.Language);
        Assert.Equal("Observatory desk", item.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), feed.Items[1].Published);
    }

    [Fact]
    public void Parse_Atom_ResolvesXmlBaseAndReadsTextConstructs()
    {
        var feed = ParseFile("atom10.xml");

        Assert.Equal(FeedFormat.Atom, feed.Format);
        Assert.Equal("Dépêches internationales", feed.Title);
        Assert.Equal("https://depeches.example/", feed.SiteUrl);
        Assert.Equal(2, feed.Items.Count);

        var first = feed.Items[0];
        Assert.Equal("L\u2019armée tire à balles réelles sur des manifestants", first.Title);
        Assert.Equal("https://depeches.example/fil/2026/11/28/balles-reelles", first.Url);
        Assert.Equal("tag:depeches.example,2026:8841", first.Guid);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 6, 45, 12, 250, TimeSpan.Zero), first.Published);
        Assert.Equal("Rédaction", first.Author);
        Assert.Equal("fr", first.Language);
        Assert.Equal("Au moins 14 morts selon un bilan provisoire.", first.Summary);
        Assert.Equal("Au moins 14 morts selon un bilan provisoire.\nLe couvre-feu est prolongé.", first.Content);

        var second = feed.Items[1];
        Assert.Equal("https://depeches.example/es/nota/552", second.Url);
        Assert.Equal("es", second.Language);
        Assert.Equal("El gobierno decretó el estado de emergencia.", second.Content);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 6, 10, 0, TimeSpan.Zero), second.Published);
    }

    [Fact]
    public void Parse_JsonFeed11_ReadsItems()
    {
        var feed = FeedParser.Parse(TestFiles.Bytes("jsonfeed11.json"), null, new Uri("https://sahel-monitor.example/feed.json"));

        Assert.Equal(FeedFormat.JsonFeed, feed.Format);
        Assert.Equal("Sahel Monitor", feed.Title);
        Assert.Equal(2, feed.Items.Count);
        var first = feed.Items[0];
        Assert.Equal("2026-11-27-17", first.Guid);
        Assert.Equal("https://sahel-monitor.example/posts/foreign-troops", first.Url);
        Assert.Equal("Witnesses counted dozens of armoured vehicles.", first.Content);
        Assert.Equal("Field team", first.Author);
        Assert.Equal("18", feed.Items[1].Guid);
        Assert.Equal("Quiet day in the region.\nMarkets open.", feed.Items[1].Content);
        Assert.Equal("fr", feed.Items[1].Language);
    }

    [Fact]
    public void Parse_Iso88591DeclaredInXml_DecodesAccents()
    {
        var feed = ParseFile("iso-8859-1.xml");

        Assert.Equal("Journal de l'Été", feed.Title);
        Assert.Equal("Arrestations massives à Nouméa après l'émeute", feed.Items[0].Title);
        Assert.Contains("±5 %", feed.Items[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Iso88591FromHttpHeaderContradictedByUtf8Declaration_TrustsTheBytes()
    {
        var xml = System.Text.Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>Café</title></channel></rss>");

        var feed = FeedParser.Parse(xml, "iso-8859-1");

        Assert.Equal("Café", feed.Title);
    }

    [Fact]
    public void Parse_Windows1251_DecodesCyrillic()
    {
        var feed = ParseFile("windows-1251.xml");

        Assert.Equal("Новости дня", feed.Title);
        Assert.Equal("Введено чрезвычайное положение", feed.Items[0].Title);
        Assert.Equal("Власти объявили комендантский час в столице.", feed.Items[0].Summary);
    }

    [Fact]
    public void Parse_Windows1251FromHttpHeaderOnly_DecodesCyrillic()
    {
        var bytes = System.Text.Encoding.GetEncoding(1251).GetBytes("<rss><channel><title>Сводка</title></channel></rss>");

        Assert.Equal("Сводка", FeedParser.Parse(bytes, "windows-1251").Title);
    }

    [Fact]
    public void Parse_Utf16WithBom_Decodes()
    {
        var feed = ParseFile("utf16.xml");

        Assert.Equal("Ünïcode Wire", feed.Title);
        Assert.Equal("Toque de queda en la región — «medida temporal»", feed.Items[0].Title);
    }

    [Fact]
    public void Parse_BillionLaughs_IsHarmlessAndExpandsNothing()
    {
        var feed = ParseFile("billion-laughs.xml");

        Assert.Equal("Laughs &lol9;", feed.Title);
        Assert.Equal("Item &lol9;", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Parse_ExternalEntity_IsNeverResolved()
    {
        var feed = ParseFile("xxe.xml");

        var item = Assert.Single(feed.Items);
        Assert.Equal("Secret: &xxe;", item.Title);
        Assert.DoesNotContain("root:", item.Title, StringComparison.Ordinal);
        Assert.Equal("&remote;", item.Summary);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("<html><body>Not a feed</body></html>", "root element is <html>")]
    [InlineData("{\"hello\": 1}", "no JSON Feed version")]
    [InlineData("{\"version\": ", "Malformed JSON")]
    [InlineData("Just some text", "neither XML nor JSON")]
    public void Parse_NotAFeed_ThrowsClearError(string document, string expected)
    {
        var ex = Assert.Throws<FeedParseException>(() => FeedParser.Parse(document));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownEncoding_NotUtf8Either_ThrowsClearError()
    {
        var bytes = "<?xml version=\"1.0\" encoding=\"x-martian-7\"?><rss><channel><title>\u00E9</title></channel></rss>"u8.ToArray();
        bytes[^27] = 0xE9; // a lone Latin-1 byte: not UTF-8

        var ex = Assert.Throws<FeedParseException>(() => FeedParser.Parse(bytes, null));

        Assert.Contains("x-martian-7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InlineXhtmlInRssDescription_KeepsMarkupApartFromText()
    {
        const string xml = "<rss><channel><title>T</title><item><title>A</title><description>Shots <b>fired</b> at &lt;dawn&gt;</description></item></channel></rss>";

        var item = Assert.Single(FeedParser.Parse(xml).Items);

        Assert.Equal("Shots fired at <dawn>", item.Summary);
        Assert.Equal("Shots <b>fired</b> at &lt;dawn&gt;", item.ContentHtml);
    }

    [Fact]
    public void Parse_ItemWithoutGuidOrLink_StillGetsStableKey()
    {
        var first = FeedParser.ToArticles("feed-a", ParseFile("no-guid-no-link.xml"));
        var again = FeedParser.ToArticles("feed-a", ParseFile("no-guid-no-link.xml"));

        Assert.Equal(2, first.Count);
        Assert.All(first, a => Assert.StartsWith("hash:feed-a:", a.Key, StringComparison.Ordinal));
        Assert.Equal(first.Select(a => a.Id), again.Select(a => a.Id));
        Assert.NotEqual(first[0].Id, first[1].Id);
    }

    [Fact]
    public void ToArticles_UsesFeedLanguageWhenItemHasNone()
    {
        var articles = FeedParser.ToArticles("f1", ParseFile("rss20-wire.xml"));

        Assert.All(articles, a => Assert.Equal("en-gb", a.Language));
        Assert.All(articles, a => Assert.Equal("f1", a.FeedId));
        Assert.All(articles, a => Assert.Equal(32, a.Id.Length));
    }

    [Fact]
    public void Parse_MarkupNestedTenThousandDeep_KeepsTheTextAndTheShallowTags()
    {
        var deep = string.Concat(Enumerable.Repeat("<span>", 10_000)) + "deep text" + string.Concat(Enumerable.Repeat("</span>", 10_000));
        var feed = $"<rss version=\"2.0\"><channel><title>T</title><item><title>Nested</title><link>https://n.example/1</link><description xmlns:x=\"urn:x\"><b class=\"a&amp;b\">bold</b> and {deep}<x:y/></description></item></channel></rss>";

        var item = Assert.Single(FeedParser.Parse(feed).Items);

        Assert.Contains("deep text", item.Summary, StringComparison.Ordinal);
        Assert.StartsWith("bold and", item.Summary, StringComparison.Ordinal);
        Assert.StartsWith("<b class=\"a&amp;b\">bold</b>", item.ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Utf7Declared_ValidUtf8Bytes_ReadAsUtf8_OtherBytesRefusedWithTheReadersError()
    {
        var feed = "<?xml version=\"1.0\" encoding=\"utf-7\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Couvre-feu à Dakar</title><link>https://n.example/1</link></item></channel></rss>";

        Assert.Equal("Couvre-feu à Dakar", Assert.Single(FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes(feed)).Items).Title);
        var latin1 = System.Text.Encoding.Latin1.GetBytes(feed);
        Assert.Throws<FeedParseException>(() => FeedParser.Parse(latin1));
    }

    [Fact]
    public void Parse_LinkWithAHostThatIsNoValidInternationalName_HasNoLink_NoCrash()
    {
        var feed = "<rss version=\"2.0\"><channel><title>T</title><item><title>Bad host</title><link>https://xn--a.\u00AD\u200B.example/1</link><description>x</description></item></channel></rss>";

        var item = Assert.Single(FeedParser.Parse(feed, new Uri("https://news.example/feed")).Items);

        Assert.Equal("Bad host", item.Title);
        _ = FeedParser.ToArticles("f", FeedParser.Parse(feed, new Uri("https://news.example/feed")));
    }
}
