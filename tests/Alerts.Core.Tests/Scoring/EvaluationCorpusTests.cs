using System.Text.Json;
using Alerts.Core.Scoring;
using Xunit.Abstractions;

namespace Alerts.Core.Tests.Scoring;

/// <summary>
/// Scores the hand-written evaluation corpus (TestData/Scoring/corpus.jsonl: escalations, hard traps and
/// de-escalations in English, French and Spanish) with the default lists, and fails below the targets.
/// </summary>
public class EvaluationCorpusTests(ITestOutputHelper output)
{
    private sealed record Labelled(string Id, string Lang, string Kind, string Expected, string[] Signals, string Title, string Content);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static List<Labelled> Corpus() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Scoring", "corpus.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<Labelled>(l, Json)!)
            .ToList();

    /// <summary>Signals that count as detected: those with at least one undamped piece of evidence.</summary>
    private static HashSet<string> Detected(ScoreResult result) =>
        result.Signals.Where(s => s.Evidence.Any(e => e.DampedBy is null)).Select(s => s.Id).ToHashSet();

    [Fact]
    public void Corpus_IsLargeAndCoversEveryLanguageAndKind()
    {
        var corpus = Corpus();

        Assert.True(corpus.Count >= 80);
        Assert.All(new[] { "en", "fr", "es" }, lang => Assert.True(corpus.Count(c => c.Lang == lang) >= 20, lang));
        Assert.All(new[] { "escalation", "trap", "deescalation" }, kind => Assert.Contains(corpus, c => c.Kind == kind));
        Assert.Equal(corpus.Count, corpus.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void DefaultLists_MeetRecallAndFalseAlarmTargets()
    {
        var corpus = Corpus();
        var lists = DefaultKeywordLists.Compiled;
        var escalations = 0;
        var caught = 0;
        var calm = 0;
        var falseAlarms = 0;
        var failures = new List<string>();
        foreach (var article in corpus)
        {
            var result = KeywordScorer.Score(lists, article.Title, article.Content);
            var alert = result.Severity >= Severity.Warning;
            if (article.Kind == "escalation")
            {
                escalations++;
                caught += alert ? 1 : 0;
                if (!alert)
                {
                    failures.Add($"MISSED {article.Id}: {result.Severity} {result.Score} [{string.Join(",", Detected(result))}]");
                }
            }
            else
            {
                calm++;
                falseAlarms += alert ? 1 : 0;
                if (alert)
                {
                    failures.Add($"FALSE ALARM {article.Id}: {result.Severity} {result.Score} [{string.Join(",", Detected(result))}]");
                }
            }
        }

        var recall = (double)caught / escalations;
        var falseAlarmRate = (double)falseAlarms / calm;
        output.WriteLine($"Escalation recall {recall:P1} ({caught}/{escalations}); traps and de-escalations at warning or above {falseAlarmRate:P1} ({falseAlarms}/{calm})");
        failures.ForEach(output.WriteLine);

        Assert.True(recall >= 0.95, $"recall {recall:P1}: {string.Join("; ", failures)}");
        Assert.True(falseAlarmRate <= 0.05, $"false alarms {falseAlarmRate:P1}: {string.Join("; ", failures)}");
    }

    [Fact]
    public void DefaultLists_MeetPerSignalPrecisionAndRecall()
    {
        var corpus = Corpus();
        var lists = DefaultKeywordLists.Compiled;
        var ids = lists.Definitions.SelectMany(d => d.Signals).Select(s => s.Id).ToList();
        var tp = ids.ToDictionary(i => i, _ => 0);
        var fp = ids.ToDictionary(i => i, _ => 0);
        var fn = ids.ToDictionary(i => i, _ => 0);
        var problems = new List<string>();
        foreach (var article in corpus)
        {
            var detected = Detected(KeywordScorer.Score(lists, article.Title, article.Content));
            foreach (var id in ids)
            {
                var expected = article.Signals.Contains(id);
                var found = detected.Contains(id);
                if (expected && found)
                {
                    tp[id]++;
                }
                else if (found)
                {
                    fp[id]++;
                    problems.Add($"{id}: unexpected in {article.Id}");
                }
                else if (expected)
                {
                    fn[id]++;
                    problems.Add($"{id}: missed in {article.Id}");
                }
            }
        }

        var below = new List<string>();
        foreach (var id in ids)
        {
            var precision = tp[id] + fp[id] == 0 ? 1 : (double)tp[id] / (tp[id] + fp[id]);
            var recall = tp[id] + fn[id] == 0 ? 1 : (double)tp[id] / (tp[id] + fn[id]);
            output.WriteLine($"{id,-20} precision {precision:P0} recall {recall:P0} (tp {tp[id]}, fp {fp[id]}, fn {fn[id]})");
            if (tp[id] + fn[id] < 5)
            {
                below.Add($"{id} has only {tp[id] + fn[id]} labelled examples");
            }
            else if (precision < 0.9 || recall < 0.9)
            {
                below.Add($"{id} precision {precision:P0} recall {recall:P0}");
            }
        }

        problems.ForEach(output.WriteLine);
        Assert.True(below.Count == 0, string.Join("; ", below) + " | " + string.Join("; ", problems));
    }
}
