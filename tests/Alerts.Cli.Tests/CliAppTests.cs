using System.CommandLine;

namespace Alerts.Cli.Tests;

/// <summary>Help as a new user looks for it: <c>alerts help</c>, <c>alerts help COMMAND</c>, an example for every command.</summary>
public sealed class CliAppTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_ListsTheCommands()
    {
        var (exit, output, _) = await RunAsync("help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "run", "serve", "score", "stories", "seed", "feed", "lists", "store", "help" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", output);
        }
    }

    [Theory]
    [InlineData("run", "alerts run --once --feeds samples/feeds.opml")]
    [InlineData("feed preview", "--allow-loopback")]
    [InlineData("store backup", "alerts store backup backup.db")]
    public async Task HelpCommand_ShowsTheCommandWithExamples(string command, string example)
    {
        var (exit, output, _) = await RunAsync(["help", .. command.Split(' ')]);

        Assert.Equal(0, exit);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Contains(example, output, StringComparison.Ordinal);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpForAnUnknownCommand_IsAnError()
    {
        var (exit, _, error) = await RunAsync("help", "nope");

        Assert.Equal(1, exit);
        Assert.Contains("nope", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommandThatRuns_HasAnExample()
    {
        var root = new RootCommand();
        foreach (var path in CliApp.Examples.Keys)
        {
            Assert.All(CliApp.Examples[path], e => Assert.StartsWith("alerts " + path, e.Replace("cat articles.jsonl | ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        }

        string[] runnable = ["run", "serve", "score", "stories", "seed", "feed preview", "feed seed", "lists validate", "store check", "store backup"];
        Assert.Equal(runnable.Order(StringComparer.Ordinal), CliApp.Examples.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(root);
    }
}
