using System.Text;
using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

/// <summary>
/// The reader against the defect classes that mature feed readers handle: other namespaces never overwriting a
/// feed's own fields, whole feeds no longer refused for one small fault (each recovery reported as a warning), markup
/// never left in plain text, fallbacks, encodings and keys. Fixtures in TestData/Feeds/Fidelity are written for the
/// project in the shape of real publishers' feeds.
/// </summary>
public class FeedReaderFidelityTests
{
    private static readonly Uri FeedUrl = new("https://feeds.example/news.xml");

    private static ParsedFeed ParseFile(string name, string? charset = null) =>
        FeedParser.Parse(TestFiles.Bytes(Path.Combine("Fidelity", name)), charset, FeedUrl);

    private static FeedItem Item(string itemXml, string rootAttributes = "") =>
        Assert.Single(FeedParser.Parse($"<rss version=\"2.0\"{rootAttributes}><channel><title>T</title><item>{itemXml}</item></channel></rss>", FeedUrl).Items);

    // 2. Elements of other namespaces never overwrite the real fields.

    [Fact]
    public void Atom_MediaAndDublinCoreElements_DoNotReplaceTheEntrysOwnFields()
    {
        var feed = ParseFile("atom-foreign-namespaces.xml");

        Assert.Equal("Northern Desk", feed.Title); // not the feed-level dc:title
        var first = feed.Items[0];
        Assert.Equal("Troops deployed to border crossing after clashes", first.Title);
        Assert.Equal("Soldiers were sent to the crossing overnight.", first.Summary); // media:content does not empty it
        Assert.Empty(feed.Warnings);
    }

