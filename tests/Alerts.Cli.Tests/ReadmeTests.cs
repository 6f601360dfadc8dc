using System.Text.RegularExpressions;
using Alerts.Testing;

namespace Alerts.Cli.Tests;

/// <summary>
/// The README shows what the commands print: every code block marked <c>&lt;!-- output of: alerts ARGS --&gt;</c> is
/// the output of that command today (paths shown as /home/you/crisis-alerts; which feed was slowest, and how slow,
/// varies from run to run).
/// </summary>
public sealed partial class ReadmeTests : IDisposable
{
    private const string ShownRoot = "/home/you/crisis-alerts";
    private readonly string _dir = Directory.CreateTempSubdirectory("alerts-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (Match block in Marked().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"))))
        {
            data.Add(block.Groups["command"].Value);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task OutputShownInTheReadme_IsWhatTheCommandPrints(string command)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");
        var shown = Marked().Matches(readme).Single(m => m.Groups["command"].Value == command).Groups["output"].Value;
        string[] args = [.. command.Split(' ').Skip(1).Select(a => a.StartsWith("samples/", StringComparison.Ordinal) ? Path.Combine(RepositoryPaths.Root, a) : a)];
        if (args[0] == "run")
        {
            args = [.. args, "--store", Path.Combine(_dir, ".alerts"), "--outbox", Path.Combine(_dir, "outbox")];
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.True(await CliApp.RunAsync(args, TextReader.Null, output, error) == 0, error.ToString());

        var printed = output.ToString().ReplaceLineEndings("\n")
            .Replace(Path.Combine(_dir, "outbox"), ShownRoot + "/outbox", StringComparison.Ordinal)
            .Replace(RepositoryPaths.Root, ShownRoot, StringComparison.Ordinal);
        Assert.Equal(Normalize(shown), Normalize(printed));
    }

    private static string Normalize(string text) => SlowestFeed().Replace(text, "Slowest feed  (a sample feed, N s)");

    [GeneratedRegex(@"<!-- output of: (?<command>alerts [^\n]*?) \(checked by ReadmeTests\) -->\n```\n(?<output>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Marked();

    [GeneratedRegex(@"Slowest feed  file://\S+/samples/feeds/[a-z-]+\.xml \(\d+\.\d s\)")]
    private static partial Regex SlowestFeed();
}
