using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alerts.Core.Places;
using Alerts.Core.Scoring;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts score [--list FILE]... [--format text|json] [--jsonl] [FILE|-]</c>: scores one article (a JSON object with
/// title and content or summary, or plain text whose first line is the title), or with --jsonl one JSON article per line.
/// </summary>
internal static class ScoreCommand
{
    private static readonly JsonSerializerOptions Json = CliInput.Json;

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    public static Command Create(TextReader input, TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("file") { Description = "The article file, or '-' for standard input.", DefaultValueFactory = _ => "-" };
        var lists = new Option<string[]>("--list") { Description = "A keyword list file (repeatable). Default: the built-in lists.", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string>("--format") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var jsonl = new Option<bool>("--jsonl") { Description = "Read one JSON article per line; write one JSON result per line." };
        var command = new Command("score", "Score an article for escalation signals.") { source, lists, format, jsonl };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(source)!, parse.GetValue(lists) ?? [], parse.GetValue(format)!, parse.GetValue(jsonl), input, output, error, ct));
        return command;
    }

    private static async Task<int> RunAsync(string source, string[] listFiles, string format, bool jsonl, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        CompiledKeywordLists compiled;
        try
        {
            compiled = await ListFiles.LoadAsync(listFiles, error, cancellationToken);
        }
        catch (ListFiles.InvalidListException)
        {
            return 1;
        }

        if (await CliInput.ReadAsync(source, input, error, cancellationToken) is not { } text)
        {
            return 1;
        }

        if (text.Trim().Length == 0)
        {
            await error.WriteLineAsync($"alerts: {(source == "-" ? "standard input" : $"'{source}'")} is empty: nothing to score.");
            return 1;
        }

        string[] versions = [.. compiled.Definitions.Select(d => $"{d.Name}@{d.Version}")];
        if (jsonl)
        {
            var lineNo = 0;
            foreach (var line in text.Split('\n'))
            {
                lineNo++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                await output.WriteLineAsync(ScoreLine(compiled, versions, line, lineNo));
            }

            return 0;
        }

        IReadOnlyList<ArticleInput> articles;
        try
        {
            articles = ArticleInput.ParseMany(text);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"alerts: cannot read article '{source}': {ex.Message}");
            return 1;
        }

        var results = articles.Select(a => (Result: KeywordScorer.Score(compiled, a.Title, a.Content, a.Published), Places: PlaceDetector.ForArticle(a.Title, a.Content, a.Url, a.Language))).ToList();
        if (format == "json")
        {
            var documents = results.Select(r => ToJson(null, r.Result, r.Places, versions)).ToList();
            await output.WriteLineAsync(documents.Count == 1 && !text.TrimStart().StartsWith('[') ? JsonSerializer.Serialize(documents[0], Indented) : JsonSerializer.Serialize(new JsonArray([.. documents]), Indented));
            return 0;
        }

        for (var i = 0; i < results.Count; i++)
        {
            if (results.Count > 1)
            {
                await output.WriteLineAsync($"{(i == 0 ? "" : "\n")}[{i + 1}] {articles[i].Title}");
            }

            await WriteTextAsync(output, results[i].Result, results[i].Places, versions);
        }

        return 0;
    }

    private static async Task WriteTextAsync(TextWriter output, ScoreResult result, ArticlePlaces places, IReadOnlyList<string> versions)
    {
        var countries = places.Countries;
        await output.WriteLineAsync($"{result.Severity.ToString().ToLowerInvariant()} (score {result.Score}; lists {string.Join(", ", versions)})");
        if (countries.Count > 0)
        {
            await output.WriteLineAsync($"  countries: {string.Join(", ", countries.Select(c => $"{c.Code} ({c.Name})"))}; regions: {string.Join(", ", places.Regions)}");
        }

        if (places.Places.Count > 0)
        {
            await output.WriteLineAsync($"  places: {string.Join("; ", places.Places.Take(5).Select(p => $"{p.Label} ({p.Country})"))}");
        }

        foreach (var signal in result.Signals)
        {
            await output.WriteLineAsync($"  {signal.Id} ({signal.Label}, weight {signal.Weight}, list {signal.List})");
            foreach (var evidence in signal.Evidence)
            {
                await output.WriteLineAsync($"    [{evidence.Field.ToString().ToLowerInvariant()}, {evidence.Rule}] {evidence.Text}{(evidence.DampedBy is null ? "" : $"  (damped by '{evidence.DampedBy}')")}");
            }
        }

        foreach (var cancelled in result.Cancelled)
        {
            await output.WriteLineAsync($"  not counted: {cancelled.SignalId}: {cancelled.Reason}: {cancelled.Text}");
        }
    }

    private static string ScoreLine(CompiledKeywordLists compiled, IReadOnlyList<string> versions, string line, int lineNo)
    {
        JsonNode? id = null;
        try
        {
            var node = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("the line is not a JSON object");
            id = node["id"]?.DeepClone();
            var article = ArticleInput.FromJson(node);
            return JsonSerializer.Serialize(ToJson(id, KeywordScorer.Score(compiled, article.Title, article.Content, article.Published), PlaceDetector.ForArticle(article.Title, article.Content, article.Url, article.Language), versions), Json);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return JsonSerializer.Serialize(new JsonObject { ["id"] = id, ["error"] = $"line {lineNo}: {(ex is JsonException json ? ArticleInput.Describe(json) : ex.Message)}" }, Json);
        }
    }

    private static JsonObject ToJson(JsonNode? id, ScoreResult result, ArticlePlaces places, IReadOnlyList<string> versions)
    {
        var countries = places.Countries;
        var json = new JsonObject();
        if (id is not null)
        {
            json["id"] = id;
        }

        json["severity"] = result.Severity.ToString().ToLowerInvariant();
        json["score"] = result.Score;
        json["lists"] = new JsonArray([.. versions.Select(v => (JsonNode)JsonValue.Create(v))]);
        json["countries"] = new JsonArray(countries.Select(c => (JsonNode)JsonValue.Create(c.Code)).ToArray());
        json["regions"] = new JsonArray(places.Regions.Select(r => (JsonNode)JsonValue.Create(r)).ToArray());
        json["places"] = new JsonArray(places.Places.Take(10).Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["division"] = p.Kind == GeoKind.Division ? null : p.Division,
            ["country"] = p.Country,
            ["latitude"] = ArticlePlace.Coordinate(p.Latitude),
            ["longitude"] = ArticlePlace.Coordinate(p.Longitude),
        }).ToArray());
        json["signals"] = new JsonArray(result.Signals.Select(s => (JsonNode)new JsonObject
        {
            ["id"] = s.Id,
            ["label"] = s.Label,
            ["weight"] = s.Weight,
            ["evidence"] = new JsonArray(s.Evidence.Select(e => (JsonNode)new JsonObject
            {
                ["field"] = e.Field.ToString().ToLowerInvariant(),
                ["text"] = e.Text,
                ["rule"] = e.Rule,
                ["dampedBy"] = e.DampedBy,
            }).ToArray()),
        }).ToArray());
        json["cancelled"] = new JsonArray(result.Cancelled.Select(c => (JsonNode)new JsonObject
        {
            ["signal"] = c.SignalId,
            ["field"] = c.Field.ToString().ToLowerInvariant(),
            ["text"] = c.Text,
            ["reason"] = c.Reason,
        }).ToArray());
        return json;
    }
}

