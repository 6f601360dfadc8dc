using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Alerts.Core.Feeds;

// Runs the checks of feedparser's test suite that concern fields this reader outputs, comparing plain text.
var root = args.Length > 0 ? args[0] : "/work/feedparser-suite";
var check = new Regex(@"(?:feed|entries\[(\d)\])\['(\w+)'\](?:\[0\]\['value'\]|\['value'\])?\s*==\s*u?'((?:[^'\\]|\\.)*)'");
var dateCheck = new Regex(@"entries\[(\d)\]\['(\w+)_parsed'\]\s*==\s*\((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)");
int total = 0, agree = 0, refused = 0;
var fails = new List<string>();
foreach (var line in File.ReadAllLines(Path.Combine(root, "INDEX.tsv")))
{
    var tab = line.IndexOf('\t');
    var path = line[..tab];
    var expect = line[(tab + 1)..];
    var m = check.Match(expect);
    var d = dateCheck.Match(expect);
    if (!m.Success && !d.Success) continue;
    var field = m.Success ? m.Groups[2].Value : d.Groups[2].Value;
    var isFeed = m.Success && m.Value.StartsWith("feed", StringComparison.Ordinal);
    // Only the fields this reader outputs: feed title, link and language; item title, link, summary, content, id and date.
    if (isFeed ? field is not ("title" or "title_detail" or "link" or "language") : field is not ("title" or "link" or "summary" or "description" or "content" or "id" or "guid" or "published" or "updated" or "title_detail" or "summary_detail")) continue;
    total++;
    ParsedFeed feed;
    try { feed = FeedParser.Parse(File.ReadAllBytes(Path.Combine(root, path)), null, new Uri("http://127.0.0.1/feed")); }
    catch (FeedParseException ex) { refused++; fails.Add($"{path}: refused: {ex.Message}"); continue; }
    string? actual;
    string expected;
    if (d.Success)
    {
        var item = feed.Items.ElementAtOrDefault(int.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture));
        var when = item?.Published?.UtcDateTime;
        actual = when?.ToString("yyyy M d H m s", CultureInfo.InvariantCulture);
        expected = $"{d.Groups[3].Value} {d.Groups[4].Value} {d.Groups[5].Value} {d.Groups[6].Value} {d.Groups[7].Value} {d.Groups[8].Value}";
    }
    else
    {
        expected = Unescape(m.Groups[3].Value);
        var item = m.Groups[1].Success ? feed.Items.ElementAtOrDefault(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) : null;
        actual = (isFeed, field) switch
        {
            (true, "title" or "title_detail") => feed.Title,
            (true, "link") => feed.SiteUrl,
            (true, "language") => feed.Language,
            (false, "title" or "title_detail") => item?.Title,
            (false, "link") => item?.Url,
            (false, "summary" or "description" or "summary_detail") => item?.Summary,
            (false, "content") => item?.Content,
            (false, "id" or "guid") => item?.Guid,
            (false, "published" or "updated") => item?.Published?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            _ => null,
        };
        if (field is "published" or "updated") expected = FeedDates.Parse(expected)?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? expected;
        else if (field is not ("link" or "id" or "guid" or "language")) expected = HtmlText.ToText(expected);
        if (field is "link" && expected.Length > 0 && actual is not null) { actual = actual.TrimEnd('/'); expected = expected.TrimEnd('/'); }
    }

    if (string.Equals(actual, expected, StringComparison.Ordinal)) agree++;
    else fails.Add($"{path}: {field}: expected [{expected}] got [{actual}]");
}

Console.WriteLine($"checks {total}, agree {agree} ({100.0 * agree / total:F1}%), refused {refused}");
foreach (var f in fails) Console.WriteLine("  " + f);

static string Unescape(string s)
{
    var sb = new StringBuilder();
    for (var i = 0; i < s.Length; i++)
    {
        if (s[i] != '\\' || i + 1 >= s.Length) { sb.Append(s[i]); continue; }
        var c = s[++i];
        switch (c)
        {
            case 'n': sb.Append('\n'); break;
            case 't': sb.Append('\t'); break;
            case 'u': sb.Append((char)int.Parse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; break;
            case 'x': sb.Append((char)int.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
            default: sb.Append(c); break;
        }
    }
    return sb.ToString();
}
