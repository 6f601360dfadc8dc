using Alerts.Testing;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions.Tests;

/// <summary>PruneStorage against Azurite: rows go once their table's retention has passed, not before.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PruneStorageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new FunctionHost(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<TableClient> TableWithRowsAsync(string name, int rows)
    {
        var table = new TableClient(_host.ConnectionString, name);
        await table.CreateIfNotExistsAsync();
        for (var i = 0; i < rows; i++)
        {
            await table.AddEntityAsync(new TableEntity("p" + (i % 3), "r" + i) { ["Value"] = i });
        }

        return table;
    }

    private static int Count(TableClient table) => table.Query<TableEntity>(select: ["RowKey"]).Count();

    [Fact]
    public async Task Run_DeletesRowsPastTheirTablesRetention_AndNothingYounger()
    {
        var index = await TableWithRowsAsync(_host.Names.ArticleIndexTable, 120); // more than one batch in a partition
        var limits = await TableWithRowsAsync(_host.Names.RateLimitsTable, 4);
        var alerts = await TableWithRowsAsync(_host.Names.AlertsTable, 3);
        var written = TimeProvider.System.GetUtcNow(); // rows carry the real time of their last write

        _host.Time.SetUtcNow(written.AddDays(3));
        var early = await _host.Create<PruneStorage>().Run(new TimerInfo(), default);

        Assert.Equal(4, early[_host.Names.RateLimitsTable]);
        Assert.Equal(0, early[_host.Names.ArticleIndexTable]);
        Assert.Equal((120, 0, 3), (Count(index), Count(limits), Count(alerts)));

        _host.Time.SetUtcNow(written.AddDays(100));
        var later = await _host.Create<PruneStorage>().Run(new TimerInfo(), default);

        Assert.Equal(120, later[_host.Names.ArticleIndexTable]);
        Assert.Equal((0, 3), (Count(index), Count(alerts))); // alerts are kept for a year
        Assert.Equal(0, later[_host.Names.StoriesTable]); // a table never created is fine

        var again = await _host.Create<PruneStorage>().Run(new TimerInfo(), default);
        Assert.All(again.Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public async Task Run_DeletesTheArchivesMonthlyTables_OnlyOnceTheirWholeMonthIsPastRetention()
    {
        var archive = new Alerts.Infrastructure.Storage.TableArchiveStore(_host.Get<Alerts.Infrastructure.Storage.StorageClients>());
        foreach (var (id, at) in new[] { ("old", new DateTimeOffset(2025, 11, 30, 23, 0, 0, TimeSpan.Zero)), ("kept", new DateTimeOffset(2025, 12, 1, 1, 0, 0, TimeSpan.Zero)), ("new", new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)) })
        {
            var entry = new Alerts.Core.Situation.ArchiveEntry { ArticleId = id, FeedId = "f", Title = "Curfew in Lima", ReadAt = at, Countries = ["PE"] };
            await archive.AddAsync(entry, Alerts.Core.Situation.ArchiveTokens.Of(entry), default);
        }

        _host.Time.SetUtcNow(new DateTimeOffset(2026, 12, 15, 3, 30, 0, TimeSpan.Zero)); // 366 days back: 2025-12-14
        var pruned = await _host.Create<PruneStorage>().Run(new TimerInfo(), default);

        Assert.Equal(1, pruned[_host.Names.ArchiveTable]); // November 2025, whole; December 2025 still has days to keep
        var search = new Alerts.Core.Situation.ArchiveSearch(archive);
        var found = await search.SearchAsync(new Alerts.Core.Situation.ArchiveQuery { Text = "Lima", From = new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero), To = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) }, null, 10, default);
        Assert.Equal(["kept"], found.Items.Select(i => i.ArticleId));
    }
}