/// <summary>An article given to the CLI: JSON with title and content/summary, or text whose first line is the title.</summary>
internal sealed record ArticleInput(string Title, string Content, string? Url, string? Language, DateTimeOffset? Published = null)
{
    /// <summary>One article (a JSON object or text), or several (a JSON array of objects).</summary>
    public static IReadOnlyList<ArticleInput> ParseMany(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.TrimStart().StartsWith('['))
        {
            return [Parse(text)];
        }

        var array = ParseJson(text) as JsonArray ?? throw new FormatException("not a JSON array");
        if (array.Count == 0)
        {
            throw new FormatException("the JSON array has no articles");
        }

        return [.. array.Select((item, i) => item is JsonObject article ? FromJson(article, $"article {i + 1}: ") : throw new FormatException($"article {i + 1} is not a JSON object"))];
    }

    public static ArticleInput Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.TrimStart().StartsWith('{'))
        {
            return FromJson(ParseJson(text) as JsonObject ?? throw new FormatException("not a JSON object"));
        }

        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? new ArticleInput(text.Trim(), "", null, null) : new ArticleInput(text[..newline].Trim(), text[(newline + 1)..], null, null);
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new FormatException(Describe(ex), ex);
        }
    }

    /// <summary>Where the JSON went wrong, counted from 1: "line 3, column 14: '}' is invalid after a property name".</summary>
    public static string Describe(JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
        return $"not valid JSON at line {(error.LineNumber ?? 0) + 1}, column {(error.BytePositionInLine ?? 0) + 1}: {message}";
    }

    public static ArticleInput FromJson(JsonObject json, string where = "")
    {
        string? Get(string name) => json[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var title = Get("title");
        var content = Get("content") ?? Get("summary") ?? Get("text");
        if (title is null && content is null)
        {
            throw new FormatException(where + "the article needs a \"title\" and a \"content\" or \"summary\"");
        }

        var published = Get("published") is { } date
            ? DateTimeOffset.TryParse(date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
                : throw new FormatException($"\"published\" is not a date: '{date}'")
            : (DateTimeOffset?)null;
        return new ArticleInput(title ?? "", content ?? "", Get("url"), Get("language"), published);
    }
}
