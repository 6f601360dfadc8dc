using Alerts.Core.Scoring;

namespace Alerts.Core.Situation;

/// <summary>Hours or days.</summary>
public enum ActivitySpan
{
    Hour,
    Day,
}

/// <summary>A place named by articles of a period: where the map puts a marker.</summary>
public sealed record PlaceActivity(string Name, string Division, double? Latitude, double? Longitude, int Articles, Severity MaxSeverity);

/// <summary>A surge or silence found in the reporting on a country, with its evidence; <see cref="AlertId"/> is the alert it raised.</summary>
public sealed record TrendFlag(string Country, Trends.TrendKind Kind, DateTimeOffset Hour, int Observed, double Expected, string Evidence, string AlertId);

/// <summary>What was published about one country in one period.</summary>
public sealed record CountryActivity
{
    /// <summary>Places per country kept per period, the most named first.</summary>
    public const int MaxPlaces = 12;

    /// <summary>Feeds and sources per country kept per period, the most productive first.</summary>
    public const int MaxSources = 40;

    public int Articles { get; init; }
    public int Watch { get; init; }
    public int Warning { get; init; }
    public int Critical { get; init; }

    /// <summary>Distinct publishers: exact for an hour; for a day the union of its hours' lists (a lower bound past <see cref="MaxSources"/> an hour).</summary>
    public int SourceCount { get; init; }
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Articles per signal.</summary>
    public IReadOnlyDictionary<string, int> Signals { get; init; } = new Dictionary<string, int>();

    /// <summary>Articles per feed id, the most productive <see cref="MaxSources"/>.</summary>
    public IReadOnlyDictionary<string, int> Feeds { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<PlaceActivity> Places { get; init; } = [];

    public Severity MaxSeverity => Critical > 0 ? Severity.Critical : Warning > 0 ? Severity.Warning : Watch > 0 ? Severity.Watch : Severity.None;
}

/// <summary>
/// One hour or day of activity: articles read in all, and per country what was published and how severe. Computed from
/// the archive's entries (hours) and from the hours (days), so recomputing gives the same record: safe to run twice.
/// </summary>
public sealed record ActivityPeriod
{
    public required ActivitySpan Span { get; init; }
    public required DateTimeOffset Start { get; init; }

    /// <summary>Every article read in the period, about a known country or not.</summary>
    public int Articles { get; init; }

    /// <summary>Per ISO code.</summary>
    public IReadOnlyDictionary<string, CountryActivity> Countries { get; init; } = new Dictionary<string, CountryActivity>();

    /// <summary>Surges and silences flagged at the end of this hour (for a day: of its hours).</summary>
    public IReadOnlyList<TrendFlag> Trends { get; init; } = [];

    /// <summary>Whether the hour has been checked for surges and silences (once, after it ended).</summary>
    public bool TrendsChecked { get; init; }

    public TimeSpan Length => Span == ActivitySpan.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    public static DateTimeOffset HourOf(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    public static DateTimeOffset DayOf(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerDay), TimeSpan.Zero);

    /// <summary>The hour starting at <paramref name="start"/> from its entries.</summary>
    public static ActivityPeriod FromEntries(DateTimeOffset start, IEnumerable<ArchiveEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var total = 0;
        var byCountry = new Dictionary<string, List<ArchiveEntry>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            total++;
            foreach (var code in entry.Countries.Take(3))
            {
                if (!byCountry.TryGetValue(code, out var list))
                {
                    byCountry[code] = list = [];
                }

                list.Add(entry);
            }
        }

