using System.CommandLine;

namespace Alerts.Cli.Commands;

/// <summary>The options several commands share, defined once so that their names, defaults and help agree.</summary>
internal static class CommonOptions
{
    public static Option<DirectoryInfo> Store() =>
        new("--store") { Description = "Folder of the embedded store (created on first use).", DefaultValueFactory = _ => new DirectoryInfo(".alerts") };

    public static Option<DirectoryInfo> Outbox() =>
        new("--outbox") { Description = "Folder the outbox sender writes .eml and .html files to.", DefaultValueFactory = _ => new DirectoryInfo("outbox") };

    public static Option<FileInfo?> Config() =>
        new("--config") { Description = "A JSON settings file (same sections as the app settings, plus \"Subscribers\")." };

    public static Option<bool> Verbose() =>
        new("--verbose") { Description = "Also print the services' log lines (warnings and progress), not only errors." };
}
