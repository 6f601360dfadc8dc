using System.CommandLine;
using Alerts.Cli.Commands;

namespace Alerts.Cli;

/// <summary>The <c>alerts</c> command line. Output goes to the writers given, so tests can run it in-process.</summary>
public static class CliApp
{
    /// <summary>Examples shown in each command's help (<c>alerts help run</c>, <c>alerts run --help</c>), by command path.</summary>
    internal static IReadOnlyDictionary<string, string[]> Examples { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["run"] = ["alerts run --once --feeds samples/feeds.opml", "alerts run --feeds feeds.txt --config alerts.json --strict", "alerts run --once --verbose"],
        ["serve"] = ["alerts serve --feeds samples/feeds.opml", "alerts serve --port 8080 --key my-admin-key"],
        ["score"] = ["alerts score samples/article.json", "alerts score --format json article.txt", "cat articles.jsonl | alerts score --jsonl -"],
        ["stories"] = ["alerts stories articles.jsonl"],
        ["seed"] = ["alerts seed --storage UseDevelopmentStorage=true --feeds samples/feeds.opml --subscriber you@example.org"],
        ["feed preview"] = ["alerts feed preview https://example.org/rss", "alerts feed preview samples/feeds/wire-en.xml --format json", "alerts feed preview http://127.0.0.1:8000/feed.xml --allow-loopback"],
        ["feed seed"] = ["alerts feed seed feeds.opml --connection UseDevelopmentStorage=true"],
        ["lists validate"] = ["alerts lists validate my.keywords", "alerts lists validate lists/*.keywords"],
        ["store check"] = ["alerts store check", "alerts store check --store /var/lib/alerts"],
        ["store backup"] = ["alerts store backup backup.db", "alerts store backup /backups/alerts-$(date +%F).db --store /var/lib/alerts"],
    };

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
        AddExamples(root, "");

        // Program.cs handles Ctrl+C and SIGTERM (a stop that lets work in hand finish), not System.CommandLine's two-second kill.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        var topic = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "The command to explain, e.g. run or feed preview." };
        var help = new Command("help", "Show help for alerts or for one of its commands.") { topic };
        help.SetAction(async (parse, ct) =>
        {
            var words = parse.GetValue(topic) ?? [];
            Command current = root;
            foreach (var word in words)
            {
                if (current.Subcommands.FirstOrDefault(c => c.Name == word) is not { } next)
                {
                    await error.WriteLineAsync($"alerts: there is no command '{string.Join(' ', words)}'; 'alerts help' lists them.");
                    return 1;
                }

                current = next;
            }

            return await root.Parse([.. words, "--help"]).InvokeAsync(configuration, ct);
        });
        root.Subcommands.Add(help);
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    private static void AddExamples(Command command, string path)
    {
        foreach (var sub in command.Subcommands)
        {
            var subPath = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
            if (Examples.TryGetValue(subPath, out var examples))
            {
                sub.Description += Environment.NewLine + Environment.NewLine + "Examples:" + string.Concat(examples.Select(e => Environment.NewLine + "  " + e));
            }

            AddExamples(sub, subPath);
        }
    }
}
