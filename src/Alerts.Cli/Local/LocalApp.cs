using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Alerts.Cli.Commands;
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

namespace Alerts.Cli.Local;

/// <summary>What <c>alerts run</c> and <c>alerts serve</c> are given: the inputs, the store, and how talkative to be.</summary>
internal sealed record LocalOptions(FileInfo? Feeds, FileInfo[] Lists, DirectoryInfo Store, DirectoryInfo Outbox, FileInfo? Config, bool Verbose, int Port = LocalApp.DefaultPort);

/// <summary>
/// The local composition that <c>alerts run</c> and <c>alerts serve</c> share: the inputs read and checked before the
/// store is touched (a bad file never leaves an empty store behind), the settings (defaults, then the settings file,
/// then environment variables), the embedded store, the services, the seeding of lists, feeds and subscribers, and the
/// cycle summary. Every failure is one line on standard error and exit code 1.
/// </summary>
internal sealed class LocalApp
{
    public const int DefaultPort = 7071;
    public const string LocalSubscriber = "you@alerts.localhost";

    private readonly IReadOnlyList<(string Name, string Document)> _lists;
    private readonly IReadOnlyList<(string Url, string Title)>? _feeds;

    private LocalApp(LocalOptions options, IConfigurationRoot configuration, SqliteStore journal, IReadOnlyList<(string Name, string Document)> lists, IReadOnlyList<(string Url, string Title)>? feeds)
    {
        Options = options;
        Configuration = configuration;
        Journal = journal;
        _lists = lists;
        _feeds = feeds;
    }

    public LocalOptions Options { get; }

    public IConfigurationRoot Configuration { get; }

    public SqliteStore Journal { get; }

    /// <summary>Where emails go, for the summary.</summary>
    public string EmailTarget => Configuration["Email:Provider"] == "SendGrid" ? "sent with SendGrid" : "written to " + Path.GetFullPath(Configuration["Email:OutboxFolder"]!);

    /// <summary>
    /// Reads the inputs, opens the store and runs <paramref name="body"/>; 1 after a one-line error when an input is
    /// wrong or the store cannot be used.
    /// </summary>
    public static async Task<int> RunAsync(LocalOptions options, TextWriter output, TextWriter error, Func<LocalApp, Task<int>> body)
    {
        // Inputs first: nothing is created until they are known to be good.
        var configuration = await ReadSettingsAsync(options, error);
        var lists = configuration is null ? null : await ReadListsAsync(options.Lists, error);
        IReadOnlyList<(string Url, string Title)>? feeds = null;
        if (configuration is null || lists is null || (options.Feeds is not null && (feeds = await ReadFeedsAsync(options.Feeds, error)) is null))
        {
            return 1;
        }

        SqliteStore journal;
        try
        {
            journal = new SqliteStore(options.Store.FullName, warning => error.WriteLine("alerts: warning: " + warning));
        }
        catch (Exception ex) when (ex is InvalidOperationException or StoreDamagedException)
        {
            await error.WriteLineAsync("alerts: " + ex.Message);
            return 1;
        }

        using (journal)
        {
            if (string.IsNullOrEmpty(configuration["Email:SigningKey"]))
            {
                configuration["Email:SigningKey"] = SigningKey(journal);
            }

            try
            {
                return await body(new LocalApp(options, configuration, journal, lists, feeds));
            }
            catch (StoreDamagedException ex)
            {
                await error.WriteLineAsync("alerts: " + ex.Message); // damage found while running: one line, exit 1
                return 1;
            }
        }
    }

