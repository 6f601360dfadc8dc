using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Core.Trends;
using Alerts.Infrastructure.Memory;
using Alerts.Infrastructure.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Infrastructure.Tests.Situation;

/// <summary>
/// The roll-up over the record stores: hours and days from archived articles, and surges and silences raised as alerts
/// on generated streams (four weeks of a daily rhythm, then the hour under test).
/// </summary>
public sealed class ActivityRollupTests
{
    // The hour under test ends at 15:00; the roll-up runs 3 minutes later, as the timer does (one poll interval).
    private static readonly DateTimeOffset HourUnderTest = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(HourUnderTest.AddHours(1).AddMinutes(3));
    private readonly InMemoryArchiveStore _archive = new(new MemoryRecordTables());
    private readonly InMemoryActivityStore _activity = new(new MemoryRecordTables());
    private readonly InMemoryAlertStore _alerts = new(new MemoryRecordTables());

    private ActivityRollup Rollup => new(_archive, _activity, _alerts, _time, NullLogger<ActivityRollup>.Instance);

    // A daily rhythm: busier from 09:00 to 18:00 UTC.
    private static int Usual(int perHour, DateTimeOffset hour) => perHour * (hour.Hour is >= 9 and < 18 ? 2 : 1);

    /// <summary>Stores the hours before <paramref name="until"/> for four weeks and a day: KZ at its rhythm (or as <paramref name="kz"/> says), 200 articles from elsewhere.</summary>
    private async Task HistoryAsync(int perHour, DateTimeOffset until, Func<DateTimeOffset, int>? kz = null, Func<DateTimeOffset, int>? others = null, string? kzSource = null)
    {
        for (var hour = until.AddDays(-29); hour < until; hour = hour.AddHours(1))
        {
            var count = kz?.Invoke(hour) ?? Usual(perHour, hour);
            var rest = others?.Invoke(hour) ?? 200;
            var entries = Enumerable.Range(0, count).Select(i => Article($"kz{hour.Ticks}-{i}", hour.AddMinutes(i % 60), "KZ") is var a && kzSource is not null ? a with { Url = $"https://{kzSource}/{i}" } : a)
                .Concat(Enumerable.Range(0, rest).Select(i => Article($"o{hour.Ticks}-{i}", hour.AddMinutes(i % 60), "FR")));
            await _activity.PutAsync(ActivityPeriod.FromEntries(hour, entries) with { TrendsChecked = true }, default);
        }
    }

    private async Task ArchiveAsync(string country, int count, DateTimeOffset hour, string prefix)
    {
        for (var i = 0; i < count; i++)
        {
            var entry = Article($"{prefix}{i}", hour.AddSeconds(10 + (i * 3500 / Math.Max(count, 1))), country) with { Url = $"https://outlet{i % 7}.example/{prefix}{i}" };
            await _archive.AddAsync(entry, ArchiveTokens.Of(entry), default);
        }
    }

    private static ArchiveEntry Article(string id, DateTimeOffset at, string country) =>
        SituationStoreContractTests.Entry(id, at, "Report " + id, [country], Severity.None, []);

    [Fact]
    public async Task AFiveFoldSurge_IsFlaggedInTheFirstRunAfterItsHour_AsAWarningAlertWithEvidence_Once()
    {
        await HistoryAsync(2, HourUnderTest);
        var usual = Usual(2, HourUnderTest);
        await ArchiveAsync("KZ", usual * 5, HourUnderTest, "s");
        await ArchiveAsync("FR", 200, HourUnderTest, "f");

        var outcome = await Rollup.RunAsync(default);

        var flag = Assert.Single(outcome.Flags);
        Assert.Equal(("KZ", TrendKind.Surge), (flag.Country, flag.Kind));
        var alert = await _alerts.GetAsync(ActivityRollup.AlertId("KZ", TrendKind.Surge, HourUnderTest), default);
        Assert.NotNull(alert);
        Assert.Equal(Severity.Warning, alert.Severity);
        Assert.Equal([TrendSignals.Surge], alert.Signals);
        Assert.Equal(["KZ"], alert.Countries);
        Assert.Equal("Reporting on Kazakhstan is 5x its usual rate", alert.Title);
        Assert.Contains($"{usual * 5} articles in the last hour against {usual} usual", alert.Evidence.Single().Evidence.Single().Text, StringComparison.Ordinal);
        Assert.Equal(7, alert.SourceCount);
        var hour = await _activity.GetAsync(ActivitySpan.Hour, HourUnderTest, default);
        Assert.Equal(usual * 5, hour!.Countries["KZ"].Articles);
        Assert.Equal([flag], hour.Trends);

        // Ten minutes later the same hour is not checked again, and nothing is raised twice.
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty((await Rollup.RunAsync(default)).Flags);
        Assert.Single((await _alerts.QueryAsync(new AlertQuery(HourUnderTest.AddDays(-1), Signal: "Surge"), null, 10, default)).Alerts);
        var day = await _activity.GetAsync(ActivitySpan.Day, ActivityPeriod.DayOf(HourUnderTest), default);
        Assert.Equal([flag], day!.Trends);
    }

