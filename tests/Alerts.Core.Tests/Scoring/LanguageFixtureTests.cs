using System.Text.Json;
using Alerts.Core.Scoring;

namespace Alerts.Core.Tests.Scoring;

/// <summary>
/// The default lists on short reports written for the project in each language that has lists beyond en/fr/es
/// (TestData/Languages/LANG.jsonl: escalations with their signals, and hard negatives: a lifted curfew, a film, a drill,
/// a denial). Real published news is measured with eng/devset; these are the regression checks.
/// </summary>
public sealed class LanguageFixtureTests
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public sealed record Fixture(string Title, string Content, string Expected, string[] Signals);

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "Languages"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file).Count(l => l.Trim().Length > 0);
            for (var i = 0; i < lines; i++)
            {
                data.Add(Path.GetFileNameWithoutExtension(file), i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultLists_ScoreTheFixture_AsLabelled(string language, int index)
    {
        var line = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Languages", language + ".jsonl")).Where(l => l.Trim().Length > 0).ElementAt(index);
        var fixture = JsonSerializer.Deserialize<Fixture>(line, Json)!;
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, fixture.Title, fixture.Content);
        var found = result.Signals.Where(s => s.Evidence.Any(e => e.DampedBy is null)).Select(s => s.Id).ToHashSet();
        if (fixture.Expected == "none")
        {
            Assert.True(result.Severity == Severity.None, $"{fixture.Title}: {result.Severity} with {string.Join(", ", found)}");
        }
        else
        {
            Assert.True(result.Severity >= Severity.Warning, $"{fixture.Title}: {result.Severity}");
            Assert.True(fixture.Signals.All(found.Contains), $"{fixture.Title}: want {string.Join(", ", fixture.Signals)}, found {string.Join(", ", found)}");
        }

        Assert.Equal(language, LanguageDetector.Resolve(null, fixture.Title, fixture.Content));
    }

    [Theory]
    [InlineData("اعتقال ١٥٠٠ متظاهر في بغداد", "اعتقلت قوات الأمن ١٥٠٠ متظاهر، وفق مصادر حقوقية.")] // Arabic-Indic digits
    [InlineData("بازداشت ۱۵۰۰ معترض در تهران", "نیروهای امنیتی ۱۵۰۰ معترض را بازداشت کردند.")] // Persian digits
    public void ArabicIndicAndPersianDigits_AreCounts(string title, string content)
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, title, content);
        Assert.Contains(result.Signals, s => s.Id == "mass-arrests");
        Assert.Equal(1500, ArticleText.ParseNumber(title.Split(' ')[1]));
    }
}
