using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using Alerts.Core.Subscriptions;
using Alerts.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Alerts.Cli.Tests.Chaos;

/// <summary>
/// <c>alerts run</c> as a real process, killed with SIGKILL at random moments (some the instant an email file is being
/// written) while new feeds with critical and ordinary reports appear between runs; then left to run until the store
/// settles. Invariants: every item scored once, every critical story emailed exactly once to every matching subscriber
/// and never otherwise, digests not behind, nothing left claimed or queued. The seed is printed; set
/// ALERTS_CHAOS_SEED to replay a run.
/// </summary>
public sealed class RunChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rounds = 20;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    private static readonly (string Country, string City)[] Places =
    [
        ("Kazakhstan", "Almaty"), ("Sudan", "Khartoum"), ("Peru", "Lima"), ("Myanmar", "Yangon"), ("Bangladesh", "Dhaka"),
        ("Kenya", "Nairobi"), ("Senegal", "Dakar"), ("Bolivia", "La Paz"), ("Nepal", "Kathmandu"), ("Tunisia", "Tunis"),
    ];

    private readonly List<(string Url, bool Critical)> _items = [];
    private readonly ConcurrentDictionary<string, int> _emlWrites = new(StringComparer.Ordinal);
    private string _dir = null!;
    private FeedServer _feeds = null!;
    private FileSystemWatcher _watcher = null!;
    private TaskCompletionSource _sending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string Store => Path.Combine(_dir, "store");

    private string Outbox => Path.Combine(_dir, "outbox");

    private string FeedsFile => Path.Combine(_dir, "feeds.txt");

    private string Config => Path.Combine(_dir, "settings.json");

    private static readonly string[] Subscribers = ["all@chaos.example", "some@chaos.example", "digest@chaos.example"];

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("alerts-chaos-").FullName;
        Directory.CreateDirectory(Outbox);
        _feeds = await FeedServer.StartAsync();
        _watcher = new FileSystemWatcher(Outbox) { InternalBufferSize = 64 * 1024, IncludeSubdirectories = false };
        _watcher.Created += (_, e) =>
        {
            if (e.Name?.EndsWith(".tmp", StringComparison.Ordinal) == true)
            {
                _sending.TrySetResult();
            }
        };
        _watcher.Renamed += (_, e) =>
        {
            if (e.Name?.EndsWith(".eml", StringComparison.Ordinal) == true)
            {
                _emlWrites.AddOrUpdate(e.Name, 1, (_, n) => n + 1);
            }
        };
        _watcher.EnableRaisingEvents = true;
        await File.WriteAllTextAsync(Config, JsonSerializer.Serialize(new
        {
            Run = new { Interval = "00:00:01" },
            Ingestion = new { DefaultPollInterval = "00:01:00", MinPollInterval = "00:00:01", ArticleClaimLease = "00:00:03" },
            Scoring = new { BreakingClaimLease = "00:00:03" },
            // A short delivery lease, with the inline retries and channel posts it must cover (checked at start).
            Email = new { DeliveryLease = "00:00:10", MaxImmediatePerHour = 100, MaxAttempts = 2, MaxInlineWait = "00:00:02" },
            Channels = new { Timeout = "00:00:03" },
            Subscribers = new object[]
            {
                new { Email = Subscribers[0], TimeZone = "UTC", Frequency = "hourly", MinimumSeverity = "watch", ImmediateCritical = true },
                new { Email = Subscribers[1], TimeZone = "UTC", Frequency = "daily", MinimumSeverity = "warning", ImmediateCritical = true, Countries = new[] { "KE", "SD", "PE", "MM", "BD", "KZ" } },
                new { Email = Subscribers[2], TimeZone = "UTC", Frequency = "hourly", MinimumSeverity = "watch", ImmediateCritical = false },
            },
        }));
    }

    public async Task DisposeAsync()
    {
        _watcher.Dispose();
        await _feeds.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task KilledAtRandom_ManyTimes_NoAlertLostOrDoubled_NothingStuck()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("ALERTS_CHAOS_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        output.WriteLine($"Chaos seed {seed} (ALERTS_CHAOS_SEED={seed} replays it)");
        var random = new Random(seed);
        var kills = 0;
        var killsWhileSending = 0;
        var watch = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var critical = AddFeed(round, random);
            _sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var run = AlertsProcess.Start(Store, Outbox, FeedsFile, Config);
            var inSendWindow = critical && random.Next(3) > 0; // most rounds with a critical report: kill as its email is written
            var delay = Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 2500)));
            var trigger = inSendWindow ? await Task.WhenAny(_sending.Task, Task.Delay(TimeSpan.FromSeconds(6))) : await Task.WhenAny(delay);
            run.Kill();
            kills++;
            killsWhileSending += trigger == _sending.Task ? 1 : 0;
        }

        output.WriteLine($"{kills} SIGKILLs in {watch.Elapsed.TotalSeconds:F0} s ({killsWhileSending} the instant an email was being written), {_items.Count} items in {Rounds} feeds");

        // Then one run, left alone until the store settles (leases of killed processes run out, delayed messages come due).
        using (var last = AlertsProcess.Start(Store, Outbox, FeedsFile, Config))
        {
            var settled = Stopwatch.StartNew();
            string? problem;
            while ((problem = Unsettled()) is not null && settled.Elapsed < Settle)
            {
                await Task.Delay(1000);
            }

            last.Kill();
            output.WriteLine($"Settled after {settled.Elapsed.TotalSeconds:F0} s" + (problem is null ? "" : $" (not settled: {problem})"));
            Assert.True(problem is null, problem + "\n" + last.Log);
        }

        await Task.Delay(300); // the watcher's last events
        AssertInvariants();
    }

    /// <summary>A new feed with one to three items; true when one of them is critical.</summary>
    private bool AddFeed(int round, Random random)
    {
        var items = new StringBuilder();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var critical = i == 0 && round % 3 == 0;
            var (country, city) = Places[round / 3 % Places.Length];
            var url = $"https://chaos.example/{round}/{i}";
            var (title, body) = critical ? Critical(country, city, random) : Ordinary(city, random);
            items.Append(CultureInfo.InvariantCulture, $"<item><title>{SecurityElement.Escape(title)}</title><link>{url}</link><guid>{url}</guid><description>{SecurityElement.Escape(body)}</description></item>");
            _items.Add((url, critical));
        }

        _feeds.Feed($"wire{round}", $"<rss version=\"2.0\"><channel><title>Wire {round}</title>{items}</channel></rss>", etag: $"\"r{round}\"");
        File.AppendAllText(FeedsFile, _feeds.Url($"wire{round}").AbsoluteUri + "\n");
        return round % 3 == 0;
    }

    /// <summary>
    /// Reports of escalation written for this test, each in its own words so that they make separate stories: troops
    /// firing on crowds, deaths, emergencies, curfews, shutdowns, arrests, a coup.
    /// </summary>
    private static (string Title, string Body) Critical(string country, string city, Random random)
    {
        var dead = random.Next(12, 90);
        return random.Next(4) switch
        {
            0 => ($"{country}: state of emergency declared after soldiers opened fire on protesters in {city}",
                $"Soldiers opened fire on crowds of protesters in {city}, killing at least {dead} people. The government of {country} declared a state of emergency and imposed a nationwide curfew."),
            1 => ($"Army seizes power in {country} in a coup; curfew imposed in {city}",
                $"Military officers staged a coup d'etat in {country} overnight and detained the president. A dusk-to-dawn curfew was ordered in {city}, and {dead} people were reported killed in clashes."),
            2 => ($"Internet shut down across {country} as police fire live ammunition in {city}",
                $"Authorities in {country} cut internet access nationwide after police fired live ammunition at marchers in {city}; hospitals counted {dead} dead. Martial law was declared in three provinces."),
            _ => ($"Hundreds arrested and {dead} killed as {country} imposes martial law",
                $"Security forces in {city} arrested more than 400 opposition supporters and shot dead {dead} demonstrators. {country} placed the capital under martial law and suspended mobile networks."),
        };
    }

    private static (string Title, string Body) Ordinary(string city, Random random) =>
        ($"Market day {random.Next(1000)} in {city}", $"Traders in {city} reported steady prices for rice and vegetables. The weather was mild and the harbour opened on time.");

    /// <summary>Null once the store has settled; else what is still open.</summary>
    private string? Unsettled()
    {
        var state = StoreState.Read(Path.Combine(Store, "alerts.db"));
        if (state is null)
        {
            return "no store yet";
        }

        if (state.Queued > 0)
        {
            return $"{state.Queued} messages queued";
        }

        if (state.ClaimedDeliveries.Count > 0)
        {
            return $"deliveries still claimed: {string.Join(", ", state.ClaimedDeliveries)}";
        }

        var missing = _items.Where(i => !state.ScoredUrls.ContainsKey(i.Url)).Select(i => i.Url).ToList();
        if (missing.Count > 0)
        {
            return $"{missing.Count} items not scored yet ({missing[0]})";
        }

        var absent = ExpectedBreaking(state).Where(f => !File.Exists(Path.Combine(Outbox, f))).ToList();
        return absent.Count > 0 ? $"{absent.Count} breaking emails not written yet ({absent[0]})" : null;
    }

    private static IEnumerable<string> ExpectedBreaking(StoreState state)
    {
        foreach (var (story, countries) in state.CriticalStories)
        {
            yield return EmlName(Subscribers[0], story);
            if (countries.Any(c => c is "KE" or "SD" or "PE" or "MM" or "BD" or "KZ"))
            {
                yield return EmlName(Subscribers[1], story);
            }
        }
    }

    private static string EmlName(string email, string storyId) =>
        string.Concat($"{Subscriber.IdForEmail(email)}/breaking:{storyId}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')) + ".eml";

    private void AssertInvariants()
    {
        var state = StoreState.Read(Path.Combine(Store, "alerts.db"))!;

        // Every item scored once: one scored article per item, none for anything else.
        Assert.Equal(_items.Select(i => i.Url).Order(StringComparer.Ordinal), state.ScoredUrls.Keys.Order(StringComparer.Ordinal));
        Assert.All(state.ScoredUrls, kv => Assert.Equal(1, kv.Value));

        // Every critical item is in a critical story; every critical story emailed exactly once to each matching subscriber.
        Assert.NotEmpty(state.CriticalStories);
        Assert.All(_items.Where(i => i.Critical), i => Assert.Contains(state.ScoredStory[i.Url], state.CriticalStories.Keys));
        var expected = ExpectedBreaking(state).Order(StringComparer.Ordinal).ToList();
        var written = Directory.GetFiles(Outbox, "*breaking*.eml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, written);
        Assert.All(expected, f => Assert.Equal(1, _emlWrites.GetValueOrDefault(f!)));
        Assert.All(Directory.GetFiles(Outbox, "*.eml"), f => Assert.True(new FileInfo(f).Length > 200, f + " is not a whole email"));

        // Digests: written once each, and nobody's digest is behind its schedule.
        Assert.All(_emlWrites.Where(kv => kv.Key.Contains("_digest_", StringComparison.Ordinal)), kv => Assert.Equal(1, kv.Value));
        Assert.Empty(state.ClaimedDeliveries);
        Assert.Equal(0, state.Queued);
        output.WriteLine($"Invariants hold: {state.ScoredUrls.Count} items scored once, {state.CriticalStories.Count} critical stories, {expected.Count} breaking emails each written once, {_emlWrites.Count(kv => kv.Key.Contains("_digest_", StringComparison.Ordinal))} digests, nothing queued or claimed");
    }

    /// <summary>What the store holds, read with SQLite (read-only) while or after a run writes it.</summary>
    private sealed record StoreState(int Queued, List<string> ClaimedDeliveries, Dictionary<string, int> ScoredUrls, Dictionary<string, string> ScoredStory, Dictionary<string, string[]> CriticalStories)
    {
        public static StoreState? Read(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            var state = new StoreState(0, [], new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            var queued = 0;
            using var command = connection.CreateCommand();
            command.CommandText = string.Join(" UNION ALL ", new[] { "queue", "deliveries", "scoredarticles", "alerts" }.Select(c => $"SELECT '{c}', key, json FROM c_{c}"));
            try
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    using var json = JsonDocument.Parse(reader.GetString(2));
                    var root = json.RootElement;
                    switch (reader.GetString(0))
                    {
                        case "queue":
                            queued++;
                            break;
                        case "deliveries" when Is(root, "state", "sending", 0) && !Get(root, "kind").Equals("confirmation", StringComparison.OrdinalIgnoreCase):
                            state.ClaimedDeliveries.Add(reader.GetString(1));
                            break;
                        case "scoredarticles":
                            var url = Get(root, "url");
                            state.ScoredUrls[url] = state.ScoredUrls.GetValueOrDefault(url) + 1;
                            state.ScoredStory[url] = Get(root, "storyId");
                            break;
                        case "alerts":
                            var alert = root.GetProperty("alert");
                            if (Is(alert, "severity", "critical", 3))
                            {
                                state.CriticalStories[Get(alert, "storyId")] = [.. alert.GetProperty("countries").EnumerateArray().Select(c => c.GetString()!)];
                            }

                            break;
                        default:
                            break;
                    }
                }
            }
            catch (SqliteException)
            {
                return null; // the table is being created
            }

            return state with { Queued = queued };
        }

        private static string Get(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.ToString() : "";

        private static bool Is(JsonElement element, string name, string text, int number) =>
            element.TryGetProperty(name, out var value) && (value.ValueKind == JsonValueKind.Number ? value.GetInt32() == number : string.Equals(value.GetString(), text, StringComparison.OrdinalIgnoreCase));
    }
}
