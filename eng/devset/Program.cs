using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alerts.Core.Scoring;

// Scores the real-news development set with the default lists and prints the figures the detection targets are
// judged by. The passages are real published news and stay outside the repository; only manifest.jsonl (URL, query,
// language, labels; no text) is committed, so that the set can be collected again.
//
//   dotnet run -c Release --project eng/devset -- DIR            figures for DIR/*.jsonl
//   dotnet run -c Release --project eng/devset -- DIR --list     and one line per passage
//   dotnet run -c Release --project eng/devset -- DIR --manifest rewrites eng/devset/manifest.jsonl from DIR
var dir = args.Length > 0 ? args[0] : throw new ArgumentException("usage: DIR [--list] [--manifest]");
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
var passages = Directory.GetFiles(dir, "*.jsonl").Order()
    .SelectMany(File.ReadLines)
    .Where(l => l.Trim().Length > 0)
    .Select(l => JsonSerializer.Deserialize<Passage>(l, json)!)
    .ToList();

if (args.Contains("--manifest"))
{
    var path = Path.Combine(AppContext.BaseDirectory, "../../../manifest.jsonl");
    File.WriteAllLines(path, passages.Select(p => JsonSerializer.Serialize(p with { Title = null, Content = null }, json)));
    Console.WriteLine($"{passages.Count} entries written to {Path.GetFullPath(path)}");
    return;
}

var lists = DefaultKeywordLists.Compiled;
var rows = passages.Select(p =>
{
    var result = KeywordScorer.Score(lists, p.Title ?? "", p.Content ?? "", p.Published ?? DateOf(p));
    var detected = result.Signals.Where(s => s.Evidence.Any(e => e.DampedBy is null)).Select(s => s.Id).ToHashSet();
    return (Passage: p, Result: result, Detected: detected);
}).ToList();

if (args.Contains("--list"))
{
    foreach (var (p, r, d) in rows)
    {
        var alert = r.Severity >= Severity.Warning;
        var expectAlert = p.Kind == "escalation";
        var mark = alert == expectAlert && d.SetEquals(p.Signals) ? "  " : "XX";
        Console.WriteLine($"{mark} {p.Id,-8} {p.Kind,-12} {p.Subkind,-12} want {p.Expected,-8} got {r.Severity,-8} {r.Score,6:0.0}  want [{string.Join(",", p.Signals)}] got [{string.Join(",", r.Signals.Select(s => s.Id + (s.Evidence.All(e => e.DampedBy is not null) ? "~" : "") + ":" + s.Weight.ToString(CultureInfo.InvariantCulture)))}]");
        if (mark == "XX" && args.Contains("--why"))
        {
            foreach (var s in r.Signals)
            {
                foreach (var e in s.Evidence)
                {
                    Console.WriteLine($"      + {s.Id} [{e.Rule}{(e.DampedBy is null ? "" : " damped: " + e.DampedBy)}] {e.Text}");
                }
            }

            foreach (var c in r.Cancelled.Take(6))
            {
                Console.WriteLine($"      - {c.SignalId} ({c.Reason}) {c.Text}");
            }
        }
    }
}

Report("all", rows);
foreach (var lang in rows.Select(r => r.Passage.Lang).Distinct().Order())
{
    Report(lang, rows.Where(r => r.Passage.Lang == lang).ToList());
}

// The main country, where the passage names one (the collection of 2026-12-05 on labels it).
var located = rows.Where(r => !string.IsNullOrEmpty(r.Passage.Country)).ToList();
if (located.Count > 0)
{
    foreach (var lang in located.Select(r => r.Passage.Lang).Distinct().Order())
    {
        var set = located.Where(r => r.Passage.Lang == lang).ToList();
        var found = set.Select(r => (r.Passage, Code: Alerts.Core.Places.PlaceDetector.ForArticle(r.Passage.Title, r.Passage.Content, r.Passage.Url, null).Countries.FirstOrDefault()?.Code)).ToList();
        Console.WriteLine($"{lang,-4} main country right {Ratio(found.Count(f => f.Code == f.Passage.Country), set.Count)}");
        if (args.Contains("--list"))
        {
            foreach (var (passage, code) in found.Where(f => f.Code != f.Passage.Country))
            {
                Console.WriteLine($"     {passage.Id}: want {passage.Country}, got {code ?? "none"}");
            }
        }
    }
}

