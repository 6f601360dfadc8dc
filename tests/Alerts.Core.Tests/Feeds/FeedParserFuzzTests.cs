using System.Diagnostics;
using System.Text;
using Alerts.Core.Feeds;
using CsCheck;
using Xunit.Abstractions;

namespace Alerts.Core.Tests.Feeds;

/// <summary>
/// Fuzzing the feed reader for a bounded time: documents built from feed-shaped fragments (RSS, RDF, Atom, JSON Feed,
/// namespaces, CDATA, entities, control characters, encodings, deep nesting), then cut and flipped at random bytes.
/// Every input is read or refused with the reader's own <see cref="FeedParseException"/>: no other exception, no hang.
/// CsCheck prints the seed of a failing input so that it can be replayed.
/// </summary>
[Collection(FeedParserFuzzTests.Alone)]
public sealed class FeedParserFuzzTests(ITestOutputHelper output)
{
    /// <summary>The collection of tests that bound time: they run when no other test shares the two cores.</summary>
    public const string Alone = "Timed, alone";

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.OneOf("Curfew in Almaty", "fired on protesters", "état d'urgence", "toque de queda", "<10 dead", "a < b > c", "", " ", "\u0000", "\u0001\u001F", "\uFFFE", "\uD800", "🙂", "&", "&amp;", "&lt;b&gt;", "&#XE9;", "&#x1F600;", "&#0;", "&bogus;", "&#99999999;", "]]>", "\r\n"),
        Gen.String[0, 40]);

    private static readonly Gen<string> Element = Gen.OneOf(
        "title", "link", "description", "content:encoded", "pubDate", "dc:date", "guid", "item", "entry", "summary", "content", "updated",
        "published", "id", "media:title", "media:content", "dc:title", "language", "author", "category", "b", "i", "div", "script", "x:y");

    private static readonly Gen<string> Fragment = Gen.Frequency(
        (4, Text),
        (4, Gen.Select(Element, Text, (e, t) => $"<{e}>{t}</{e}>")),
        (2, Gen.Select(Element, Text, (e, t) => $"<{e} type=\"html\" href=\"{t}\">{t}")),
        (2, Gen.Select(Element, e => $"</{e}>")),
        (1, Gen.Select(Text, t => $"<![CDATA[{t}]]>")),
        (1, Gen.Select(Element, Gen.Int[1, 3000], (e, n) => string.Concat(Enumerable.Repeat($"<{e}>", n)) + "deep")),
        (1, Gen.OneOf("<link/>", "<link href=\"https://news.example/a\"/>", "<!DOCTYPE rss [<!ENTITY x \"y\">]>", "<?xml:namespace prefix=\"o\"?>", "<!-- c -->", "<media:thumbnail url=\"x\"/>")));

    private static readonly Gen<string> Envelope = Gen.OneOf(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>T</title>{0}</channel></rss>",
        "<rss version=\"2.0\"><channel><item>{0}</item></channel></rss>",
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><item>{0}</item></channel></rss>",
        "<?xml version=\"1.0\" encoding=\"utf-7\"?><rss><channel><item>{0}</item></channel></rss>",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title><entry>{0}</entry></feed>",
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><item>{0}</item></rdf:RDF>",
        "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\",\"items\":[{{\"id\":\"1\",\"content_html\":\"{0}\"}}]}}",
        "{0}");

    /// <summary>A document from the fragments, sometimes cut short or with random bytes flipped, in UTF-8 or UTF-16.</summary>
    private static readonly Gen<byte[]> Documents = Gen.Select(Envelope, Fragment.Array[0, 12], Gen.Int[0, 3], Gen.UInt, (envelope, fragments, damage, seed) =>
    {
        var body = string.Join("", fragments);
        var document = envelope.StartsWith('{') ? envelope.Replace("{0}", body.Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal) : string.Format(System.Globalization.CultureInfo.InvariantCulture, envelope, body);
        var bytes = damage == 3 ? Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(document)).ToArray() : Encoding.UTF8.GetBytes(document);
        var random = new Random((int)seed);
        if (damage == 1 && bytes.Length > 0)
        {
            bytes = bytes[..random.Next(bytes.Length)];
        }
        else if (damage == 2 && bytes.Length > 0)
        {
            for (var i = 0; i < 1 + (bytes.Length / 200); i++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
        }

        return bytes;
    });

    [Fact]
    public void Parse_AnyDocument_ReadsOrRefusesWithItsOwnError_NeverHangs()
    {
        var runs = 0;
        var parsed = 0;
        var slowest = TimeSpan.Zero;
        Documents.Sample(bytes =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var feed = FeedParser.Parse(bytes, null, new Uri("https://news.example/feed"));
                foreach (var item in feed.Items)
                {
                    Assert.NotNull(item.Title);
                    Assert.NotNull(item.Summary);
                }

                _ = FeedParser.ToArticles("fuzz", feed);
                Interlocked.Increment(ref parsed);
            }
            catch (FeedParseException)
            {
                // the reader's own refusal: fine
            }

            watch.Stop();
            Interlocked.Increment(ref runs);
            lock (output)
            {
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"one document took {watch.Elapsed}");
        }, iter: 1_000_000, time: 8, threads: 2);

        output.WriteLine($"{runs} documents fuzzed in 8 s: {parsed} read, {runs - parsed} refused; slowest {slowest.TotalMilliseconds:F0} ms");
        Assert.True(runs > 1_000, $"only {runs} documents");
    }

    /// <summary>Patterns that make naive readers quadratic or deep, repeated into documents of up to 10 MB.</summary>
    private static readonly Gen<string> HostileUnit = Gen.OneOf(
        "&lt;", "&lt;b", "<", "<b", "<a x=\"", "</", "<!--", "<![CDATA[", "]]>", "<?", "<!", "&", "&#", "&#X", "&amp;lt;",
        "<span>", "</span>", "<media:x>", "<x:y a:b='1'>", "\u0000", "\"", "'", ">", "<item>", "<title>", "&nbsp;", "\uD800", "<script>");

    private static readonly Gen<byte[]> HugeDocuments = Gen.Select(Envelope, HostileUnit.Array[1, 4], Gen.Int[100_000, 10_000_000], (envelope, units, size) =>
    {
        var unit = string.Concat(units);
        var body = new StringBuilder(size + unit.Length);
        while (body.Length < size)
        {
            body.Append(unit);
        }

        var text = body.ToString();
        var document = envelope.StartsWith('{') ? envelope.Replace("{0}", text.Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal) : envelope.Replace("{0}", text, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(document);
    });

    [Fact]
    public void Parse_HostileDocumentsUpTo10MB_EachReadOrRefusedInUnderTwoSeconds()
    {
        // Compiled code, as in a running service: the first documents of a process run before the JIT has optimized.
        HugeDocuments.Select(bytes => bytes[..Math.Min(bytes.Length, 50_000)]).Sample(bytes =>
        {
            try
            {
                _ = FeedParser.Parse(bytes, null, null);
            }
            catch (FeedParseException)
            {
            }
        }, iter: 200, threads: 1);

        var runs = 0;
        var slowest = (Time: TimeSpan.Zero, Bytes: 0);
        HugeDocuments.Sample(bytes =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                _ = FeedParser.ToArticles("fuzz", FeedParser.Parse(bytes, null, new Uri("https://news.example/feed")));
            }
            catch (FeedParseException)
            {
                // the reader's own refusal: fine
            }

            watch.Stop();
            Interlocked.Increment(ref runs);
            lock (output)
            {
                slowest = watch.Elapsed > slowest.Time ? (watch.Elapsed, bytes.Length) : slowest;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2),
                $"a document of {bytes.Length:N0} bytes took {watch.Elapsed}; it starts: {Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 240)))}");
        }, iter: 20, threads: 1);

        Assert.Equal(20, runs);
        output.WriteLine($"{runs} hostile documents of 0.1 to 10 MB; slowest {slowest.Time.TotalMilliseconds:F0} ms for {slowest.Bytes:N0} bytes");
    }
}

/// <summary>Tests in this collection run alone, so that their time bounds measure the reader, not the other tests.</summary>
[CollectionDefinition(FeedParserFuzzTests.Alone, DisableParallelization = true)]
public sealed class TimedAloneCollection;