    [Fact]
    public void Atom_TextTitleWithChildElements_KeepsOnlyTheText_MediaDescriptionIsTheFallbackSummary()
    {
        var second = ParseFile("atom-foreign-namespaces.xml").Items[1];

        Assert.Equal("Talks resume in the capital", second.Title);
        Assert.Equal("Delegations arrived on Monday & met for four hours.", second.Summary);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 6, 15, 0, 123, TimeSpan.Zero).AddTicks(4567), second.Published); // 't', 'z', nine digits
    }

    [Fact]
    public void Rss10_DublinCoreTitleAndDescription_AreFallbacksOnly()
    {
        var feed = ParseFile("rss10-dublin-core.xml");

        Assert.Equal("Lowland Notes", feed.Title);
        Assert.Equal("Night curfew extended for a second week", feed.Items[0].Title);
        Assert.Equal("The council kept the 22:00 curfew in force.", feed.Items[0].Summary);
        Assert.Equal("Only Dublin Core here", feed.Items[1].Title);
        Assert.Equal("A summary that only exists as dc:description.", feed.Items[1].Summary);
        Assert.Equal("Field office", feed.Items[1].Author);
        Assert.Equal("https://lowland-notes.example/n/772", feed.Items[1].Url); // rdf:about
    }

    [Fact]
    public void Rss20_InADefaultNamespace_ReadsEveryField()
    {
        var feed = ParseFile("rss20-default-namespace.xml");

        Assert.Equal("Highland Bulletin", feed.Title);
        Assert.Equal("en", feed.Language);
        var item = Assert.Single(feed.Items);
        Assert.Equal("Mobile internet cut in three districts", item.Title);
        Assert.Equal("Residents reported no mobile data since the morning.", item.Summary);
        Assert.Equal("https://highland-bulletin.example/b/90", item.Url);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero), item.Published); // HKT is +8
    }

    // 3. A whole feed is no longer rejected for one small fault; each recovery is a warning.

    [Fact]
    public void SloppyPublisher_UndeclaredPrefixesUpperCaseHexEmptyLaterLinkNonUrlGuid_AllRead()
    {
        var feed = ParseFile("rss20-sloppy-publisher.xml");

        Assert.Equal(2, feed.Items.Count);
        var first = feed.Items[0];
        Assert.Equal("Port closed as storm \u2014 and a strike \u2014 hit the coast", first.Title); // &#X2014;
        Assert.Equal("https://coastline-courier.example/a/1", first.Url); // the empty <link/> after it wipes nothing
        Assert.Equal("Night desk", first.Author); // dc: bound to Dublin Core although undeclared
        Assert.Equal("Dockers said the closure was \u2019temporary\u2019.", first.Summary); // &#146; is Windows-1252's ’
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 14, 55, TimeSpan.Zero), first.Published); // RFC 850
        var second = feed.Items[1];
        Assert.Null(second.Url); // "b-2" is no link, not https://feeds.example/b-2
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 9, 10, 0, TimeSpan.Zero), second.Published); // date(1) output
        var warning = Assert.Single(feed.Warnings);
        Assert.Contains("undeclared prefix", warning, StringComparison.Ordinal);
        Assert.Contains("tolerant pass: 2 items", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharactersAndNul_AreDroppedAndCounted_TheFeedIsRead()
    {
        var xml = "<rss version=\"2.0\"><channel><title>Wire\u0000</title><item><title>Curfew\u0001 declared\u000B</title><link>https://w.example/1</link>"
            + "<description><![CDATA[Troops\u0008 in the streets]]> &#x1F;&#0; &#x110000;</description></item></channel></rss>";

        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, FeedUrl);

        Assert.Equal("Wire", feed.Title);
        var item = Assert.Single(feed.Items);
        Assert.Equal("Curfew declared", item.Title);
        Assert.Equal("Troops in the streets \uFFFD \uFFFD", item.Summary); // references to NUL and past Unicode: U+FFFD, as HTML5
        Assert.Equal("Dropped 5 characters that XML does not allow (NUL or other control characters, lone surrogates).", Assert.Single(feed.Warnings));
    }

    [Fact]
    public void Malformed_JunkBeforeTheRootUnclosedTagsBareLessThan_RecoveredWithAWarning()
    {
        var feed = ParseFile("malformed-recoverable.xml");

        Assert.Equal("Riverside Post", feed.Title);
        Assert.Equal(2, feed.Items.Count);
        Assert.Equal("Mass arrests after rally in the old town", feed.Items[0].Title);
        Assert.Equal("Police detained more than 200 people & closed the bridge.", feed.Items[0].Summary);
        Assert.Equal("https://riverside-post.example/r/2", feed.Items[1].Url);
        Assert.Equal("Engineers said pressure < normal for a day.", feed.Items[1].Summary);
        Assert.Equal("Malformed XML at line 15, column 38 (A '<' that starts no tag); read by the tolerant pass: 2 items.", Assert.Single(feed.Warnings));
    }

    [Fact]
    public void Malformed_UnclosedElementsAndBareAmpersands_RecoveredWithThePositionOfTheFault()
    {
        const string xml = "<rss version=\"2.0\"><channel><title>T</title><item><title>Shots fired <b>near the port</title><link>https://p.example/1</link></item>"
            + "<item><title>Second</title><link>https://p.example/2</link><description>A < B</description></item></channel></rss>";

        var feed = FeedParser.Parse(xml, FeedUrl);

        Assert.Equal(["Shots fired near the port", "Second"], feed.Items.Select(i => i.Title));
        Assert.Equal("A < B", feed.Items[1].Summary);
        Assert.StartsWith("Malformed XML at line 1, column ", Assert.Single(feed.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void WellFormedButLedByAnotherElement_TheFeedAfterItIsRead()
    {
        const string xml = "<p>Notice: cache miss</p><?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>A</title><link>https://a.example/1</link></item></channel></rss>";

        var feed = FeedParser.Parse(xml, FeedUrl);

        Assert.Equal("A", Assert.Single(feed.Items).Title);
        Assert.Equal("Markup before the feed's root element was dropped; read by the tolerant pass: 1 item.", Assert.Single(feed.Warnings));
    }

    [Fact]
    public void NestedAHundredThousandDeepInATitle_KeepsTheText_WithAWarning()
    {
        var deep = string.Concat(Enumerable.Repeat("<b>", 100_000)) + "Curfew in the capital" + string.Concat(Enumerable.Repeat("</b>", 100_000));
        var xml = $"<rss version=\"2.0\"><channel><title>T</title><item><title>{deep}</title><link>https://d.example/1</link></item></channel></rss>";

        var feed = FeedParser.Parse(xml, FeedUrl);

        Assert.Equal("Curfew in the capital", Assert.Single(feed.Items).Title);
        Assert.Equal("https://d.example/1", feed.Items[0].Url);
        Assert.StartsWith("Malformed XML at line 1, column ", Assert.Single(feed.Warnings), StringComparison.Ordinal);
        Assert.Contains("nested deeper than 256 levels", feed.Warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharacterInsideCdata_IsDropped_TheCdatasAmpersandsStayText()
    {
        var xml = "<rss version=\"2.0\"><channel><title>T</title><item><title><![CDATA[Q&A: \u0007curfew & you]]></title><link>https://d.example/1</link></item></channel></rss>";

        var feed = FeedParser.Parse(xml, FeedUrl);

        Assert.Equal("Q&A: curfew & you", Assert.Single(feed.Items).Title);
        Assert.Single(feed.Warnings);
    }

    [Fact]
    public void Truncated_ItemsBeforeTheCutAreRead()
    {
        var feed = FeedParser.Parse(TestFiles.Bytes("truncated.xml"), null, FeedUrl);

        Assert.Equal("First", feed.Items[0].Title);
        Assert.Equal("https://cut.example/1", feed.Items[0].Url);
        Assert.Contains("tolerant pass", Assert.Single(feed.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><head><title>Blocked</title></head><body>Access denied</body></html>", "root element is <html>")]
    [InlineData("<?xml version=\"1.0\"?><!-- nothing -->", "the document has no elements")]
    [InlineData("<error>quota exceeded</error>", "root element is <error>")]
    public void NotAFeed_EvenAfterRecovery_IsRefusedWithAClearError(string document, string expected)
    {
        var ex = Assert.Throws<FeedParseException>(() => FeedParser.Parse(document));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    // 4. Markup never left in plain text.

    [Fact]
    public void Atom03_XhtmlTitleEscapedSummaryBase64Content_AreReadByTheirMode()
    {
        var feed = ParseFile("atom03-modes.xml");

        Assert.Equal("Old Atom Desk", feed.Title);
        var entry = Assert.Single(feed.Items);
        Assert.Equal("Strike called off", entry.Title); // no <div>, no script body
        Assert.Equal("Unions & employers agreed.", entry.Summary);
        Assert.Equal("The strike was called off after talks.", entry.Content);
        Assert.Equal("https://old-atom.example/e/1", entry.Url);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), entry.Published); // issued before modified
    }

    [Fact]
    public void Atom_LinkWithItsAddressAsText_AndAFeedInANamespaceOfItsOwn_AreRead()
    {
        const string xml = "<feed version=\"0.3\" xmlns=\"http://example.com/newformat#\"><title>Own namespace</title><entry>"
            + "<link rel=\"enclosure\">https://e.example/photo.jpg</link><link rel=\"alternate\" type=\"text/html\">https://e.example/story</link><title>E</title></entry></feed>";

        var feed = FeedParser.Parse(xml, FeedUrl);

        Assert.Equal("Own namespace", feed.Title);
        Assert.Equal(("https://e.example/story", "E"), (Assert.Single(feed.Items).Url, feed.Items[0].Title));
    }

    [Fact]
    public void Atom10_ContentOfANonTextMediaType_IsBase64()
    {
        var xml = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title><entry><id>1</id><title>E</title>"
            + "<content type=\"application/octet-stream\">PHA+QmFzZTY0IGJvZHkgaW4gQXRvbSBvbmUuPC9wPg==</content></entry></feed>";

        Assert.Equal("Base64 body in Atom one.", Assert.Single(FeedParser.Parse(xml).Items).Content); // decoded, then read as markup
    }

    [Theory]
    [InlineData("<![CDATA[<!DOCTYPE html><p>Shelling resumed</p>]]>", "Shelling resumed")]
    [InlineData("<![CDATA[<?xml:namespace prefix = o ns = \"urn:schemas-microsoft-com:office:office\" /><p>Curfew lifted</p>]]>", "Curfew lifted")]
    [InlineData("<![CDATA[Hello <b>world</b>!]]>", "Hello world!")]
    [InlineData("<![CDATA[<a href=\"https://r.example\">Reuters</a>, London said <i>on Monday</i>.]]>", "Reuters, London said on Monday.")]
    [InlineData("<![CDATA[<img alt=\"x > y\" src=\"a.jpg\">Flood waters rose]]>", "Flood waters rose")]
    [InlineData("Toll rises to &amp;lt;10 as &amp;gt;5 hurt", "Toll rises to <10 as >5 hurt")]
    [InlineData("&amp;lt;100 dead, &amp;gt;50 injured", "<100 dead, >50 injured")]
    [InlineData("<![CDATA[<table><tr><td>Dead</td><td>12</td></tr></table>]]>", "Dead 12")]
    public void Description_HtmlBecomesTheTextAReaderSees(string description, string expected) =>
        Assert.Equal(expected, Item($"<title>t</title><link>https://x.example/1</link><description>{description}</description>").Summary);

    // 6. Dates.

    [Theory]
    [InlineData("2026-12-02T10:14:55.123456789Z", "2026-12-02T10:14:55.1234567Z")]
    [InlineData("2026-12-02t10:14:55z", "2026-12-02T10:14:55Z")]
    [InlineData("Wednesday, 02-Dec-26 10:14:55 GMT", "2026-12-02T10:14:55Z")]
    [InlineData("Wed Dec 02 10:14:55 UTC 2026", "2026-12-02T10:14:55Z")]
    [InlineData("Wed Dec  2 10:14:55 2026", "2026-12-02T10:14:55Z")]
    [InlineData("Wed, 02 Dec 2026 18:14:55 HKT", "2026-12-02T10:14:55Z")]
    [InlineData("Wed, 02 Dec 2026 15:44:55 IST", "2026-12-02T10:14:55Z")]
    [InlineData("Wed, 02 Dec 2026 12:14:55 CEST", "2026-12-02T10:14:55Z")]
    [InlineData("Wed, 02 Dec 2026 13:14:55 EAT", "2026-12-02T10:14:55Z")]
    public void PubDate_FormsThatReadersAccept(string pubDate, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Item($"<title>t</title><link>https://x.example/1</link><pubDate>{pubDate}</pubDate>").Published);

    // 7. Fallbacks.

    [Fact]
    public void Rss20_FallbacksFromOtherVocabularies_FillOnlyWhatIsMissing()
    {
        var items = ParseFile("rss20-fallbacks.xml").Items;

        Assert.Equal("Protesters gathered outside the ministry & police made arrests.", items[0].Summary); // itunes:summary
        Assert.Equal("Valley Radio newsroom", items[0].Author);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 16, 30, 0, TimeSpan.Zero), items[0].Published); // atom:published
        Assert.Equal("Morning bulletin", items[1].Title); // dc:title
        Assert.Equal("Roads reopened after the night's floods.", items[1].Summary); // media:description
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero), items[1].Published); // dc:date
        Assert.Equal("Short teaser.", items[2].Summary);
        Assert.Equal("The full report, longer than the teaser.", items[2].Content); // content:encoded over description
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 7, 0, 0, TimeSpan.Zero), items[2].Published); // pubDate over dc:date
    }

    // 8. Encodings, references and keys.

    [Fact]
    public void Windows1252BytesDeclaredAsUtf8_AreReadAsWindows1252_WithAWarning()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>T</title><item><title>\u201CEstado de excepci\u00F3n\u201D \u2013 Lima</title><link>https://l.example/1</link></item></channel></rss>");

        var feed = FeedParser.Parse(bytes, null, FeedUrl);

        Assert.Equal("\u201CEstado de excepci\u00F3n\u201D \u2013 Lima", Assert.Single(feed.Items).Title);
        Assert.Contains("not valid UTF-8", Assert.Single(feed.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Iso88591Label_MeansWindows1252_AsInBrowsers()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Couvre-feu \u2014 \u00AB temporaire \u00BB \u2019</title></item></channel></rss>");

        Assert.Equal("Couvre-feu \u2014 \u00AB temporaire \u00BB \u2019", Assert.Single(FeedParser.Parse(bytes, null, FeedUrl).Items).Title);
    }

    [Fact]
    public void ItemsWithNothingStable_GetDifferentKeys_AndTheSameKeyOnTheNextRead()
    {
        const string xml = "<rss version=\"2.0\"><channel><title>T</title>"
            + "<item><content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">First note</content:encoded></item>"
            + "<item><content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">Second note</content:encoded></item>"
            + "<item><description>Third</description></item></channel></rss>";

        var first = FeedParser.ToArticles("f", FeedParser.Parse(xml, FeedUrl));
        var again = FeedParser.ToArticles("f", FeedParser.Parse(xml, FeedUrl));

        Assert.Equal(3, first.Select(a => a.Key).Distinct().Count());
        Assert.Equal(first.Select(a => a.Key), again.Select(a => a.Key));
    }
}
