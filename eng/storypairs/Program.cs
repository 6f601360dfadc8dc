using System.Globalization;
using System.Text.Json;
using Alerts.Testing;

// Runs labelled story pairs through country detection, the default lists and the clusterer, and prints pair precision
// and recall per kind. Real-news pairs are published text and stay outside the repository; manifest.jsonl (URLs,
// queries, languages, countries, labels; no text) is committed so that they can be collected again.
//
//   dotnet run -c Release --project eng/storypairs -- FILE.jsonl [...] [--list [--all]]   --list: the pairs it gets wrong (--all: every pair)
//   dotnet run -c Release --project eng/storypairs -- FILE.jsonl --manifest   rewrites eng/storypairs/manifest.jsonl
var files = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine("usage: FILE.jsonl [...] [--list] [--manifest]");
    return 1;
}

if (args.Contains("--manifest"))
{
    var path = Path.Combine(AppContext.BaseDirectory, "../../../manifest.jsonl");
    var lines = files.SelectMany(File.ReadLines).Where(l => l.Trim().Length > 0).Select(l =>
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject();
        foreach (var side in new[] { "a", "b" })
        {
            var s = node[side]!.AsObject();
            s.Remove("title");
            s.Remove("content");
            s.Remove("lead");
        }

        return node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }).ToList();
    File.WriteAllLines(path, lines);
    Console.WriteLine($"{lines.Count} entries written to {Path.GetFullPath(path)}");
    return 0;
}

var outcomes = new List<StoryPairOutcome>();
foreach (var pair in files.SelectMany(StoryPairs.Load))
{
    outcomes.Add(await StoryPairs.EvaluateAsync(pair));
}

foreach (var line in StoryPairs.Report(outcomes))
{
    Console.WriteLine(line);
}

if (args.Contains("--list"))
{
    foreach (var o in outcomes.Where(o => args.Contains("--all") || o.Joined != o.Pair.Same))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(o.Pair.Same ? "MISSED" : "WRONG ")} {o.Pair.Id} {o.Pair.Kind,-22} {o.Pair.A.Lang}/{o.Pair.B.Lang} want {o.Pair.A.Country}/{o.Pair.B.Country} got {o.CountryA}/{o.CountryB} sim {o.Similarity:0.00} ev {o.EventSimilarity:0.00} [{o.Shared}] {o.Pair.A.Title} | {o.Pair.B.Title}"));
    }
}

return 0;
