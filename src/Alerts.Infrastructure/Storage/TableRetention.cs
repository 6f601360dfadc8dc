using Alerts.Core.Admin;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Retention in Azure Tables: rows whose last write (the table's Timestamp) is older than their table's retention are
/// deleted in per-partition batches of 100. Safe on many instances and when run twice: deleting a deleted row is fine.
/// </summary>
public sealed class TableRetention(StorageClients clients) : IStorageRetention
{
    public async Task<IReadOnlyDictionary<string, int>> PruneAsync(DateTimeOffset now, RetentionOptions retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var names = clients.Options;
        var tables = new (string Table, TimeSpan Keep)[]
        {
            (names.ArticleIndexTable, retention.ArticleIndex),
            (names.StoriesTable, retention.Stories),
            (names.StoryBandsTable, retention.Stories),
            (names.ScoredArticlesTable, retention.ScoredArticles),
            (names.AlertsTable, retention.Alerts),
            (names.ActivityTable, retention.Archive),
            (names.DeliveriesTable, retention.Deliveries),
            (names.RateLimitsTable, retention.RateLimits),
        };
        var deleted = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, keep) in tables)
        {
            deleted[name] = await PruneTableAsync(clients.Table(name), now - keep, cancellationToken);
        }

        deleted[names.ArchiveTable] = await PruneArchiveAsync(now - retention.Archive, cancellationToken);
        return deleted;
    }

    /// <summary>Deletes the archive's monthly tables whose whole month is older than <paramref name="cutoff"/>: one request per month, whatever it holds.</summary>
    private async Task<int> PruneArchiveAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var prefix = clients.Options.ArchiveTable;
        var service = clients.TableService();
        var deleted = 0;
        await foreach (var table in service.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "{"}"), cancellationToken: cancellationToken))
        {
            var month = table.Name[prefix.Length..];
            if (month.Length == 6 && DateTime.TryParseExact(month, "yyyyMM", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var start)
                && new DateTimeOffset(start, TimeSpan.Zero).AddMonths(1) <= cutoff)
            {
                await service.DeleteTableAsync(table.Name, cancellationToken);
                deleted++;
            }
        }

        return deleted;
    }

    private static async Task<int> PruneTableAsync(TableClient table, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var old = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Timestamp lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                old.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0; // the table was never created
        }

        foreach (var batch in old.GroupBy(r => r.PartitionKey).SelectMany(p => p.Chunk(100)))
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                // A row went away in between (another instance): delete the rest one by one.
                foreach (var row in batch)
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                }
            }
        }

        return old.Count;
    }
}