// The language of each passage from its words alone (LanguageDetector), on the article and on the title only.
Console.WriteLine();
var wrongLanguage = new List<string>();
foreach (var lang in rows.Select(r => r.Passage.Lang).Distinct().Order())
{
    var set = rows.Where(r => r.Passage.Lang == lang).Select(r => r.Passage).ToList();
    var article = set.Count(p => LanguageDetector.Detect(p.Title, p.Content)?.Code == lang);
    var titled = set.Where(p => !string.IsNullOrWhiteSpace(p.Title)).ToList();
    var title = titled.Count(p => LanguageDetector.Detect(p.Title, null)?.Code == lang);
    wrongLanguage.AddRange(set.Where(p => LanguageDetector.Detect(p.Title, p.Content)?.Code != lang).Select(p => $"{p.Id}: {LanguageDetector.Detect(p.Title, p.Content)}"));
    Console.WriteLine($"{lang,-4} language right: article {Ratio(article, set.Count)}, title only {Ratio(title, titled.Count)}");
}

var all = rows.Select(r => r.Passage).ToList();
Console.WriteLine($"all  language right: article {Ratio(all.Count(p => LanguageDetector.Detect(p.Title, p.Content)?.Code == p.Lang), all.Count)}, "
    + $"title only {Ratio(all.Count(p => !string.IsNullOrWhiteSpace(p.Title) && LanguageDetector.Detect(p.Title, null)?.Code == p.Lang), all.Count(p => !string.IsNullOrWhiteSpace(p.Title)))}");
if (args.Contains("--list"))
{
    wrongLanguage.ForEach(w => Console.WriteLine("  wrong language " + w));
}

Console.WriteLine();
Console.WriteLine("signal              labelled  detected  precision  recall");
foreach (var signal in lists.Definitions.SelectMany(d => d.Signals).Select(s => s.Id))
{
    var tp = rows.Count(r => r.Passage.Signals.Contains(signal) && r.Detected.Contains(signal));
    var fp = rows.Count(r => !r.Passage.Signals.Contains(signal) && r.Detected.Contains(signal));
    var fn = rows.Count(r => r.Passage.Signals.Contains(signal) && !r.Detected.Contains(signal));
    Console.WriteLine($"{signal,-20}{tp + fn,8}{tp + fp,10}  {Ratio(tp, tp + fp),-16}{Ratio(tp, tp + fn)}");
}

static void Report(string name, List<(Passage Passage, ScoreResult Result, HashSet<string> Detected)> rows)
{
    var escalations = rows.Where(r => r.Passage.Kind == "escalation").ToList();
    var calm = rows.Where(r => r.Passage.Kind is "negative" or "deescalation").ToList();
    var disasters = rows.Where(r => r.Passage.Kind == "disaster").ToList();
    var critical = escalations.Where(r => r.Passage.Expected == "critical").ToList();
    var tp = rows.Sum(r => r.Passage.Signals.Count(s => r.Detected.Contains(s)));
    var fp = rows.Sum(r => r.Detected.Count(s => !r.Passage.Signals.Contains(s)));
    var fn = rows.Sum(r => r.Passage.Signals.Count(s => !r.Detected.Contains(s)));
    Console.WriteLine($"{name,-4} n={rows.Count,-4} escalation recall {Ratio(escalations.Count(r => r.Result.Severity >= Severity.Warning), escalations.Count)} "
        + $"(critical {Ratio(critical.Count(r => r.Result.Severity == Severity.Critical), critical.Count)}), "
        + $"negatives+de-escalations alerting {Ratio(calm.Count(r => r.Result.Severity >= Severity.Warning), calm.Count)}, "
        + $"disaster/health alerting {Ratio(disasters.Count(r => r.Result.Severity >= Severity.Warning), disasters.Count)}, "
        + $"signal precision {Ratio(tp, tp + fp)} recall {Ratio(tp, tp + fn)}");
}

// The passages carry no publication date: the year in the URL (/2013/07/19/), else the latest year the text names
// (an article names its own year or earlier ones), else none (years are then not read).
static DateTimeOffset? DateOf(Passage p)
{
    var inUrl = System.Text.RegularExpressions.Regex.Match(p.Url, @"/((?:19|20)\d\d)/");
    var years = System.Text.RegularExpressions.Regex.Matches($"{p.Title} {p.Content}", @"\b((?:19|20)\d\d)\b")
        .Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).Where(y => y <= 2026).ToList();
    var year = inUrl.Success ? int.Parse(inUrl.Groups[1].Value, CultureInfo.InvariantCulture) : years.Count > 0 ? years.Max() : 0;
    return year == 0 ? null : new DateTimeOffset(year, 12, 31, 0, 0, 0, TimeSpan.Zero);
}

static string Ratio(int a, int b) => b == 0 ? "  -  " : $"{(double)a / b:0.00} ({a}/{b})";

internal sealed record Passage(
    string Id,
    string Lang,
    string Url,
    string Query,
    string Kind,
    string? Subkind,
    string Expected,
    string[] Signals,
    string? Country,
    DateTimeOffset? Published,
    string? Title,
    string? Content);
