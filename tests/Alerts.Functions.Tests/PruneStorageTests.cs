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
}
