using System.Globalization;
using System.Text;

namespace Alerts.Benchmarks.Feeds;

/// <summary>Generates realistic RSS 2.0 documents of a given size (HTML descriptions, dates, GUIDs).</summary>
internal static class FeedCorpus
{
    private static readonly string[] Sentences =
    [
        "Security forces dispersed a crowd outside the ministry on Tuesday evening.",
        "Residents said mobile data had been unavailable since the early hours.",
        "The government announced new measures &amp; said they would be temporary.",
        "Aid agencies warned that supplies of fuel and medicine were running low.",
        "Opposition leaders called for calm and for talks to resume next week.",
        "Markets in the capital reopened after a three-day closure, traders said.",
    ];

    public static byte[] Rss(int targetBytes)
    {
        var sb = new StringBuilder(targetBytes + 4096);
        sb.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>")
          .Append("<title>Benchmark Wire</title><link>https://bench.example/</link><description>Generated</description><language>en</language>");
        var start = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; sb.Length < targetBytes; i++)
        {
            sb.Append("<item><title>Report ").Append(i).Append(": tensions rise in the northern provinces</title>")
              .Append("<link>https://bench.example/world/2026/11/report-").Append(i).Append("</link>")
              .Append("<guid isPermaLink=\"false\">bench-").Append(i).Append("</guid>")
              .Append("<pubDate>").Append(start.AddMinutes(-i).ToString("R", CultureInfo.InvariantCulture)).Append("</pubDate>")
              .Append("<dc:creator>Desk ").Append(i % 7).Append("</dc:creator>")
              .Append("<description>&lt;p&gt;");
            for (var s = 0; s < 4; s++)
            {
                sb.Append(Sentences[(i + s) % Sentences.Length]).Append(' ');
            }

            sb.Append("&lt;/p&gt;</description></item>");
        }

        sb.Append("</channel></rss>");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
