using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Memory;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts stories FILE.jsonl</c>: clusters a file of articles (one JSON object per line: id, title, content or
/// summary, optional url and published) into stories and prints <c>{"id": ..., "story": ...}</c> per line, in order.
/// </summary>
internal static class StoriesCommand
{
    private static readonly JsonSerializerOptions Json = CliInput.Json;

    public static Command Create(TextReader input, TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("file") { Description = "A JSON-lines file of articles, or '-' for standard input.", DefaultValueFactory = _ => "-" };
        var command = new Command("stories", "Cluster articles into stories (near-duplicates across feeds within 72 hours).") { source };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(source)!, input, output, error, ct));
        return command;
    }

    private static async Task<int> RunAsync(string source, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await CliInput.ReadAsync(source, input, error, cancellationToken) is not { } document)
        {
            return 1;
        }

        var clusterer = new StoryClusterer(new InMemoryStoryStore());
        var lineNo = 0;
        var epoch = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var line in document.Split('\n'))
        {
            lineNo++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            JsonNode? id = null;
            try
            {
                var node = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("the line is not a JSON object");
                id = node["id"]?.DeepClone();
                var article = ArticleInput.FromJson(node);
                var published = node["published"] is JsonValue p && p.TryGetValue<string>(out var s)
                    && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : epoch;
                var articleId = id is JsonValue v && v.TryGetValue<string>(out var text) ? text : id?.ToJsonString() ?? "line" + lineNo.ToString(CultureInfo.InvariantCulture);
                var places = PlaceDetector.ForArticle(article.Title, article.Content, article.Url, article.Language);
                var assignment = await clusterer.AssignAsync(
                    new StoryArticle(articleId, article.Title, article.Content, article.Url, "line" + lineNo.ToString(CultureInfo.InvariantCulture), published, [.. places.Countries.Select(c => c.Code)], Severity.None, Places: StoryEvent.PlaceKeys(places)),
                    cancellationToken);
                await output.WriteLineAsync(JsonSerializer.Serialize(new JsonObject { ["id"] = id, ["story"] = assignment.Story.Id }, Json));
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new JsonObject { ["id"] = id, ["error"] = $"line {lineNo}: {ex.Message}" }, Json));
            }
        }

        return 0;
    }
}
