using System.CommandLine;
using Alerts.Core;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts feed seed FILE.opml [--connection CONN]</c>: adds every feed of an OPML list to the registry in Azure
/// Storage (the AzureWebJobsStorage connection by default). Feeds already present are left unchanged.
/// </summary>
internal static class FeedSeedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("opml") { Description = "An OPML subscription list." };
        var connection = new Option<string?>("--connection") { Description = "Storage connection string (default: the AzureWebJobsStorage environment variable)." };
        var command = new Command("seed", "Add the feeds of an OPML file to the feed registry.") { file, connection };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(connection), output, error, ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, string? connection, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(connection is null ? [] : [new("AzureWebJobsStorage", connection)])
            .Build();
        if (string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"]) && !configuration.GetSection("AzureWebJobsStorage").Exists())
        {
            await error.WriteLineAsync("alerts: no storage connection: pass --connection or set AzureWebJobsStorage.");
            return 1;
        }

        string opml;
        try
        {
            opml = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"alerts: cannot read '{file.FullName}': {ex.Message}");
            return 1;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddMetrics()
            .AddAlertsCore()
            .AddAlertsStorage();
        await using var provider = services.BuildServiceProvider();
        try
        {
            var result = await provider.GetRequiredService<FeedSeeder>().SeedFromOpmlAsync(opml, cancellationToken);
            await output.WriteLineAsync($"{result.Added} feeds added, {result.AlreadyPresent} already present, {result.Rejected.Count} rejected.");
            foreach (var rejected in result.Rejected)
            {
                await error.WriteLineAsync($"alerts: rejected (not an http or https URL): {rejected}");
            }

            return 0;
        }
        catch (FeedParseException ex)
        {
            await error.WriteLineAsync($"alerts: cannot read '{file.FullName}': {ex.Message}");
            return 1;
        }
    }
}
