using System.CommandLine;
using Alerts.Cli.Commands;

namespace Alerts.Cli;

/// <summary>The <c>alerts</c> command line. Output goes to the writers given, so tests can run it in-process.</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.In, output, error, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Crisis Alerts: watch news feeds for signs that a crisis is escalating.");
        var feed = new Command("feed", "Work with feeds.");
        feed.Subcommands.Add(FeedPreviewCommand.Create(output, error));
        feed.Subcommands.Add(FeedSeedCommand.Create(output, error));
        root.Subcommands.Add(feed);
        root.Subcommands.Add(ScoreCommand.Create(input, output, error));
        root.Subcommands.Add(StoriesCommand.Create(input, output, error));
        var lists = new Command("lists", "Work with keyword lists.");
        lists.Subcommands.Add(ListsValidateCommand.Create(output, error));
        root.Subcommands.Add(lists);
        root.Subcommands.Add(RunCommand.Create(output, error));
        root.Subcommands.Add(SeedCommand.Create(output, error));
        root.Subcommands.Add(ServeCommand.Create(output, error));
        root.Subcommands.Add(StoreCommand.Create(output, error));
        var parsed = root.Parse(args);
        // Program.cs handles Ctrl+C and SIGTERM (a stop that lets work in hand finish), not System.CommandLine's two-second kill.
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
    }
}
