using System.Text.Json;

namespace Alerts.Cli.Tests.Commands;

public sealed class ScoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alerts-score-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string input, params string[] args)
    {
        using var reader = new StringReader(input);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, reader, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Score_JsonArticleFromStdin_PrintsSeverityAndEvidence()
    {
        const string article = """{"title": "Curfew imposed after riots", "content": "Security forces opened fire on protesters, killing 9 people."}""";

        var (exit, output, _) = await RunAsync(article, "score", "--format", "json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("critical", doc.RootElement.GetProperty("severity").GetString());
        var signals = doc.RootElement.GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(["curfew", "live-fire", "fatalities"], signals.Keys);
        var evidence = signals["curfew"].GetProperty("evidence")[0];
        Assert.Equal("title", evidence.GetProperty("field").GetString());
        Assert.Equal("Curfew imposed after riots", evidence.GetProperty("text").GetString());
        Assert.Equal(4, signals["curfew"].GetProperty("weight").GetDouble()); // the content does not confirm it: no title boost
    }

    [Fact]
    public async Task Score_ArticleAboutATown_ReportsThePlaceAndItsCountry()
    {
        const string article = """{"title": "Curfew in Juliaca after clashes", "content": "Police fired on protesters in Juliaca, near Lake Titicaca, killing six people."}""";

        var (exit, output, _) = await RunAsync(article, "score", "--format", "json");
        var (_, text, _) = await RunAsync(article, "score");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("PE", doc.RootElement.GetProperty("countries")[0].GetString());
        var place = doc.RootElement.GetProperty("places")[0];
        Assert.Equal("Juliaca", place.GetProperty("name").GetString());
        Assert.Equal("Puno", place.GetProperty("division").GetString());
        Assert.Contains("places: Juliaca, Puno (PE)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_PlainTextFile_FirstLineIsTheTitle()
    {
        var path = Write("a.txt", "Martial law declared\nThe army took control of the capital.\n");

        var (exit, output, _) = await RunAsync("", "score", path);

        Assert.Equal(0, exit);
        Assert.StartsWith("critical (score 12; lists escalation@1)", output, StringComparison.Ordinal); // martial law declared: decisive
        Assert.Contains("martial-law (Martial law, weight 12", output, StringComparison.Ordinal);
        Assert.Matches(@"\[title, [^\]]+\] Martial law declared", output);
    }

    [Fact]
    public async Task Score_Jsonl_WritesOneResultPerLineInOrderAndReportsBadLines()
    {
        var input = string.Join('\n',
            """{"id": 7, "title": "The curfew was lifted", "content": "Calm returned."}""",
            "not json",
            """{"id": "b", "summary": "Hundreds of people were arrested overnight."}""",
            """{"id": "c"}""");

        var (exit, output, _) = await RunAsync(input, "score", "--jsonl");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal(7, lines[0].GetProperty("id").GetInt32());
        Assert.Equal("none", lines[0].GetProperty("severity").GetString());
        Assert.Equal("reversed by 'lifted'", lines[0].GetProperty("cancelled")[0].GetProperty("reason").GetString());
        Assert.StartsWith("line 2:", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("b", lines[2].GetProperty("id").GetString());
        Assert.Equal("warning", lines[2].GetProperty("severity").GetString());
        Assert.Equal("mass-arrests", lines[2].GetProperty("signals")[0].GetProperty("id").GetString());
        Assert.Equal("c", lines[3].GetProperty("id").GetString());
        Assert.Contains("needs a \"title\"", lines[3].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_WithCustomList_UsesOnlyThatList()
    {
        var list = Write("l.keywords", "list: custom\nthresholds: watch 1, warning 2, critical 3\nsignal: zebra\n  label: Zebra\n  weight: 5\n  phrase: zebra*\n");

        var (_, output, _) = await RunAsync("""{"title": "Zebras escape; curfew declared"}""", "score", "--list", list, "--format", "json");

        using var doc = JsonDocument.Parse(output);
        Assert.Equal("zebra", Assert.Single(doc.RootElement.GetProperty("signals").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Score_InvalidList_PrintsErrorsAndExitsOne()
    {
        var list = Write("bad.keywords", "list: bad\nthresholds: watch 1, warning 2, critical 3\nsignal: s\n  label: S\n  weight: 500\n  phrase: x\n");

        var (exit, _, error) = await RunAsync("{}", "score", "--list", list);

        Assert.Equal(1, exit);
        Assert.Equal($"{list}:5:11: weight must be a number greater than 0 and at most 100.", error.Trim());
    }

    [Fact]
    public async Task Score_MissingFile_ExitsOneWithOneLine()
    {
        var (exit, _, error) = await RunAsync("", "score", Path.Combine(_dir, "missing.json"));

        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("alerts: cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MalformedJsonArticle_ExitsOne()
    {
        var (exit, _, error) = await RunAsync("{\"title\": ", "score");

        Assert.Equal(1, exit);
        Assert.StartsWith("alerts: cannot read article", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListsValidate_ReportsEveryErrorWithFileLineAndColumn()
    {
        var bad = Write("bad.keywords", "list: bad\nthresholds: watch 1, warning 2, critical 3\ncolour: red\nsignal: s\n  label: S\n  weight: 1\n  near 3: a\n");
        var good = Write("good.keywords", "list: good\nthresholds: watch 1, warning 2, critical 3\nsignal: s\n  label: S\n  weight: 1\n  phrase: a\n");

        var (exit, output, error) = await RunAsync("", "lists", "validate", bad, good);

        Assert.Equal(1, exit);
        Assert.Equal(
            [$"{bad}:3:1: Unknown field 'colour'. Top-level fields: list, description, version, thresholds, combine, framing, negation, signal.",
             $"{bad}:4:1: Signal 's' has no match rules: add phrase, near or quantity lines.",
             $"{bad}:7:11: Bad proximity: separate the two sides with ';'."],
            error.Trim().Split('\n'));
        Assert.Contains($"{good}: valid: list 'good' version 1, 1 signals.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListsValidate_DefaultList_IsValid()
    {
        var path = Path.Combine(Alerts.Testing.RepositoryPaths.Root, "src", "Alerts.Core", "Scoring", "Defaults", "escalation.keywords");

        var (exit, output, error) = await RunAsync("", "lists", "validate", path);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("9 signals", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_JsonArray_ScoresEachArticle_InTextAndJson()
    {
        const string articles = """[{"title": "Curfew imposed after riots", "content": "A curfew was imposed in the capital."}, {"title": "Market day", "content": "Stalls opened early."}]""";

        var (exit, output, error) = await RunAsync(articles, "score", "--format", "json");
        var (_, text, _) = await RunAsync(articles, "score");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["warning", "none"], doc.RootElement.EnumerateArray().Select(a => a.GetProperty("severity").GetString()));
        Assert.Contains("[1] Curfew imposed after riots", text, StringComparison.Ordinal);
        Assert.Contains("[2] Market day\nnone (score 0", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_EmptyInput_IsAnError()
    {
        var (exit, output, error) = await RunAsync("  \n", "score");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal("alerts: standard input is empty: nothing to score.", error.Trim());
    }

    [Fact]
    public async Task Score_MalformedJson_SaysWhereFromLineOne()
    {
        var (exit, _, error) = await RunAsync("{\n  \"title\": \"Curfew\",\n  \"content\" \"no colon\"\n}", "score");

        Assert.Equal(1, exit);
        Assert.StartsWith("alerts: cannot read article '-': not valid JSON at line 3, column 13: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_Json_EvidenceNamesItsRuleAndDamping_AndTheListVersionIsShown()
    {
        const string article = """{"title": "Thriller review: a coup in the capital", "content": "In the film, soldiers seized power in a coup."}""";

        var (_, output, _) = await RunAsync(article, "score", "--format", "json");
        var (_, text, _) = await RunAsync(article, "score");

        using var doc = JsonDocument.Parse(output);
        Assert.Equal("escalation@1", doc.RootElement.GetProperty("lists")[0].GetString());
        var evidence = doc.RootElement.GetProperty("signals").EnumerateArray().First(s => s.GetProperty("id").GetString() == "coup").GetProperty("evidence")[0];
        Assert.False(string.IsNullOrEmpty(evidence.GetProperty("rule").GetString()));
        Assert.Contains("thriller", evidence.GetProperty("dampedBy").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("lists escalation@1)", text, StringComparison.Ordinal);
    }
}
