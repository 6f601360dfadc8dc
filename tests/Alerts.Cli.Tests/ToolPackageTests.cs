using System.Diagnostics;
using Alerts.Testing;

namespace Alerts.Cli.Tests;

/// <summary>
/// <c>alerts</c> as a .NET tool, installed the two ways the README shows: globally (here into a tool path) and with
/// the repository's tool manifest (<c>dotnet tool restore</c>, <c>dotnet tool run alerts</c>).
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alerts-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Exit, string Output)> DotnetAsync(string workingDirectory, params string[] arguments) => await RunAsync("dotnet", workingDirectory, arguments);

    private async Task<(int Exit, string Output)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NUGET_PACKAGES"] = Path.Combine(_dir, "packages"); // a fresh package cache: the package just built, not an older one
        start.Environment["DOTNET_CLI_HOME"] = Path.Combine(_dir, "home"); // and a fresh tool resolver cache: an earlier run's entry points into a deleted folder
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Packed_ThenInstalledGloballyOrFromTheManifest_RunsAlerts()
    {
        // The build the tests run on (Release in CI), packed without building again.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var feed = Path.Combine(_dir, "feed");
        var pack = await DotnetAsync(RepositoryPaths.Root, "pack", "src/Alerts.Cli", "-c", configuration, "--no-build", "-o", feed);
        Assert.True(pack.Exit == 0, pack.Output);
        Assert.Single(Directory.GetFiles(feed, "CrisisAlerts.Cli.*.nupkg"));

        var tools = Path.Combine(_dir, "tools");
        var install = await DotnetAsync(_dir, "tool", "install", "--tool-path", tools, "--add-source", feed, "CrisisAlerts.Cli");
        Assert.True(install.Exit == 0, install.Output);
        var help = await RunAsync(Path.Combine(tools, "alerts"), _dir, "help", "run");
        Assert.True(help.Exit == 0, help.Output);
        Assert.Contains("alerts run --once --feeds samples/feeds.opml", help.Output, StringComparison.Ordinal);

        var project = Directory.CreateDirectory(Path.Combine(_dir, "project")).FullName;
        File.Copy(Path.Combine(RepositoryPaths.Root, "dotnet-tools.json"), Path.Combine(project, "dotnet-tools.json"));
        var restore = await DotnetAsync(project, "tool", "restore", "--add-source", feed);
        Assert.True(restore.Exit == 0, restore.Output);
        var score = await DotnetAsync(project, "tool", "run", "alerts", "--", "score", Path.Combine(RepositoryPaths.Root, "samples", "article.json"));
        Assert.True(score.Exit == 0, score.Output);
        Assert.StartsWith("critical (score ", score.Output, StringComparison.Ordinal);
    }
}
