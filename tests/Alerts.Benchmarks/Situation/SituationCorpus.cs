using System.Diagnostics;
using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using Alerts.Testing;
using Microsoft.Data.Sqlite;

namespace Alerts.Benchmarks.Situation;

/// <summary>
/// An archive of generated news (<see cref="NewsCorpus"/>: skewed vocabulary, names and countries; one article in ten
/// reports a signal) spread evenly over the 90 days before <see cref="Now"/>, written through the product's own stores
/// into an embedded store, with its hours and days rolled up, and the same entries in a SQLite FTS5 table (the
/// baseline a user of SQLite would pick). Built once per size into a folder under the temp directory and reused.
/// </summary>
public static class SituationCorpus
{
    public static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    public const int Days = 90;

    public static string Folder(int articles) => Path.Combine(Path.GetTempPath(), $"alerts-situation-bench-{articles}");

    public static string FtsPath(int articles) => Path.Combine(Folder(articles), "fts.db");

    /// <summary>The folder of the embedded store holding <paramref name="articles"/> archived articles, built if missing.</summary>
    public static async Task<string> EnsureAsync(int articles)
    {
        var folder = Folder(articles);
        var done = Path.Combine(folder, "complete");
        if (File.Exists(done))
        {
            return folder;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        using (var store = new SqliteStore(folder, groupTime: Timeout.InfiniteTimeSpan))
        using (var fts = new SqliteConnection($"Data Source={FtsPath(articles)};Pooling=False"))
        {
            fts.Open();
            Execute(fts, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; CREATE VIRTUAL TABLE articles USING fts5(words, tags, key UNINDEXED, day UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');");
            var archive = new InMemoryArchiveStore(store);
            var activity = new InMemoryActivityStore(store);
            var corpus = new NewsCorpus(20261205);
            var random = new Random(7);
            var start = Now.AddDays(-Days);
            var step = TimeSpan.FromDays(Days).Ticks / articles;
            var hour = new List<ArchiveEntry>();
            var hours = new List<ActivityPeriod>();
            var transaction = fts.BeginTransaction();
            using var insert = fts.CreateCommand();
            insert.CommandText = "INSERT INTO articles (rowid, words, tags, key, day) VALUES ($id, $words, $tags, $key, $day)";
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var words = insert.Parameters.Add("$words", SqliteType.Text);
            var tags = insert.Parameters.Add("$tags", SqliteType.Text);
            var key = insert.Parameters.Add("$key", SqliteType.Text);
            var day = insert.Parameters.Add("$day", SqliteType.Text);
            for (var i = 0; i < articles; i++)
            {
                var entry = Entry(corpus.Next(), i, start.AddTicks(step * i), random);
                var tokens = ArchiveTokens.Of(entry);
                await archive.AddAsync(entry, tokens, default);
                (id.Value, words.Value, tags.Value, key.Value, day.Value) = (i + 1, entry.Title + "\n" + entry.Lead, string.Join(' ', tokens.Where(t => t.Contains(':', StringComparison.Ordinal)).Select(FtsTag)), entry.Key, entry.Day);
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
                if (hour.Count > 0 && ActivityPeriod.HourOf(entry.ReadAt) != ActivityPeriod.HourOf(hour[0].ReadAt))
                {
                    hours.Add(await RollAsync(activity, hour));
                    hour.Clear();
                }

                hour.Add(entry);
                if ((i + 1) % 100_000 == 0)
                {
                    transaction.Commit();
                    transaction = fts.BeginTransaction();
                    Console.WriteLine($"// situation corpus: {i + 1:N0} of {articles:N0} articles in {clock.Elapsed.TotalSeconds:0} s");
                }
            }

            hours.Add(await RollAsync(activity, hour));
            await SumDaysAsync(activity, hours);
            transaction.Commit();
            transaction.Dispose();
            store.Flush();
        }

        await File.WriteAllTextAsync(done, $"{articles} articles, built in {clock.Elapsed.TotalSeconds:0} s");
        Console.WriteLine($"// situation corpus: {articles:N0} articles built in {clock.Elapsed.TotalSeconds:0} s; store {new FileInfo(Path.Combine(folder, SqliteStore.FileName)).Length / 1e6:N0} MB, FTS5 {new FileInfo(FtsPath(articles)).Length / 1e6:N0} MB");
        return folder;
    }

    /// <summary>The hours and days of the corpus, for a store that holds only roll-ups (Azurite: the map never reads an article).</summary>
    public static async Task CopyActivityAsync(IActivityStore from, IActivityStore to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        foreach (var span in new[] { ActivitySpan.Hour, ActivitySpan.Day })
        {
            foreach (var period in await from.ListAsync(span, Now.AddDays(-Days - 1), Now.AddDays(1), default))
            {
                await to.PutAsync(period, default);
            }
        }
    }

    /// <summary>An FTS5-safe form of a tag ("c:kz" → "c_kz", "r:central-asia" → "r_central_asia").</summary>
    public static string FtsTag(string tag) => tag.Replace(':', '_').Replace('-', '_');

    private static ArchiveEntry Entry(NewsCorpus.Report report, int i, DateTimeOffset at, Random random)
    {
        var severity = report.Signals.Length == 0 ? Severity.None : (Severity)(1 + random.Next(3));
        var country = Core.Places.Gazetteer.Default.Countries[report.Country];
        return new ArchiveEntry
        {
            ArticleId = i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
            FeedId = "f" + (i % 2000),
            Title = report.Title,
            Lead = report.Lead,
            Url = $"https://outlet{i % 500}.example/{i}",
            ReadAt = at,
            Severity = severity,
            Signals = report.Signals,
            Countries = [report.Country],
            Regions = [country.SubRegion, country.Region],
            Language = "en",
        };
    }

    private static async Task<ActivityPeriod> RollAsync(InMemoryActivityStore activity, List<ArchiveEntry> entries)
    {
        var period = ActivityPeriod.FromEntries(ActivityPeriod.HourOf(entries[0].ReadAt), entries) with { TrendsChecked = true };
        await activity.PutAsync(period, default);
        return period;
    }

    private static async Task SumDaysAsync(InMemoryActivityStore activity, List<ActivityPeriod> hours)
    {
        foreach (var day in hours.GroupBy(h => ActivityPeriod.DayOf(h.Start)))
        {
            await activity.PutAsync(ActivityPeriod.Sum(day.Key, [.. day]), default);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