    [Fact]
    public async Task TheOrdinaryRhythm_RaisesNothing()
    {
        await HistoryAsync(2, HourUnderTest);
        await ArchiveAsync("KZ", Usual(2, HourUnderTest), HourUnderTest, "k");
        await ArchiveAsync("FR", 200, HourUnderTest, "f");

        var outcome = await Rollup.RunAsync(default);

        Assert.Empty(outcome.Flags);
        Assert.Equal(Usual(2, HourUnderTest) + 200, outcome.Entries);
        Assert.Empty((await _alerts.QueryAsync(new AlertQuery(HourUnderTest.AddDays(-1)), null, 10, default)).Alerts);
    }

    [Fact]
    public async Task FeedsAboutACountryFallingSilent_WhileTheOthersPublish_IsFlagged()
    {
        var silentFrom = HourUnderTest.AddHours(-2);
        await HistoryAsync(10, HourUnderTest, kz: h => h >= silentFrom ? 0 : Usual(10, h));
        await ArchiveAsync("FR", 200, HourUnderTest, "f");

        var flag = Assert.Single((await Rollup.RunAsync(default)).Flags);

        Assert.Equal(("KZ", TrendKind.Silence), (flag.Country, flag.Kind));
        var alert = await _alerts.GetAsync(flag.AlertId, default);
        Assert.Equal([TrendSignals.Silence], alert!.Signals);
        Assert.StartsWith("Reporting on Kazakhstan has gone silent", alert.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryFeedFallingSilent_OurOwnOutage_IsNotFlagged()
    {
        var silentFrom = HourUnderTest.AddHours(-2);
        await HistoryAsync(10, HourUnderTest, kz: h => h >= silentFrom ? 0 : Usual(10, h), others: h => h >= silentFrom ? 0 : 200);

        Assert.Empty((await Rollup.RunAsync(default)).Flags);
    }

    [Fact]
    public async Task WithoutFourWeeksOfHistory_NothingIsSaid_ButTheHoursAndDayAreRolledUp()
    {
        await ArchiveAsync("KZ", 40, HourUnderTest, "k");
        await ArchiveAsync("TD", 3, HourUnderTest.AddHours(1), "t"); // the hour under way

        var outcome = await Rollup.RunAsync(default);

        Assert.Empty(outcome.Flags);
        var day = await _activity.GetAsync(ActivitySpan.Day, ActivityPeriod.DayOf(HourUnderTest), default);
        Assert.Equal(43, day!.Articles);
        Assert.Equal((40, 3), (day.Countries["KZ"].Articles, day.Countries["TD"].Articles));
        Assert.Equal(7, day.Countries["KZ"].SourceCount);
    }

    [Fact]
    public async Task AnArticleArchivedAfterItsHourWasRolledUp_IsCountedOnceItsHourIsMarkedLate()
    {
        var old = HourUnderTest.AddHours(-5);
        await ArchiveAsync("KZ", 2, old, "early");
        await Rollup.RunAsync(default); // rolls up the hour that ended and the current one, not five hours back
        Assert.Null(await _activity.GetAsync(ActivitySpan.Hour, old, default));

        await _activity.MarkLateAsync(old, _time.GetUtcNow(), default); // what the scorer does for an article of an ended hour
        var outcome = await Rollup.RunAsync(default);

        Assert.Equal(3, outcome.Hours);
        Assert.Equal(2, (await _activity.GetAsync(ActivitySpan.Hour, old, default))!.Countries["KZ"].Articles);
        Assert.Equal(2, (await _activity.GetAsync(ActivitySpan.Day, ActivityPeriod.DayOf(old), default))!.Countries["KZ"].Articles);
        Assert.Empty(await _activity.ListLateAsync(default));
    }

    [Fact]
    public async Task ManyOutletsTakingUpACountry_IsASurgeOfSources_EvenAtItsUsualNumberOfArticles()
    {
        // One wire service usually files 12 reports an hour on Kazakhstan; this hour 12 reports came from 12 outlets.
        await HistoryAsync(6, HourUnderTest, kz: _ => 12, kzSource: "wire.example");
        for (var i = 0; i < 12; i++)
        {
            var entry = Article($"o{i}", HourUnderTest.AddMinutes(i), "KZ") with { Url = $"https://outlet{i}.example/story" };
            await _archive.AddAsync(entry, ArchiveTokens.Of(entry), default);
        }

        await ArchiveAsync("FR", 200, HourUnderTest, "f");

        var flag = Assert.Single((await Rollup.RunAsync(default)).Flags);

        Assert.Equal(TrendKind.Surge, flag.Kind);
        Assert.StartsWith("12 distinct sources in the last hour against 1 usual", flag.Evidence, StringComparison.Ordinal);
    }
}
