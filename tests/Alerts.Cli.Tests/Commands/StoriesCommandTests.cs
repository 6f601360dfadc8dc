using System.Text.Json;

namespace Alerts.Cli.Tests.Commands;

public sealed class StoriesCommandTests
{
    private static async Task<List<JsonElement>> RunAsync(string input)
    {
        using var reader = new StringReader(input);
        using var output = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["stories"], reader, output, new StringWriter()));
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    [Fact]
    public async Task Stories_NearDuplicatesShareAStoryAndOtherEventsDoNot()
    {
        var input = string.Join('\n',
            """{"id": "a", "title": "Curfew imposed in Almaty as protests spread", "content": "Kazakh authorities imposed a night curfew in Almaty on Wednesday after protests over fuel prices spread to several cities.", "url": "https://wire.example/1", "published": "2026-11-25T10:00:00Z"}""",
            """{"id": "b", "title": "Kazakhstan central bank holds rates", "content": "The National Bank of Kazakhstan kept its base rate unchanged on Friday.", "url": "https://wire.example/2", "published": "2026-11-25T11:00:00Z"}""",
            """{"id": "c", "title": "Kazakhstan: curfew in Almaty as fuel protests widen", "content": "Authorities in Kazakhstan imposed a nighttime curfew in Almaty on Wednesday as protests over fuel prices spread to other cities.", "url": "https://daily.example/x", "published": "2026-11-25T12:00:00Z"}""",
            """{"id": "d", "title": "Curfew imposed in Almaty as protests spread", "content": "Kazakh authorities imposed a night curfew in Almaty after protests over fuel prices spread to several cities.", "url": "https://late.example/y", "published": "2026-11-29T12:00:00Z"}""",
            "{oops");

        var lines = await RunAsync(input);

        Assert.Equal(5, lines.Count);
        Assert.Equal(["a", "b", "c", "d"], lines.Take(4).Select(l => l.GetProperty("id").GetString()));
        var stories = lines.Take(4).Select(l => l.GetProperty("story").GetString()).ToList();
        Assert.Equal(stories[0], stories[2]);     // same event, another outlet
        Assert.NotEqual(stories[0], stories[1]);  // same country and week, another event
        Assert.NotEqual(stories[0], stories[3]);  // same text, more than 72 hours later
        Assert.StartsWith("line 5:", lines[4].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_Json_IncludesCountriesMainFirstAndRegions()
    {
        using var reader = new StringReader("""{"title": "Curfew in Almaty", "content": "Kazakh police cleared the square. Russian officials in Moscow commented."}""");
        using var output = new StringWriter();

        await CliApp.RunAsync(["score", "--format", "json"], reader, output, new StringWriter());

        using var doc = JsonDocument.Parse(output.ToString());
        Assert.Equal(["KZ", "RU"], doc.RootElement.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["Central Asia", "Asia", "Eastern Europe", "Europe"], doc.RootElement.GetProperty("regions").EnumerateArray().Select(c => c.GetString()));
    }
}
