using Alerts.Core.Admin;
using Alerts.Core.Ingestion;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using System.Text.Json;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Keyword-list versions: a row per version in a table (PK list name, RK number) and the document as a blob
/// <c>history/{name}/{number}.txt</c> next to the live lists. The number is claimed by inserting the row.
/// </summary>
public sealed class TableKeywordListHistory : IKeywordListHistory
{
    private readonly TableClient _table;
    private readonly BlobContainerClient _container;
    private readonly Lazily _created;

    public TableKeywordListHistory(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.KeywordListVersionsTable);
        _container = clients.Container(clients.Options.KeywordListsContainer);
        _created = new Lazily(async ct =>
        {
            await _table.CreateIfNotExistsAsync(ct);
            await _container.CreateIfNotExistsAsync(cancellationToken: ct);
        });
    }

    public async Task<KeywordListVersion> AppendAsync(KeywordListVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await _created.EnsureAsync(cancellationToken);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var existing = await RowsAsync(version.Name, cancellationToken);
            if (existing.FirstOrDefault(v => v.ETag == version.ETag && version.ETag.Length > 0) is { } same)
            {
                return same;
            }

            var numbered = version with { Number = existing.Count == 0 ? 1 : existing.Max(v => v.Number) + 1 };
            try
            {
                await _table.AddEntityAsync(ToEntity(numbered), cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                continue; // another admin's version took this number
            }

            await _container.GetBlobClient(BlobName(numbered.Name, numbered.Number)).UploadAsync(BinaryData.FromString(numbered.Document), overwrite: true, cancellationToken);
            return numbered;
        }

        throw new InvalidOperationException($"Could not number a new version of '{version.Name}'.");
    }

    public async Task<IReadOnlyList<KeywordListVersion>> ListAsync(string name, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        return [.. (await RowsAsync(name, cancellationToken)).OrderByDescending(v => v.Number)];
    }

    public async Task<KeywordListVersion?> GetAsync(string name, int number, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(name, Key(number), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var version = ToVersion(row.Value!);
        var blob = _container.GetBlobClient(BlobName(name, number));
        try
        {
            return version with { Document = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return version;
        }
    }

    private async Task<List<KeywordListVersion>> RowsAsync(string name, CancellationToken cancellationToken)
    {
        var rows = new List<KeywordListVersion>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {name}"), cancellationToken: cancellationToken))
        {
            rows.Add(ToVersion(e));
        }

        return rows;
    }

    private static string Key(int number) => number.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static string BlobName(string name, int number) => $"history/{name}/{Key(number)}.txt";

    private static TableEntity ToEntity(KeywordListVersion v) => new(v.Name, Key(v.Number))
    {
        ["Action"] = v.Action,
        ["Author"] = v.Author,
        ["At"] = v.At,
        ["Summary"] = JsonSerializer.Serialize(v.Summary, ArticleMessage.JsonOptions),
        ["LiveETag"] = v.ETag,
    };

    private static KeywordListVersion ToVersion(TableEntity e) => new()
    {
        Name = e.PartitionKey,
        Number = int.Parse(e.RowKey, System.Globalization.CultureInfo.InvariantCulture),
        Action = e.GetString("Action") ?? "",
        Author = e.GetString("Author") ?? "",
        At = e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        Summary = JsonSerializer.Deserialize<VersionSummary>(e.GetString("Summary") ?? "null", ArticleMessage.JsonOptions) ?? new VersionSummary([], [], []),
        ETag = e.GetString("LiveETag") ?? "",
    };
}

/// <summary>The last run of each scheduled job, one row per job.</summary>
public sealed class TableRunLog : IRunLog
{
    private const string Partition = "run";
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableRunLog(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.RunsTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task RecordAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _created.EnsureAsync(cancellationToken);
        await _table.UpsertEntityAsync(new TableEntity(Partition, run.Name) { ["At"] = run.At, ["Summary"] = TableKeys.Clip(run.Summary, 2000) }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var runs = new List<RunRecord>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            runs.Add(new RunRecord(e.RowKey, e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Summary") ?? ""));
        }

        return runs;
    }
}

/// <summary>Depths of the pipeline's queues and their poison queues in Azure Storage.</summary>
public sealed class StorageQueueDepths(StorageClients clients) : IQueueDepths
{
    public async Task<IReadOnlyDictionary<string, int>> GetAsync(CancellationToken cancellationToken)
    {
        var names = clients.Options;
        var queues = new[] { names.FeedFetchQueue, names.ArticlesQueue, names.BreakingQueue }.SelectMany(name => new[] { name, name + "-poison" }).ToList();
        // One request per queue, all at once: a health probe answers in one round trip, not twelve in a row.
        var counts = await Task.WhenAll(queues.Select(queue => DepthAsync(queue, cancellationToken)));
        return queues.Zip(counts).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
    }

    private async Task<int> DepthAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await clients.Queue(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0; // a queue is created on first use: none yet means nothing waiting
        }
    }
}

/// <summary>
/// Feedback in Azure Tables: PK the story id's partition prefix, RK story|subscriber (the latest word replaces the
/// earlier), the record as JSON. Listing reads the rows given since a time: feedback is a person's click, so the table
/// stays small next to the pipeline's.
/// </summary>
public sealed class TableFeedbackStore : Alerts.Core.Feedback.IFeedbackStore
{
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableFeedbackStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.FeedbackTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task RecordAsync(Alerts.Core.Feedback.FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await _created.EnsureAsync(cancellationToken);
        var entity = new TableEntity(TableKeys.Partition(feedback.StoryId), feedback.StoryId + "|" + feedback.SubscriberId)
        {
            ["At"] = feedback.At,
            ["SubscriberId"] = feedback.SubscriberId,
            ["Record"] = JsonSerializer.Serialize(feedback, ArticleMessage.JsonOptions),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<Alerts.Core.Feedback.FeedbackRecord>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var records = new List<Alerts.Core.Feedback.FeedbackRecord>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"At ge {since}"), cancellationToken: cancellationToken))
        {
            if (JsonSerializer.Deserialize<Alerts.Core.Feedback.FeedbackRecord>(e.GetString("Record") ?? "null", ArticleMessage.JsonOptions) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    public async Task DeleteAllAsync(string subscriberId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"SubscriberId eq {subscriberId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await _table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken);
        }
    }
}
