using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;

namespace Alerts.Infrastructure.Tests.Storage;

/// <summary>The contract of the archive and activity stores, run against Tables (Azurite), the embedded store (SQLite) and memory.</summary>
public abstract class SituationStoreContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 15, 30, 0, TimeSpan.Zero);
    private static readonly string[] Vocabulary = ["army", "protest", "curfew", "capital", "police", "strike", "river", "market", "election", "border", "soldiers", "minister"];
    private static readonly string[] Countries = ["KZ", "TD", "GN", "PE"];

    protected abstract IArchiveStore Archive { get; }

    protected abstract IActivityStore Activity { get; }

    [Fact]
    public async Task Search_FindsExactlyTheEntriesWithEveryTerm_NewestFirst_AcrossDaysAndPages()
    {
        var entries = Generate(240);
        foreach (var entry in entries)
        {
            await Archive.AddAsync(entry, ArchiveTokens.Of(entry), default);
        }

        await Archive.AddAsync(entries[3], ArchiveTokens.Of(entries[3]), default); // a retry writes the same rows again
        var search = new ArchiveSearch(Archive);
        var queries = new[]
        {
            new ArchiveQuery { Text = "curfew", From = Now.AddDays(-10), To = Now },
            new ArchiveQuery { Text = "army protest", Country = "Chad", From = Now.AddDays(-10), To = Now },
            new ArchiveQuery { Text = "soldiers", MinimumSeverity = Severity.Warning, From = Now.AddDays(-2), To = Now },
            new ArchiveQuery { Country = "Central Asia", Signal = "Curfew", From = Now.AddDays(-10), To = Now.AddDays(-1) },
            new ArchiveQuery { From = Now.AddHours(-30), To = Now.AddHours(-5) },
        };
        foreach (var query in queries)
        {
            var terms = ArchiveSearch.Terms(query);
            var expected = entries.Where(e => e.ReadAt >= query.From && e.ReadAt < query.To && terms.All(ArchiveTokens.Of(e).Contains))
                .OrderByDescending(e => e.ReadAt).ThenBy(e => e.ArticleId, StringComparer.Ordinal).Select(e => e.ArticleId).ToList();
            var found = new List<string>();
            string? continuation = null;
            var pages = 0;
            do
            {
                var page = await search.SearchAsync(query, continuation, 7, default);
                Assert.True(page.Items.Count <= 7);
                found.AddRange(page.Items.Select(i => i.ArticleId));
                continuation = page.Continuation;
                pages++;
            }
            while (continuation is not null && pages < 100);

            Assert.True(expected.Count > 0, $"the generated data has matches for {string.Join(' ', terms)}");
            Assert.Equal(expected, found);
        }
    }

    [Fact]
    public async Task Search_ByACountrysNameInTwoLanguages_FindsItsReports_AndBadQueriesSayWhy()
    {
        var entry = Entry("a1", Now.AddHours(-3), "Curfew declared in Almaty after unrest", ["KZ"], Severity.Critical, ["curfew"]);
        var other = Entry("a2", Now.AddHours(-2), "Kazakh wrestler wins gold in Almaty", ["KZ"], Severity.None, []);
        var chad = Entry("a3", Now.AddHours(-1), "Couvre-feu à N'Djamena", ["TD"], Severity.Warning, ["curfew"]);
        foreach (var e in new[] { entry, other, chad })
        {
            await Archive.AddAsync(e, ArchiveTokens.Of(e), default);
        }

        var search = new ArchiveSearch(Archive);
        foreach (var words in new[] { "Kazakhstan curfew", "Kazajistán curfew", "curfew kazakhstan" })
        {
            var page = await search.SearchAsync(new ArchiveQuery { Text = words, From = Now.AddDays(-1), To = Now }, null, 10, default);
            Assert.Equal(["a1"], page.Items.Select(i => i.ArticleId));
        }

        var byName = await search.SearchAsync(new ArchiveQuery { Country = "Tchad", From = Now.AddDays(-1), To = Now }, null, 10, default);
        Assert.Equal(["a3"], byName.Items.Select(i => i.ArticleId));
        Assert.Equal("Couvre-feu à N'Djamena", byName.Items[0].Title);
        Assert.Equal(["a3", "a1"], (await search.SearchAsync(new ArchiveQuery { MinimumSeverity = Severity.Warning, From = Now.AddDays(-1), To = Now }, null, 10, default)).Items.Select(i => i.ArticleId));

        Assert.Equal("country", (await Assert.ThrowsAsync<ArchiveQueryException>(() => search.SearchAsync(new ArchiveQuery { Country = "Atlantis", From = Now.AddDays(-1), To = Now }, null, 10, default))).Field);
        Assert.Equal("continuation", (await Assert.ThrowsAsync<ArchiveQueryException>(() => search.SearchAsync(new ArchiveQuery { From = Now.AddDays(-1), To = Now }, "nonsense", 10, default))).Field);
        Assert.Equal("from", (await Assert.ThrowsAsync<ArchiveQueryException>(() => search.SearchAsync(new ArchiveQuery { From = Now.AddDays(-400), To = Now }, null, 10, default))).Field);
    }

    [Fact]
    public async Task List_ReadsARangeNewestFirst()
    {
        var entries = Generate(60);
        foreach (var entry in entries)
        {
            await Archive.AddAsync(entry, ArchiveTokens.Of(entry), default);
        }

        var from = Now.AddHours(-50);
        var until = Now.AddHours(-20);
        var listed = new List<ArchiveEntry>();
        await foreach (var entry in Archive.ListAsync(from, until, default))
        {
            listed.Add(entry);
        }

        Assert.Equal(entries.Where(e => e.ReadAt >= from && e.ReadAt < until).OrderByDescending(e => e.ReadAt).Select(e => e.ArticleId), listed.Select(e => e.ArticleId));
        Assert.Equal("Title 7", listed.Concat(entries).First(e => e.ArticleId == "g007").Title);
    }

    [Fact]
    public async Task Activity_PeriodsAreReplacedAndListedInOrder_AcrossMonths()
    {
        var start = new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
        for (var h = 0; h < 5; h++)
        {
            var entries = Generate(10).Select(e => e with { ReadAt = start.AddHours(h).AddMinutes(1) });
            await Activity.PutAsync(ActivityPeriod.FromEntries(start.AddHours(h), entries), default);
        }

        var replaced = ActivityPeriod.FromEntries(start.AddHours(1), [Entry("x", start.AddHours(1), "Curfew in Lima", ["PE"], Severity.Critical, ["curfew"])]);
        await Activity.PutAsync(replaced, default);
        var hours = await Activity.ListAsync(ActivitySpan.Hour, start.AddHours(1), start.AddHours(4), default);

        Assert.Equal([start.AddHours(1), start.AddHours(2), start.AddHours(3)], hours.Select(h => h.Start));
        Assert.Equal(1, hours[0].Articles);
        Assert.Equal(1, hours[0].Countries["PE"].Critical);
        Assert.Equal(1, hours[0].Countries["PE"].Signals["curfew"]);
        Assert.Equal(10, (await Activity.GetAsync(ActivitySpan.Hour, start.AddHours(4), default))!.Articles);
        Assert.Null(await Activity.GetAsync(ActivitySpan.Day, start, default));

        var day = ActivityPeriod.Sum(start.AddHours(2), hours);
        await Activity.PutAsync(day, default);
        Assert.Equal(21, (await Activity.ListAsync(ActivitySpan.Day, start, start.AddDays(2), default)).Single().Articles);
    }

    [Fact]
    public async Task LateHours_AreListedOldestFirst_AndAMarkMadeAgainIsNotCleared()
    {
        var hour = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        await Activity.MarkLateAsync(hour, Now, default);
        await Activity.MarkLateAsync(hour.AddHours(-3), Now, default);
        var late = await Activity.ListLateAsync(default);
        Assert.Equal([hour.AddHours(-3), hour], late.Select(l => l.Hour));

        await Activity.MarkLateAsync(hour, Now.AddMinutes(1), default); // another late article while the roll-up worked
        foreach (var l in late)
        {
            await Activity.ClearLateAsync(l, default);
        }

        Assert.Equal([new LateHour(hour, Now.AddMinutes(1))], await Activity.ListLateAsync(default));
    }

    internal static ArchiveEntry Entry(string id, DateTimeOffset at, string title, IReadOnlyList<string> countries, Severity severity, IReadOnlyList<string> signals) => new()
    {
        ArticleId = id,
        FeedId = "f1",
        Title = title,
        Lead = title + ". More words follow.",
        Url = $"https://news{id.Length % 3}.example/{id}",
        ReadAt = at,
        Severity = severity,
        Signals = signals,
        Countries = countries,
        Regions = [.. countries.SelectMany(c => Core.Places.Gazetteer.Default.Countries.TryGetValue(c, out var country) ? new[] { country.SubRegion, country.Region } : [])],
        Language = "en",
    };

    // Entries every 47 minutes back from now (over several days), with words, countries, signals and severities drawn at random.
    private static List<ArchiveEntry> Generate(int count)
    {
        var random = new Random(20261205);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var words = Enumerable.Range(0, 4).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]);
            var severity = (Severity)random.Next(4);
            var signals = severity == Severity.None ? [] : new[] { "curfew", "live-fire", "coup" }.Where(_ => random.Next(2) == 0).ToArray();
            var entry = Entry($"g{i:000}", Now.AddMinutes(-47 * (i + 1)), $"Title {i}", [Countries[random.Next(Countries.Length)]], severity, signals);
            return entry with { Lead = string.Join(' ', words) };
        })];
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableSituationStoreTests : SituationStoreContractTests
{
    public TableSituationStoreTests(AzuriteFixture azurite)
    {
        var clients = azurite.CreateClients(out _);
        Archive = new TableArchiveStore(clients);
        Activity = new TableActivityStore(clients);
    }

    protected override IArchiveStore Archive { get; }

    protected override IActivityStore Activity { get; }
}

public sealed class SqliteSituationStoreTests : SituationStoreContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alerts-situation-").FullName;
    private readonly SqliteStore _store;

    public SqliteSituationStoreTests()
    {
        _store = new SqliteStore(_folder);
        Archive = new SqliteArchiveStore(_store);
        Activity = new InMemoryActivityStore(_store);
    }

    protected override IArchiveStore Archive { get; }

    protected override IActivityStore Activity { get; }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class InMemorySituationStoreTests : SituationStoreContractTests
{
    protected override IArchiveStore Archive { get; } = new InMemoryArchiveStore(new MemoryRecordTables());

    protected override IActivityStore Activity { get; } = new InMemoryActivityStore(new MemoryRecordTables());
}
