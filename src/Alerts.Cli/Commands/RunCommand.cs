using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Alerts.Core;
using Alerts.Core.Digests;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts run [--once] [--feeds FILE] [--lists FILE]... [--store DIR] [--outbox DIR] [--config FILE]</c>: the whole
/// pipeline in one process with no Azure, over an embedded SQLite store; see README "Run it anywhere".
/// </summary>
internal static class RunCommand
{
    public const string LocalSubscriber = "you@alerts.localhost";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var once = new Option<bool>("--once") { Description = "Run one full cycle (every digest counts as due at its end) and exit." };
        var feeds = new Option<FileInfo?>("--feeds") { Description = "An OPML file, or a text file of feed URLs and local file paths (one per line)." };
        var lists = new Option<FileInfo[]>("--lists") { Description = "A keyword-list file to make live (repeatable). Default: the built-in lists." };
        var store = new Option<DirectoryInfo>("--store") { Description = "Folder of the embedded store.", DefaultValueFactory = _ => new DirectoryInfo(".alerts") };
        var outbox = new Option<DirectoryInfo>("--outbox") { Description = "Folder the outbox sender writes .eml and .html files to.", DefaultValueFactory = _ => new DirectoryInfo("outbox") };
        var config = new Option<FileInfo?>("--config") { Description = "A JSON settings file (same sections as the app settings, plus \"Subscribers\")." };
        var command = new Command("run", "Run the whole pipeline locally: fetch, score, alert, send.") { once, feeds, lists, store, outbox, config };
        command.SetAction((parse, ct) => RunAsync(
            new RunOptions(parse.GetValue(once), parse.GetValue(feeds), parse.GetValue(lists) ?? [], parse.GetValue(store)!, parse.GetValue(outbox)!, parse.GetValue(config)),
            output, error, ct));
        return command;
    }

    internal sealed record RunOptions(bool Once, FileInfo? Feeds, FileInfo[] Lists, DirectoryInfo Store, DirectoryInfo Outbox, FileInfo? Config);

    private static Task<int> RunAsync(RunOptions run, TextWriter output, TextWriter error, CancellationToken stopping) =>
        WithStoreAsync(run, error, (journal, configuration) => RunCyclesAsync(run, journal, configuration, output, error, stopping));

    private static async Task<int> RunCyclesAsync(RunOptions run, SqliteJournal journal, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging(b => b.AddConfiguration(configuration.GetSection("Logging")).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning))
            .AddMetrics()
            .AddAlertsCore()
            .AddAlertsLocal(journal);
        await using var provider = services.BuildServiceProvider();
        try
        {
            ValidateOptions(provider);
            if (!await SeedListsAsync(provider, run.Lists, error, stopping))
            {
                return 1;
            }

            if (run.Feeds is not null && !await SeedFeedsAsync(provider, run.Feeds, output, error, stopping))
            {
                return 1;
            }

            await SeedSubscribersAsync(provider, configuration, stopping);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync("alerts: invalid settings: " + ex.Message);
            return 1;
        }

        var pipeline = provider.GetRequiredService<LocalPipeline>();
        var progress = new LineProgress(error);
        var interval = configuration.GetValue("Run:Interval", TimeSpan.FromMinutes(1));
        var emailTarget = configuration["Email:Provider"] == "SendGrid" ? "sent with SendGrid" : "written to " + Path.GetFullPath(configuration["Email:OutboxFolder"]!);
        do
        {
            await error.WriteLineAsync($"Cycle at {provider.GetRequiredService<TimeProvider>().GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
            var summary = await pipeline.RunCycleAsync(run.Once, progress, stopping);
            await WriteSummaryAsync(output, summary, emailTarget);
            if (run.Once || stopping.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(interval, provider.GetRequiredService<TimeProvider>(), stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        while (!stopping.IsCancellationRequested);

        if (stopping.IsCancellationRequested)
        {
            await error.WriteLineAsync("Stopped; anything not yet handled stays queued in " + run.Store.FullName + " for the next run.");
        }

        return 0;
    }

    /// <summary>
    /// Opens the embedded store (one process at a time) and builds the settings, reporting either failure; runs
    /// <paramref name="body"/> with both and closes the store after it.
    /// </summary>
    internal static async Task<int> WithStoreAsync(RunOptions run, TextWriter error, Func<SqliteJournal, IConfiguration, Task<int>> body)
    {
        SqliteJournal journal;
        try
        {
            journal = new SqliteJournal(run.Store.FullName, warning => error.WriteLine("alerts: warning: " + warning));
        }
        catch (Exception ex) when (ex is InvalidOperationException or StoreDamagedException)
        {
            await error.WriteLineAsync("alerts: " + ex.Message);
            return 1;
        }

        using (journal)
        {
            try
            {
                var configuration = Configuration(run, journal);
                if (configuration is null)
                {
                    await error.WriteLineAsync($"alerts: cannot read the settings file {run.Config!.FullName}.");
                    return 1;
                }

                return await body(journal, configuration);
            }
            catch (StoreDamagedException ex)
            {
                await error.WriteLineAsync("alerts: " + ex.Message); // damage found while running: one line, exit 1
                return 1;
            }
        }
    }

    /// <summary>Defaults for a local run, then the settings file, then environment variables (e.g. SendGrid__ApiKey).</summary>
    private static IConfiguration? Configuration(RunOptions run, SqliteJournal journal)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:Provider"] = "Outbox",
            ["Email:OutboxFolder"] = run.Outbox.FullName,
            ["Email:FromAddress"] = "alerts@alerts.localhost",
            ["Email:PublicBaseUrl"] = "http://localhost:7071",
            ["Email:SigningKey"] = SigningKey(journal),
            ["Fetcher:AllowLoopback"] = "true", // the operator's own machine: local test servers are fine, private networks are not
        });
        if (run.Config is not null)
        {
            if (!run.Config.Exists)
            {
                return null;
            }

            builder.AddJsonFile(run.Config.FullName, optional: false);
        }

        builder.AddEnvironmentVariables();
        var configuration = builder.Build();
        if (!string.IsNullOrWhiteSpace(configuration["SendGrid:ApiKey"]) && run.Config is null)
        {
            configuration["Email:Provider"] = "SendGrid";
        }

        return configuration;
    }

    /// <summary>A signing key made once per store, so that links in emails keep working across runs.</summary>
    private static string SigningKey(SqliteJournal journal)
    {
        if (journal.Load("settings").FirstOrDefault(s => s.Key == "signing-key") is { Json: { Length: > 0 } json })
        {
            return System.Text.Json.JsonSerializer.Deserialize<string>(json)!;
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        journal.Save("settings", "signing-key", System.Text.Json.JsonSerializer.Serialize(key));
        return key;
    }

    internal static void ValidateOptions(IServiceProvider provider)
    {
        _ = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<Infrastructure.Email.EmailProviderOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<Infrastructure.Email.SendGridOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<IngestionOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<ScoringOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<Infrastructure.Http.FetcherOptions>>().Value;
    }

    internal static async Task<bool> SeedListsAsync(IServiceProvider provider, FileInfo[] files, TextWriter error, CancellationToken cancellationToken)
    {
        var store = provider.GetRequiredService<IKeywordListStore>();
        foreach (var file in files)
        {
            string document;
            try
            {
                document = await File.ReadAllTextAsync(file.FullName, cancellationToken);
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"alerts: cannot read '{file.FullName}': {ex.Message}");
                return false;
            }

            var (definition, errors) = KeywordListParser.TryParse(document);
            if (definition is null)
            {
                foreach (var e in errors)
                {
                    await error.WriteLineAsync($"{file.Name}:{e.Line}:{e.Column}: {e.Message}");
                }

                return false;
            }

            var current = await store.GetAsync(definition.Name, cancellationToken);
            if (current?.Document != document)
            {
                await store.TrySaveAsync(definition.Name, document, current?.ETag, cancellationToken);
            }
        }

        return true;
    }

    internal static async Task<bool> SeedFeedsAsync(IServiceProvider provider, FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Url, string Title)> feeds;
        try
        {
            feeds = FeedList.Read(file);
        }
        catch (Exception ex) when (ex is IOException or FeedParseException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"alerts: cannot read the feed list '{file.FullName}': {ex.Message}");
            return false;
        }

        var result = await provider.GetRequiredService<FeedSeeder>().SeedAsync(feeds, localFiles: true, cancellationToken);
        await output.WriteLineAsync($"{feeds.Count} feeds in {file.Name} ({result.Added} new).");
        foreach (var rejected in result.Rejected)
        {
            await error.WriteLineAsync($"alerts: skipped {rejected}: not an http(s) URL or a local file.");
        }

        return true;
    }

    /// <summary>The subscribers of the settings file, or one local subscriber who gets every alert of severity watch or above.</summary>
    internal static async Task SeedSubscribersAsync(IServiceProvider provider, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var requests = configuration.GetSection("Subscribers").Get<List<SubscribeRequest>>() ?? [];
        if (requests.Count == 0)
        {
            requests.Add(new SubscribeRequest { Email = LocalSubscriber, Name = "Local", TimeZone = TimeZoneInfo.Local.Id == "Local" ? "UTC" : TimeZoneInfo.Local.Id, MinimumSeverity = "watch", Frequency = "daily", ImmediateCritical = true });
        }

        var store = provider.GetRequiredService<ISubscriberStore>();
        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var request in requests)
        {
            var errors = SubscriptionService.Validate(request, out _, out var subscriber);
            if (errors.Count > 0)
            {
                throw new OptionsValidationException("Subscribers", typeof(SubscribeRequest), [.. errors.Select(e => $"Subscribers: {request.Email}: {e.Key}: {string.Join(" ", e.Value)}")]);
            }

            // The operator configured them: active at once, and their first digest covers everything found so far.
            await store.TryAddAsync(subscriber! with { Status = SubscriberStatus.Active, CreatedAt = now, ConfirmedAt = now, DigestWatermark = DateTimeOffset.MinValue }, cancellationToken);
        }
    }

    /// <summary>Progress lines written at once, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    internal sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (writer)
            {
                writer.WriteLine("  " + value);
            }
        }
    }

    internal static async Task WriteSummaryAsync(TextWriter output, CycleSummary s, string emailTarget)
    {
        var alerts = string.Join("  ", new[] { Severity.Critical, Severity.Warning, Severity.Watch }.Select(v => $"{v.ToString().ToLowerInvariant()} {s.NewAlerts.GetValueOrDefault(v)}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            Feeds         fetched {s.Fetched}  not modified {s.NotModified}  failed {s.Failed}  (due {s.FeedsDue})
            Articles      new {s.NewArticles}  scored {s.Scored}
            New alerts    {alerts}
            Emails        breaking {s.BreakingEmails}  digests {s.DigestEmails}  refused {s.EmailsRefused}  waiting {s.EmailsWaiting}  ({emailTarget})
            """));
        foreach (var failure in s.Failures)
        {
            await output.WriteLineAsync("Failed feed   " + failure);
        }

        if (s.Interrupted)
        {
            await output.WriteLineAsync("Interrupted   the rest stays queued for the next run");
        }
    }
}
