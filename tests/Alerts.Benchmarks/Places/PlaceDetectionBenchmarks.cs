using System.Text.Json;
using Alerts.Core.Places;
using Alerts.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Alerts.Benchmarks.Places;

/// <summary>
/// Per article: the places of an article with the place layer (<see cref="PlaceDetector"/>: countries, then 23,000
/// cities and 3,900 divisions) against country detection alone (<see cref="CountryDetector"/>), over the 404 labelled
/// place and country cases of the Core tests (titles and leads written for the project). The memory the place data
/// takes once loaded is printed at set-up.
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 9)]
[MemoryDiagnoser]
public class PlaceDetectionBenchmarks
{
    private (string Title, string Text)[] _articles = [];

    [GlobalSetup]
    public void Setup()
    {
        var data = Path.Combine(RepositoryPaths.Root, "tests", "Alerts.Core.Tests", "TestData", "Places");
        var places = File.ReadLines(Path.Combine(data, "places.jsonl")).Where(l => l.Trim().Length > 0).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return (doc.RootElement.GetProperty("title").GetString()!, doc.RootElement.GetProperty("lead").GetString()!);
        });
        var countries = File.ReadLines(Path.Combine(data, "cases.tsv")).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).Select(f => (f[1], f[2]));
        _articles = [.. places.Concat(countries)];

        _ = Gazetteer.Default.Countries.Count;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loaded = PlaceGazetteer.Default.Count;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(FormattableString.Invariant($"// place data: {loaded} places, {(after - before) / 1048576.0:0.0} MB once loaded; {_articles.Length} articles per operation"));
    }

    [Benchmark(Baseline = true)]
    public int CountryDetectorOnly()
    {
        var found = 0;
        foreach (var (title, text) in _articles)
        {
            found += CountryDetector.Detect(title, text).Count;
        }

        return found;
    }

    [Benchmark]
    public int WithThePlaceLayer()
    {
        var found = 0;
        foreach (var (title, text) in _articles)
        {
            var places = PlaceDetector.Detect(title, text);
            found += places.Countries.Count + places.Places.Count;
        }

        return found;
    }
}
