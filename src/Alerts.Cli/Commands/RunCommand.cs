using System.CommandLine;
using Alerts.Cli.Local;
using Alerts.Infrastructure.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts run [--once] [--feeds FILE] [--lists FILE]... [--store DIR] [--outbox DIR] [--config FILE] [--strict] [--verbose]</c>:
/// the whole pipeline in one process with no Azure, over an embedded SQLite store; see README "Run it anywhere".
/// Exit codes: 0 done, 1 bad input or store, 2 some feeds failed (with --strict), 130 stopped by Ctrl+C mid-cycle.
/// </summary>
internal static class RunCommand
{
    public const int FeedsFailed = 2;
    public const int Interrupted = 130;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var once = new Option<bool>("--once") { Description = "Run one full cycle (every digest counts as due at its end) and exit." };
        var feeds = new Option<FileInfo?>("--feeds") { Description = "An OPML file, or a text file of feed URLs and local file paths (one per line)." };
        var lists = new Option<FileInfo[]>("--lists") { Description = "A keyword-list file to make live (repeatable). Default: the built-in lists." };
        var store = CommonOptions.Store();
        var outbox = CommonOptions.Outbox();
        var config = CommonOptions.Config();
        var strict = new Option<bool>("--strict") { Description = "Exit with code 2 when any feed failed in the last cycle." };
        var verbose = CommonOptions.Verbose();
        var command = new Command("run", "Run the whole pipeline locally: fetch, score, alert, send.\nExit codes: 0 done; 1 bad input or store; 2 some feeds failed (with --strict); 130 stopped by Ctrl+C mid-cycle (the rest stays queued).") { once, feeds, lists, store, outbox, config, strict, verbose };
        command.SetAction((parse, ct) => LocalApp.RunAsync(
            new LocalOptions(parse.GetValue(feeds), parse.GetValue(lists) ?? [], parse.GetValue(store)!, parse.GetValue(outbox)!, parse.GetValue(config), parse.GetValue(verbose)),
            output, error, app => RunCyclesAsync(app, parse.GetValue(once), parse.GetValue(strict), output, error, ct)));
        return command;
    }

    private static async Task<int> RunCyclesAsync(LocalApp app, bool once, bool strict, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        await using var provider = app.AddServices(new ServiceCollection(), error).BuildServiceProvider();
        if (!await app.PrepareAsync(provider, output, error, stopping))
        {
            return 1;
        }

        var pipeline = provider.GetRequiredService<LocalPipeline>();
        var time = provider.GetRequiredService<TimeProvider>();
        var progress = new LocalApp.LineProgress(error);
        var interval = app.Configuration.GetValue("Run:Interval", TimeSpan.FromMinutes(1));
        CycleSummary? last = null;
        do
        {
            await error.WriteLineAsync($"Cycle at {time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
            last = await pipeline.RunCycleAsync(once, progress, stopping);
            await app.WriteSummaryAsync(output, last);
            if (once || stopping.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(interval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        while (!stopping.IsCancellationRequested);

        if (stopping.IsCancellationRequested)
        {
            await error.WriteLineAsync(last.Interrupted
                ? $"Stopped mid-cycle; anything not yet handled stays queued in {app.Options.Store.FullName} for the next run."
                : "Stopped between cycles; nothing was left undone.");
            return last.Interrupted ? Interrupted : 0;
        }

        return strict && last.Failed > 0 ? FeedsFailed : 0;
    }
}
