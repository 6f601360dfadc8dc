using System.CommandLine;
using Alerts.Core;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts seed --storage CONN --feeds FILE [--subscriber EMAIL]</c>: loads feeds, the default keyword lists and
/// optionally an active subscriber into Azure Storage (Azurite or a real account) for the Functions.
/// </summary>
internal static class SeedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var storage = new Option<string>("--storage") { Description = "Storage connection string (UseDevelopmentStorage=true for Azurite).", Required = true };
        var feeds = new Option<FileInfo>("--feeds") { Description = "An OPML file or a text file of feed URLs.", Required = true };
        var subscriber = new Option<string?>("--subscriber") { Description = "An address to add as an active subscriber (every alert of severity watch or above, daily digest)." };
        var command = new Command("seed", "Load feeds, the default keyword lists and a subscriber into Azure Storage.") { storage, feeds, subscriber };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(storage)!, parse.GetValue(feeds)!, parse.GetValue(subscriber), output, error, ct));
        return command;
    }

    private static async Task<int> RunAsync(string storage, FileInfo file, string? email, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await SeedAsync(storage, file, email, output, error, cancellationToken);
        }
        catch (Exception ex) when (Unreachable(ex) is { } reason)
        {
            await error.WriteLineAsync($"alerts: cannot reach Azure Storage at {Where(storage)}: {reason}. Is Azurite running there (npx azurite --skipApiVersionCheck), or is the connection string right?");
            return 1;
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"alerts: the storage connection string is not valid: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Why storage could not be reached (connection refused, name not found), from the SDK's wrapped exceptions; null for other failures.</summary>
    private static string? Unreachable(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var current))
        {
            if (current is HttpRequestException or System.Net.Sockets.SocketException)
            {
                return current.Message;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return null;
    }

    /// <summary>The endpoint a connection string names, without its key: "Azurite (127.0.0.1:10000-10002)" or the table or blob endpoint or account.</summary>
    internal static string Where(string connectionString)
    {
        if (connectionString.Trim().Equals("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return "Azurite's default address (127.0.0.1:10000-10002)";
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.GetValueOrDefault("TableEndpoint") ?? parts.GetValueOrDefault("BlobEndpoint")
            ?? (parts.TryGetValue("AccountName", out var account) ? $"account {account}" : "the given connection string");
    }

    private static async Task<int> SeedAsync(string storage, FileInfo file, string? email, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Url, string Title)> feeds;
        try
        {
            feeds = FeedList.Read(file);
        }
        catch (Exception ex) when (ex is IOException or FeedParseException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"alerts: cannot read the feed list '{file.FullName}': {ex.Message}");
            return 1;
        }

        Subscriber? candidate = null;
        if (email is not null && SubscriptionService.Validate(new SubscribeRequest { Email = email, MinimumSeverity = "watch" }, out _, out candidate).Count > 0)
        {
            await error.WriteLineAsync($"alerts: '{email}' is not one valid email address.");
            return 1;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", storage)]).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddMetrics()
            .AddAlertsCore()
            .AddAlertsEmail();
        await using var provider = services.BuildServiceProvider();
        var time = provider.GetRequiredService<TimeProvider>();
        var result = await provider.GetRequiredService<FeedSeeder>().SeedAsync(feeds, localFiles: false, cancellationToken);
        foreach (var rejected in result.Rejected)
        {
            await error.WriteLineAsync($"alerts: skipped {rejected}: the Functions fetch http(s) feeds only (use `alerts run` for local files).");
        }

        var lists = await provider.GetRequiredService<KeywordListProvider>().GetAsync(cancellationToken); // seeds the defaults into an empty store
        await output.WriteLineAsync($"{result.Added} feeds added, {result.AlreadyPresent} already present; keyword lists: {string.Join(", ", lists.Versions)}.");
        if (candidate is not null)
        {
            var now = time.GetUtcNow();
            var created = await provider.GetRequiredService<ISubscriberStore>().TryAddAsync(candidate with { Status = SubscriberStatus.Active, CreatedAt = now, ConfirmedAt = now, DigestWatermark = now }, cancellationToken);
            await output.WriteLineAsync(created ? $"Subscriber {candidate.Email} added (active)." : $"Subscriber {candidate.Email} already present.");
        }

        return 0;
    }
}
