using System.CommandLine;
using Alerts.Infrastructure.Local;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts store check [--store DIR]</c>: SQLite's integrity check and every record read, exit 1 on any problem;
/// <c>alerts store backup FILE [--store DIR]</c>: a consistent copy with SQLite's online backup, also while a run writes.
/// </summary>
internal static class StoreCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("store", "Check or back up the embedded store of alerts run and alerts serve.");
        command.Subcommands.Add(Check(output, error));
        command.Subcommands.Add(Backup(output, error));
        return command;
    }

    private static Command Check(TextWriter output, TextWriter error)
    {
        var store = CommonOptions.Store();
        var command = new Command("check", "Check the store: SQLite's integrity check, and every record read as JSON.") { store };
        command.SetAction(async (parse, ct) =>
        {
            StoreCheckReport report;
            try
            {
                report = StoreMaintenance.Check(parse.GetValue(store)!.FullName);
            }
            catch (StoreDamagedException ex)
            {
                await error.WriteLineAsync("alerts: " + ex.Message);
                return 1;
            }

            await output.WriteLineAsync($"Store {report.Path}");
            foreach (var (collection, count) in report.Records)
            {
                await output.WriteLineAsync($"  {collection,-20} {count,9} records");
            }

            foreach (var problem in report.IntegrityProblems)
            {
                await error.WriteLineAsync("alerts: integrity: " + problem);
            }

            foreach (var record in report.DamagedRecords)
            {
                await error.WriteLineAsync("alerts: damaged record " + record);
            }

            await output.WriteLineAsync(report.Healthy ? "OK: the store is sound." : "Problems found: runs skip damaged records; restore a backup to get them back.");
            return report.Healthy ? 0 : 1;
        });
        return command;
    }

    private static Command Backup(TextWriter output, TextWriter error)
    {
        var store = CommonOptions.Store();
        var file = new Argument<FileInfo>("FILE") { Description = "The backup file to write (must not exist)." };
        var command = new Command("backup", "Copy the store to FILE with SQLite's online backup, also while a run is writing.") { file, store };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var bytes = StoreMaintenance.Backup(parse.GetValue(store)!.FullName, parse.GetValue(file)!.FullName);
                await output.WriteLineAsync($"Backed up to {parse.GetValue(file)!.FullName} ({bytes:N0} bytes). Restore: stop alerts, copy it over {SqliteStore.FileName} in the store folder.");
                return 0;
            }
            catch (Exception ex) when (ex is StoreDamagedException or IOException)
            {
                await error.WriteLineAsync("alerts: " + ex.Message);
                return 1;
            }
        });
        return command;
    }
}