    /// <summary>
    /// The services of the local pipeline over the embedded store. Logs go to standard error: errors only, every
    /// warning and progress message with --verbose (the command prints its own progress and summary), or as the
    /// settings' "Logging" section says.
    /// </summary>
    public IServiceCollection AddServices(IServiceCollection services, TextWriter error)
    {
        var configuration = Configuration;
        var verbose = Options.Verbose;
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b =>
        {
            b.ClearProviders()
                .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Error)
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddProvider(new WriterLoggerProvider(error));

            // The framework's own start-up and request lines are noise at a prompt, and a failed start is reported by
            // the command itself; --verbose shows them.
            b.AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Error).AddFilter("Microsoft.Extensions.Hosting", verbose ? LogLevel.Information : LogLevel.None);
        });

        return services.AddMetrics().AddAlertsCore().AddAlertsLocal(Journal);
    }

    /// <summary>Checks the settings, then makes the given lists live and adds the feeds and subscribers; false after one-line errors.</summary>
    public async Task<bool> PrepareAsync(IServiceProvider provider, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            ValidateOptions(provider);
            await SeedSubscribersAsync(provider, cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures.SelectMany(SplitFailure).Distinct(StringComparer.Ordinal))
            {
                await error.WriteLineAsync("alerts: invalid setting: " + failure);
            }

            return false;
        }

        var store = provider.GetRequiredService<IKeywordListStore>();
        foreach (var (name, document) in _lists)
        {
            var current = await store.GetAsync(name, cancellationToken);
            if (current?.Document != document)
            {
                await store.TrySaveAsync(name, document, current?.ETag, cancellationToken);
            }
        }

        if (_feeds is not null)
        {
            var result = await provider.GetRequiredService<FeedSeeder>().SeedAsync(_feeds, localFiles: true, cancellationToken);
            await output.WriteLineAsync($"{_feeds.Count} feeds in {Options.Feeds!.Name} ({result.Added} new).");
            foreach (var rejected in result.Rejected)
            {
                await error.WriteLineAsync($"alerts: skipped {rejected}: not an http(s) URL or a local file.");
            }
        }

        return true;
    }

    /// <summary>Every options class is built once, so that any invalid setting is reported before work starts.</summary>
    private static void ValidateOptions(IServiceProvider provider)
    {
        var failures = new List<string>();
        void Check<T>()
            where T : class
        {
            try
            {
                _ = provider.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException ex)
            {
                failures.AddRange(ex.Failures);
            }
        }

        Check<EmailOptions>();
        Check<Infrastructure.Email.EmailProviderOptions>();
        Check<Infrastructure.Email.SendGridOptions>();
        Check<IngestionOptions>();
        Check<ScoringOptions>();
        Check<Infrastructure.Http.FetcherOptions>();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("settings", typeof(LocalApp), failures);
        }
    }

    /// <summary>"DataAnnotation validation failed for 'EmailOptions' members: 'X' with the error: 'Y'.; …" as one line per error.</summary>
    private static IEnumerable<string> SplitFailure(string failure)
    {
        const string Prefix = "DataAnnotation validation failed for '";
        if (!failure.StartsWith(Prefix, StringComparison.Ordinal))
        {
            yield return failure;
            yield break;
        }

        var section = failure[Prefix.Length..failure.IndexOf('\'', Prefix.Length)].Replace("Options", "", StringComparison.Ordinal);
        var members = failure.IndexOf("members: '", StringComparison.Ordinal);
        var member = members < 0 ? "" : failure[(members + 10)..failure.IndexOf('\'', members + 10)];
        var at = failure.IndexOf("with the error: '", StringComparison.Ordinal);
        var message = at < 0 ? failure : failure[(at + 17)..].TrimEnd('.', '\'');
        yield return member.Length == 0 || message.Contains(':', StringComparison.Ordinal) ? message + "." : $"{section}:{member}: {message}.";
    }

    /// <summary>Defaults for a local run, then the settings file, then environment variables (e.g. SendGrid__ApiKey); null after a one-line error.</summary>
    private static async Task<IConfigurationRoot?> ReadSettingsAsync(LocalOptions options, TextWriter error)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:Provider"] = "Outbox",
            ["Email:OutboxFolder"] = options.Outbox.FullName,
            ["Email:FromAddress"] = "alerts@alerts.localhost",
            ["Email:PublicBaseUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://localhost:{options.Port}"),
            // The operator's own machine: feeds on a local test server are fine (private networks are not). Set
            // Fetcher__AllowLoopback=false to refuse them too, as the Functions app does by default.
            ["Fetcher:AllowLoopback"] = "true",
        });
        if (options.Config is { } file)
        {
            if (!file.Exists)
            {
                await error.WriteLineAsync($"alerts: cannot read the settings file {file.FullName}: it does not exist.");
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file.FullName), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                await error.WriteLineAsync($"alerts: the settings file {file.FullName} is not valid JSON: line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}");
                return null;
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"alerts: cannot read the settings file {file.FullName}: {ex.Message}");
                return null;
            }

            builder.AddJsonFile(file.FullName, optional: false);
        }

        builder.AddEnvironmentVariables();
        var configuration = builder.Build();
        if (!string.IsNullOrWhiteSpace(configuration["SendGrid:ApiKey"]) && options.Config is null)
        {
            configuration["Email:Provider"] = "SendGrid";
        }

        return configuration;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }

    private static async Task<IReadOnlyList<(string Name, string Document)>?> ReadListsAsync(FileInfo[] files, TextWriter error)
    {
        var lists = new List<(string, string)>();
        foreach (var file in files)
        {
            string document;
            try
            {
                document = await File.ReadAllTextAsync(file.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"alerts: cannot read '{file.FullName}': {ex.Message}");
                return null;
            }

            var (definition, errors) = KeywordListParser.TryParse(document);
            if (definition is null)
            {
                foreach (var e in errors)
                {
                    await error.WriteLineAsync($"{file.Name}:{e.Line}:{e.Column}: {e.Message}");
                }

                return null;
            }

            lists.Add((definition.Name, document));
        }

        return lists;
    }

    private static async Task<IReadOnlyList<(string Url, string Title)>?> ReadFeedsAsync(FileInfo file, TextWriter error)
    {
        try
        {
            return FeedList.Read(file);
        }
        catch (Exception ex) when (ex is IOException or FeedParseException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"alerts: cannot read the feed list '{file.FullName}': {ex.Message}");
            return null;
        }
    }

    /// <summary>A signing key made once per store, so that links in emails keep working across runs.</summary>
    private static string SigningKey(SqliteStore journal)
    {
        var settings = journal.Open<string>("settings", durable: true);
        if (settings.Find("signing-key") is { Length: > 0 } existing)
        {
            return existing;
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings.Put("signing-key", key);
        return key;
    }

    /// <summary>The subscribers of the settings file, or one local subscriber who gets every alert of severity watch or above.</summary>
    private async Task SeedSubscribersAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var requests = Configuration.GetSection("Subscribers").Get<List<SubscribeRequest>>() ?? [];
        if (requests.Count == 0)
        {
            requests.Add(new SubscribeRequest { Email = LocalSubscriber, Name = "Local", TimeZone = TimeZoneInfo.Local.Id == "Local" ? "UTC" : TimeZoneInfo.Local.Id, MinimumSeverity = "watch", Frequency = "daily", ImmediateCritical = true });
        }

        var store = provider.GetRequiredService<ISubscriberStore>();
        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow();
        var failures = new List<string>();
        var valid = new List<Subscriber>();
        foreach (var request in requests)
        {
            var errors = SubscriptionService.Validate(request, out _, out var subscriber);
            failures.AddRange(errors.Select(e => $"Subscribers: {request.Email}: {e.Key}: {string.Join(" ", e.Value)}"));
            if (errors.Count == 0)
            {
                valid.Add(subscriber!);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Subscribers", typeof(SubscribeRequest), failures);
        }

        foreach (var subscriber in valid)
        {
            // The operator configured them: active at once, and their first digest covers everything found so far.
            await store.TryAddAsync(subscriber with { Status = SubscriberStatus.Active, CreatedAt = now, ConfirmedAt = now, DigestWatermark = DateTimeOffset.MinValue }, cancellationToken);
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

    /// <summary>The summary of one cycle, a few aligned lines.</summary>
    public async Task WriteSummaryAsync(TextWriter output, CycleSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var alerts = string.Join("  ", new[] { Severity.Critical, Severity.Warning, Severity.Watch }.Select(v => $"{v.ToString().ToLowerInvariant()} {s.NewAlerts.GetValueOrDefault(v)}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            Feeds         fetched {s.Fetched}  not modified {s.NotModified}  failed {s.Failed}  (due {s.FeedsDue})
            Articles      new {s.NewArticles}  scored {s.Scored}
            New alerts    {alerts}
            Emails        breaking {s.BreakingEmails}  digests {s.DigestEmails}  refused {s.EmailsRefused}  waiting {s.EmailsWaiting}  ({EmailTarget})
            """));
        if (s.Slowest is { } slowest && s.Fetched + s.NotModified + s.Failed > 1)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Slowest feed  {slowest.Feed} ({slowest.Took.TotalSeconds:0.0} s)"));
        }

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
