using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Alerts.Core.Ingestion;
using Alerts.Core.Situation;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// The archive in Azure Tables: a table per month (<c>archive202612</c>, so that retention deletes whole tables, one
/// request each), a partition per day (PK "20261205"); each article's entry (RK "e|key") and its word rows (RK
/// "w|word|key", no properties) go in the same partition, so one batch transaction writes them all (two past 99 words).
/// A word's articles of a day, newest first, are one range query from any point: searches seek, they never scan a day.
/// </summary>
public sealed class TableArchiveStore : IArchiveStore, IDayIndex
{
    private const int BatchSize = 100;
    private readonly StorageClients _clients;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (TableClient Table, Lazily Created)> _months = new(StringComparer.Ordinal);

    public TableArchiveStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
    }

    /// <summary>The table of a month ("202612") under the configured prefix.</summary>
    public static string TableName(string prefix, string month) => prefix + month;

    public async Task AddAsync(ArchiveEntry entry, IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tokens);
        var day = entry.Day;
        var (table, created) = Month(day);
        await created.EnsureAsync(cancellationToken);
        var rows = tokens.Select(Safe).Where(t => t.Length is > 0 and < 200).Distinct(StringComparer.Ordinal)
            .Select(t => new TableEntity(day, "w|" + t + "|" + entry.Key))
            .Append(new TableEntity(day, "e|" + entry.Key) { ["Json"] = JsonSerializer.Serialize(entry, ArticleMessage.JsonOptions) })
            .ToList();
        foreach (var batch in rows.Chunk(BatchSize))
        {
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }
    }

    public Task<ArchivePage> SearchAsync(IReadOnlyList<string> terms, DateTimeOffset from, DateTimeOffset until, string? continuation, int pageSize, CancellationToken cancellationToken) =>
        DayIndexSearch.SearchAsync(this, terms, from, until, continuation, pageSize, cancellationToken);

    public async Task<IReadOnlyList<string>> SeekAsync(string day, string? token, string from, int limit, CancellationToken cancellationToken)
    {
        var prefix = token is null ? "e|" : "w|" + Safe(token) + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ge {prefix + from} and RowKey lt {prefix + "~"}");
        var keys = new List<string>(limit);
        try
        {
            // A page may hold fewer rows than asked while more remain: follow the continuation until the limit.
            await foreach (var page in Month(day).Table.QueryAsync<TableEntity>(filter, maxPerPage: limit, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
            {
                keys.AddRange(page.Values.Select(e => e.RowKey[prefix.Length..]).Take(limit - keys.Count));
                if (keys.Count >= limit)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table for that month: nothing was archived then (or it was pruned).
        }

        return keys;
    }

    public async Task<IReadOnlyList<ArchiveEntry>> GetAsync(string day, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var table = Month(day).Table;
        try
        {
            var read = await Task.WhenAll(keys.Select(k => table.GetEntityIfExistsAsync<TableEntity>(day, "e|" + k, cancellationToken: cancellationToken)));
            return [.. read.Where(r => r.HasValue).Select(r => Read(r.Value!))];
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    public async IAsyncEnumerable<ArchiveEntry> ListAsync(DateTimeOffset from, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var day = ArchiveKeys.Day(until.AddTicks(-1)); string.CompareOrdinal(day, ArchiveKeys.Day(from)) >= 0; day = ArchiveKeys.Day(ArchiveKeys.DayStart(day).AddDays(-1)))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ge {"e|" + ArchiveKeys.AtOrBefore(until.AddTicks(-1))} and RowKey lt {"e|~"}");
            var rows = new List<TableEntity>();
            try
            {
                await foreach (var row in Month(day).Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
                {
                    rows.Add(row);
                    if (rows.Count >= 1000)
                    {
                        break;
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                continue;
            }

            // Streamed a thousand at a time: the rest of the day is read from where this stopped.
            while (rows.Count > 0)
            {
                foreach (var row in rows)
                {
                    var entry = Read(row);
                    if (entry.ReadAt < from)
                    {
                        yield break;
                    }

                    yield return entry;
                }

                var last = rows[^1].RowKey;
                rows.Clear();
                await foreach (var row in Month(day).Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey gt {last} and RowKey lt {"e|~"}"), maxPerPage: 1000, cancellationToken: cancellationToken))
                {
                    rows.Add(row);
                    if (rows.Count >= 1000)
                    {
                        break;
                    }
                }
            }
        }
    }

    private (TableClient Table, Lazily Created) Month(string day) =>
        _months.GetOrAdd(day[..6], month =>
        {
            var table = _clients.Table(TableName(_clients.Options.ArchiveTable, month));
            return (table, new Lazily(ct => table.CreateIfNotExistsAsync(ct)));
        });

    private static ArchiveEntry Read(TableEntity row) =>
        JsonSerializer.Deserialize<ArchiveEntry>(row.GetString("Json") ?? "null", ArticleMessage.JsonOptions) ?? throw new JsonException($"Archive row {row.PartitionKey}/{row.RowKey} is empty.");

    // Row keys may not hold '/', '\', '#', '?' or control characters.
    private static string Safe(string token) => string.Concat(token.Where(c => c is not ('/' or '\\' or '#' or '?') && !char.IsControl(c)));
}

/// <summary>
/// Hours and days of activity in Azure Tables: PK "h" or "d" and the year-month ("h202612"), RK the start as sortable
/// ticks; the record is JSON, gzip-compressed and cut into binary properties of 60 KB (a busy day is a few hundred KB
/// of JSON, a property holds 64 KB and a row 1 MB).
/// </summary>
public sealed class TableActivityStore : IActivityStore
{
    private const int Chunk = 60_000;
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableActivityStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.ActivityTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task PutAsync(ActivityPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        await _created.EnsureAsync(cancellationToken);
        var bytes = Compress(JsonSerializer.SerializeToUtf8Bytes(period, ArticleMessage.JsonOptions));
        var row = new TableEntity(Partition(period.Span, period.Start), Memory.RecordOrder.Of(period.Start)) { ["Parts"] = (bytes.Length + Chunk - 1) / Chunk };
        for (var i = 0; i * Chunk < bytes.Length; i++)
        {
            row["P" + i] = bytes.AsSpan(i * Chunk, Math.Min(Chunk, bytes.Length - (i * Chunk))).ToArray();
        }

        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<ActivityPeriod?> GetAsync(ActivitySpan span, DateTimeOffset start, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(span, start), Memory.RecordOrder.Of(start), cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public async Task<IReadOnlyList<ActivityPeriod>> ListAsync(ActivitySpan span, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var periods = new List<ActivityPeriod>();
        var months = new List<string>();
        for (var month = new DateTimeOffset(from.UtcDateTime.Year, from.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero); month < until; month = month.AddMonths(1))
        {
            months.Add(Partition(span, month));
        }

        // The months in parallel (a 90-day page is three or four partitions), each one range query.
        var read = await Task.WhenAll(months.Select(async partition =>
        {
            var rows = new List<ActivityPeriod>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {Memory.RecordOrder.Of(from)} and RowKey lt {Memory.RecordOrder.Of(until)}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                rows.Add(Read(row));
            }

            return rows;
        }));
        periods.AddRange(read.SelectMany(r => r));
        return [.. periods.OrderBy(p => p.Start)];
    }

    public async Task MarkLateAsync(DateTimeOffset hour, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        await _table.UpsertEntityAsync(new TableEntity(LatePartition, Memory.RecordOrder.Of(hour)) { ["Hour"] = hour, ["MarkedAt"] = at }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<LateHour>> ListLateAsync(CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var late = new List<LateHour>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {LatePartition}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            late.Add(new LateHour(row.GetDateTimeOffset("Hour") ?? DateTimeOffset.MinValue, row.GetDateTimeOffset("MarkedAt") ?? DateTimeOffset.MinValue));
        }

        return late;
    }

    public async Task ClearLateAsync(LateHour late, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(late);
        await _created.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(LatePartition, Memory.RecordOrder.Of(late.Hour), cancellationToken: cancellationToken);
        if (row.HasValue && row.Value!.GetDateTimeOffset("MarkedAt") <= late.MarkedAt)
        {
            await TableKeys.DeleteAsync(_table, LatePartition, row.Value.RowKey, row.Value.ETag.ToString(), cancellationToken); // not if marked again meanwhile
        }
    }

    private const string LatePartition = "late";

    private static string Partition(ActivitySpan span, DateTimeOffset start) =>
        (span == ActivitySpan.Hour ? "h" : "d") + start.UtcDateTime.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture);

    private static ActivityPeriod Read(TableEntity row)
    {
        var parts = row.GetInt32("Parts") ?? 0;
        using var joined = new MemoryStream();
        for (var i = 0; i < parts; i++)
        {
            joined.Write(row.GetBinary("P" + i) ?? []);
        }

        joined.Position = 0;
        using var unzip = new GZipStream(joined, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<ActivityPeriod>(unzip, ArticleMessage.JsonOptions) ?? throw new JsonException($"Activity row {row.PartitionKey}/{row.RowKey} is empty.");
    }

    private static byte[] Compress(byte[] json)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
        {
            zip.Write(json);
        }

        return output.ToArray();
    }
}
