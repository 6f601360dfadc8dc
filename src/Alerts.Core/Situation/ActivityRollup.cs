using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Trends;
using Microsoft.Extensions.Logging;

namespace Alerts.Core.Situation;

/// <summary>The signal ids of trend alerts, chosen by subscribers like the keyword lists' signals.</summary>
public static class TrendSignals
{
    public const string Surge = "surge";
    public const string Silence = "silence";

    public static string Of(TrendKind kind) => kind == TrendKind.Surge ? Surge : Silence;

    public static string Label(TrendKind kind) => kind == TrendKind.Surge ? "Surge in reporting" : "Silence in reporting";

    public static bool IsTrend(string signal) => signal is Surge or Silence;

    /// <summary>
    /// An alert's title for a subscriber in <paramref name="language"/>: a trend alert (its id "trend-kz-surge-…") is
    /// titled by its signal and country in that language ("Afflux d'articles : Kazakhstan"); any other keeps its article's.
    /// </summary>
    public static string TitleIn(string storyId, string title, IReadOnlyList<string> countries, string? language)
    {
        ArgumentNullException.ThrowIfNull(storyId);
        ArgumentNullException.ThrowIfNull(countries);
        var parts = storyId.Split('-');
        if (parts.Length < 3 || parts[0] != "trend" || !IsTrend(parts[2]) || countries.Count == 0 || language is null or "en")
        {
            return title;
        }

        var texts = Texts.TextCatalog.For(language);
        var country = Places.Gazetteer.Default.Countries.TryGetValue(countries[0], out var c) ? c.NameIn(language) : countries[0];
        return texts.Signals[parts[2]] + texts.Email["colon"] + " " + country;
    }
}

/// <summary>What a roll-up did.</summary>
public sealed record RollupOutcome(int Hours, int Entries, int Days, IReadOnlyList<TrendFlag> Flags)
{
    public override string ToString() => $"{Entries} articles in {Hours} hours; {Flags.Count} surges or silences";
}

/// <summary>
/// Rolls the archive up into hours and days of activity per country (what the map, the country pages and the trend
/// detector read), and checks each hour once it has ended for surges and silences, raising an alert for each (one per
/// country, kind and day; later findings of the same day update its evidence). Every step recomputes from what is
/// stored, so a run that dies halfway or runs twice on two instances leaves the same records.
/// </summary>
public sealed partial class ActivityRollup(IArchiveStore archive, IActivityStore activity, IAlertStore alerts, TimeProvider time, ILogger<ActivityRollup> logger)
{
    private const int HoursPerWeek = 24 * 7;

    public TrendOptions Options { get; init; } = new();

    public async Task<RollupOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = ActivityPeriod.HourOf(now);
        var previous = current.AddHours(-1);
        var entries = 0;
        var flags = new List<TrendFlag>();

        // The hour that ended, the one under way (the map is current), and the older hours that received articles after
        // they ended (a scoring backlog, a stopped local run), at most a day of them per run.
        var late = (await activity.ListLateAsync(cancellationToken)).Where(l => l.Hour < previous).Take(24).ToList();
        foreach (var hour in late.Select(l => l.Hour).Append(previous).Append(current))
        {
            var read = new List<ArchiveEntry>();
            await foreach (var entry in archive.ListAsync(hour, hour.AddHours(1), cancellationToken))
            {
                read.Add(entry);
            }

            entries += read.Count;
            var rolled = ActivityPeriod.FromEntries(hour, read);
            var stored = await activity.GetAsync(ActivitySpan.Hour, hour, cancellationToken);
            if (stored is { TrendsChecked: true })
            {
                rolled = rolled with { Trends = stored.Trends, TrendsChecked = true };
            }
            else if (hour == previous)
            {
                var found = await CheckTrendsAsync(rolled, now, cancellationToken);
                flags.AddRange(found);
                rolled = rolled with { Trends = found, TrendsChecked = true };
            }

            await activity.PutAsync(rolled, cancellationToken);
        }

        var days = late.Select(l => ActivityPeriod.DayOf(l.Hour)).Append(ActivityPeriod.DayOf(previous)).Append(ActivityPeriod.DayOf(current)).Distinct().ToList();
        foreach (var day in days)
        {
            var hours = await activity.ListAsync(ActivitySpan.Hour, day, day.AddDays(1), cancellationToken);
            await activity.PutAsync(ActivityPeriod.Sum(day, hours), cancellationToken);
        }

        foreach (var hour in late)
        {
            await activity.ClearLateAsync(hour, cancellationToken);
        }

