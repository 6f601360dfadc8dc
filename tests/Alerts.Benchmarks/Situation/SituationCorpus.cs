using System.Diagnostics;
using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using Alerts.Testing;

namespace Alerts.Benchmarks.Situation;

/// <summary>
/// An archive of generated news (<see cref="NewsCorpus"/>: skewed vocabulary, names and countries; one article in ten
/// reports a signal) spread evenly over the 90 days before <see cref="Now"/>, written into one embedded store twice:
/// through the day-partitioned word index (<see cref="InMemoryArchiveStore"/>, the Azure table's layout) with its hours
/// and days rolled up, then through the embedded store's own FTS5 archive (<see cref="SqliteArchiveStore"/>). Built once
/// per size into a folder under the temp directory and reused.
/// </summary>
public static class SituationCorpus
{
    public static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    public const int Days = 90;

    public static string Folder(int articles) => Path.Combine(Path.GetTempPath(), $"alerts-situation-bench-{articles}");

    /// <summary>The folder of the embedded store holding <paramref name="articles"/> archived articles, built if missing.</summary>
    public static async Task<string> EnsureAsync(int articles)
    {
        var folder = Folder(articles);
        var done = Path.Combine(folder, "complete");
        if (File.Exists(done))
        {
            await EnsureFullTextAsync(folder, articles);
            return folder;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        using (var store = new SqliteStore(folder, groupTime: Timeout.InfiniteTimeSpan))
        {
            var archive = new InMemoryArchiveStore(store);
            var activity = new InMemoryActivityStore(store);
            var hour = new List<ArchiveEntry>();
            var hours = new List<ActivityPeriod>();
            var i = 0;
            foreach (var entry in Entries(articles))
            {
                await archive.AddAsync(entry, ArchiveTokens.Of(entry), default);
                if (hour.Count > 0 && ActivityPeriod.HourOf(entry.ReadAt) != ActivityPeriod.HourOf(hour[0].ReadAt))
                {
                    hours.Add(await RollAsync(activity, hour));
                    hour.Clear();
                }

                hour.Add(entry);
                if (++i % 100_000 == 0)
                {
                    Console.WriteLine($"// situation corpus: {i:N0} of {articles:N0} articles in the day index in {clock.Elapsed.TotalSeconds:0} s");
                }
            }

            hours.Add(await RollAsync(activity, hour));
            await SumDaysAsync(activity, hours);
            store.Flush();
        }

        await File.WriteAllTextAsync(done, $"{articles} articles, built in {clock.Elapsed.TotalSeconds:0} s");
        Console.WriteLine($"// situation corpus: {articles:N0} articles in the day index and roll-ups in {clock.Elapsed.TotalSeconds:0} s; store {new FileInfo(Path.Combine(folder, SqliteStore.FileName)).Length / 1e6:N0} MB");
        await EnsureFullTextAsync(folder, articles);
        return folder;
    }

    /// <summary>The same entries through the embedded store's FTS5 archive, added to the store once.</summary>
    private static async Task EnsureFullTextAsync(string folder, int articles)
    {
        var done = Path.Combine(folder, "complete-fts5");
        if (File.Exists(done))
        {
            return;
        }

        File.Delete(Path.Combine(folder, "fts.db")); // an earlier layout of this corpus kept a baseline there
        var before = new FileInfo(Path.Combine(folder, SqliteStore.FileName)).Length;
        var clock = Stopwatch.StartNew();
        using (var store = new SqliteStore(folder, groupTime: Timeout.InfiniteTimeSpan))
        {
            var archive = new SqliteArchiveStore(store);
            var i = 0;
            foreach (var entry in Entries(articles))
            {
                await archive.AddAsync(entry, ArchiveTokens.Of(entry), default);
                if (++i % 100_000 == 0)
                {
                    Console.WriteLine($"// situation corpus: {i:N0} of {articles:N0} articles in FTS5 in {clock.Elapsed.TotalSeconds:0} s");
                }
            }

            store.Flush();
        }

        var after = new FileInfo(Path.Combine(folder, SqliteStore.FileName)).Length;
        await File.WriteAllTextAsync(done, $"{articles} articles in FTS5 in {clock.Elapsed.TotalSeconds:0} s, {(after - before) / 1e6:N0} MB");
        Console.WriteLine($"// situation corpus: {articles:N0} articles in FTS5 in {clock.Elapsed.TotalSeconds:0} s, {(after - before) / 1e6:N0} MB more");
    }

    /// <summary>The corpus's entries, oldest first, the same on every call.</summary>
    private static IEnumerable<ArchiveEntry> Entries(int articles)
    {
        var corpus = new NewsCorpus(20261205);
        var random = new Random(7);
        var start = Now.AddDays(-Days);
        var step = TimeSpan.FromDays(Days).Ticks / articles;
        for (var i = 0; i < articles; i++)
        {
            yield return Entry(corpus.Next(), i, start.AddTicks(step * i), random);
        }
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
}