        return new ActivityPeriod
        {
            Span = ActivitySpan.Hour,
            Start = start,
            Articles = total,
            Countries = byCountry.ToDictionary(kv => kv.Key, kv => Of(kv.Key, kv.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The day starting at <paramref name="start"/> from its hours.</summary>
    public static ActivityPeriod Sum(DateTimeOffset start, IReadOnlyList<ActivityPeriod> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var countries = new Dictionary<string, CountryActivity>(StringComparer.Ordinal);
        foreach (var code in hours.SelectMany(h => h.Countries.Keys).Distinct(StringComparer.Ordinal))
        {
            var parts = hours.Select(h => h.Countries.GetValueOrDefault(code)).OfType<CountryActivity>().ToList();
            var sources = parts.SelectMany(p => p.Sources).GroupBy(s => s, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
            countries[code] = new CountryActivity
            {
                Articles = parts.Sum(p => p.Articles),
                Watch = parts.Sum(p => p.Watch),
                Warning = parts.Sum(p => p.Warning),
                Critical = parts.Sum(p => p.Critical),
                SourceCount = Math.Max(sources.Count, parts.Count == 0 ? 0 : parts.Max(p => p.SourceCount)),
                Sources = [.. sources.Take(CountryActivity.MaxSources)],
                Signals = Add(parts.Select(p => p.Signals)),
                Feeds = Top(Add(parts.Select(p => p.Feeds)), CountryActivity.MaxSources),
                Places = [.. parts.SelectMany(p => p.Places)
                    .GroupBy(p => (p.Name, p.Division))
                    .Select(g => g.First() with { Articles = g.Sum(p => p.Articles), MaxSeverity = g.Max(p => p.MaxSeverity) })
                    .OrderByDescending(p => p.MaxSeverity).ThenByDescending(p => p.Articles).ThenBy(p => p.Name, StringComparer.Ordinal)
                    .Take(CountryActivity.MaxPlaces)],
            };
        }

        return new ActivityPeriod
        {
            Span = ActivitySpan.Day,
            Start = start,
            Articles = hours.Sum(h => h.Articles),
            Countries = countries,
            Trends = [.. hours.SelectMany(h => h.Trends)],
            TrendsChecked = true,
        };
    }

    private static CountryActivity Of(string code, List<ArchiveEntry> entries)
    {
        var sources = entries.GroupBy(e => e.Source, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        return new CountryActivity
        {
            Articles = entries.Count,
            Watch = entries.Count(e => e.Severity == Severity.Watch),
            Warning = entries.Count(e => e.Severity == Severity.Warning),
            Critical = entries.Count(e => e.Severity == Severity.Critical),
            SourceCount = sources.Count,
            Sources = [.. sources.Take(CountryActivity.MaxSources)],
            Signals = entries.SelectMany(e => e.Signals.Distinct(StringComparer.Ordinal)).GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Feeds = Top(entries.GroupBy(e => e.FeedId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), CountryActivity.MaxSources),
            Places = [.. entries.Where(e => e.Place is { } p && p.Country == code)
                .GroupBy(e => (e.Place!.Name, e.Place.Division))
                .Select(g => new PlaceActivity(g.Key.Name, g.Key.Division, g.First().Place!.Latitude, g.First().Place!.Longitude, g.Count(), g.Max(e => e.Severity)))
                .OrderByDescending(p => p.MaxSeverity).ThenByDescending(p => p.Articles).ThenBy(p => p.Name, StringComparer.Ordinal)
                .Take(CountryActivity.MaxPlaces)],
        };
    }

    private static Dictionary<string, int> Add(IEnumerable<IReadOnlyDictionary<string, int>> counts)
    {
        var sum = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in counts.SelectMany(c => c))
        {
            sum[key] = sum.GetValueOrDefault(key) + value;
        }

        return sum;
    }

    private static Dictionary<string, int> Top(Dictionary<string, int> counts, int n) =>
        counts.Count <= n ? counts : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(n).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}

/// <summary>Hours and days of activity (a table in production, one row per period).</summary>
public interface IActivityStore
{
    Task PutAsync(ActivityPeriod period, CancellationToken cancellationToken);

    Task<ActivityPeriod?> GetAsync(ActivitySpan span, DateTimeOffset start, CancellationToken cancellationToken);

    /// <summary>The periods starting in [<paramref name="from"/>, <paramref name="until"/>), oldest first (missing periods are absent).</summary>
    Task<IReadOnlyList<ActivityPeriod>> ListAsync(ActivitySpan span, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Notes that an article of <paramref name="hour"/> was archived at <paramref name="at"/>, after that hour had ended: it may have been rolled up without it.</summary>
    Task MarkLateAsync(DateTimeOffset hour, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The hours marked late, oldest first, with when each was last marked.</summary>
    Task<IReadOnlyList<LateHour>> ListLateAsync(CancellationToken cancellationToken);

    /// <summary>Clears a mark unless the hour was marked again after <see cref="LateHour.MarkedAt"/>.</summary>
    Task ClearLateAsync(LateHour late, CancellationToken cancellationToken);
}

/// <summary>An hour that received an article after it ended, and when it last did.</summary>
public sealed record LateHour(DateTimeOffset Hour, DateTimeOffset MarkedAt);