        LogRolledUp(logger, entries, flags.Count);
        return new RollupOutcome(2 + late.Count, entries, days.Count, flags);
    }

    /// <summary>Checks the hour that just ended for every country against its last weeks.</summary>
    private async Task<IReadOnlyList<TrendFlag>> CheckTrendsAsync(ActivityPeriod ended, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var span = (Options.BaselineWeeks * HoursPerWeek) + Options.SilenceHours + 1; // every hour checked has its weeks of history
        var first = ended.Start.AddHours(-span + 1);
        var stored = await activity.ListAsync(ActivitySpan.Hour, first, ended.Start, cancellationToken);
        if (stored.Count == 0 || stored[0].Start > first.AddHours(Options.SilenceHours))
        {
            return []; // not yet the weeks of history a baseline needs
        }

        var hours = new ActivityPeriod?[span];
        foreach (var period in stored)
        {
            hours[(int)((period.Start - first).Ticks / TimeSpan.TicksPerHour)] = period;
        }

        hours[^1] = ended;
        var countries = hours.OfType<ActivityPeriod>().SelectMany(h => h.Countries.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var flags = new List<TrendFlag>();
        foreach (var code in countries)
        {
            var counts = hours.Select(h => h?.Countries.GetValueOrDefault(code)?.Articles ?? 0).ToArray();
            var others = hours.Select((h, i) => (h?.Articles ?? 0) - counts[i]).ToArray();
            var sources = hours.Select(h => h?.Countries.GetValueOrDefault(code)?.SourceCount ?? 0).ToArray();
            if ((TrendDetector.Evaluate(counts, others, Options) ?? TrendDetector.EvaluateSurge(sources, "distinct sources", Options)) is not { } finding)
            {
                continue;
            }

            var flag = new TrendFlag(code, finding.Kind, ended.Start, finding.Observed, finding.Expected, finding.Evidence, AlertId(code, finding.Kind, ended.Start));
            await RaiseAsync(flag, ended.Countries.GetValueOrDefault(code), now, cancellationToken);
            flags.Add(flag);
        }

        return flags;
    }

    /// <summary>One alert per country, kind and day.</summary>
    public static string AlertId(string country, TrendKind kind, DateTimeOffset hour) =>
        $"trend-{country.ToLowerInvariant()}-{TrendSignals.Of(kind)}-{ArchiveKeys.Day(hour)}";

    public string Title(TrendFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var name = Gazetteer.Default.Countries.TryGetValue(flag.Country, out var country) ? country.Name : flag.Country;
        return flag.Kind == TrendKind.Surge
            ? $"Reporting on {name} is {flag.Observed / Math.Max(flag.Expected, 0.1):0.#}x its usual rate"
            : $"Reporting on {name} has gone silent: {flag.Observed} articles in {Options.SilenceHours} hours";
    }

    private async Task RaiseAsync(TrendFlag flag, CountryActivity? hour, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var signal = TrendSignals.Of(flag.Kind);
        var sources = hour?.Sources ?? [];
        var evidence = new SignalMatch(signal, TrendSignals.Label(flag.Kind), "trends", 0,
            [new Evidence(ArticleField.Content, flag.Evidence + (sources.Count > 0 ? $"; sources: {string.Join(", ", sources.Take(5))}" : ""), flag.Kind == TrendKind.Surge ? "poisson-upper-tail" : "poisson-lower-tail")]);
        var record = new AlertRecord
        {
            StoryId = flag.AlertId,
            ArticleId = flag.AlertId,
            Severity = Severity.Warning,
            Score = Math.Round(flag.Observed / Math.Max(flag.Expected, 0.1), 1),
            Title = Title(flag),
            FeedId = "",
            Signals = [signal],
            Countries = [flag.Country],
            SourceCount = hour?.SourceCount ?? 0,
            Sources = [.. sources.Take(20)],
            CreatedAt = now,
            ChangedAt = now,
            Evidence = [evidence],
        };
        if (!await alerts.TryAddAsync(record, null, cancellationToken))
        {
            // The same country, kind and day: the newest evidence, without raising it in digests again.
            await alerts.UpdateAsync(flag.AlertId, a => a with { Title = record.Title, Score = Math.Max(a.Score, record.Score), Evidence = [evidence], SourceCount = Math.Max(a.SourceCount, record.SourceCount) }, now, TimeSpan.Zero, cancellationToken);
        }

        LogFlag(logger, flag.Kind, flag.Country, flag.Evidence);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity rolled up from {Entries} archived articles; {Flags} surges or silences")]
    private static partial void LogRolledUp(ILogger logger, int entries, int flags);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} in the reporting on {Country}: {Evidence}")]
    private static partial void LogFlag(ILogger logger, TrendKind kind, string country, string evidence);
}
