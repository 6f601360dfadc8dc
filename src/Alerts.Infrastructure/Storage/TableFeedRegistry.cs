using System.Runtime.CompilerServices;
using Alerts.Core.Ingestion;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Infrastructure.Storage;

/// <summary>The feed registry in Azure Tables: one partition, one row per feed, optimistic concurrency on every write.</summary>
public sealed class TableFeedRegistry : IFeedRegistry
{
    internal const string Partition = "feed";
    private const int MaxConflictRetries = 10;
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableFeedRegistry(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.FeedsTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task<FeedRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? FeedEntityMapper.ToRecord(response.Value!) : null;
    }

    public IAsyncEnumerable<FeedRecord> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken);

    public IAsyncEnumerable<FeedRecord> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Enabled eq {true} and NextDueAt le {now}"), cancellationToken);

    private async IAsyncEnumerable<FeedRecord> QueryAsync(string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return FeedEntityMapper.ToRecord(entity);
        }
    }

    public async Task<bool> AddAsync(FeedRecord feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        await _created.EnsureAsync(cancellationToken);
        try
        {
            await _table.AddEntityAsync(FeedEntityMapper.ToEntity(feed), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// One transaction per <see cref="FeedClaim.MaxPerRequest"/> feeds (all in the one partition), each a merge of the next
    /// due time and this call's claim mark on the version read. When the transaction fails on a feed whose version moved,
    /// that feed is read once: marked by this call, the transaction had gone through and only its answer was lost (the
    /// SDK's retry then meets its own writes), and the claimed rows are read back by their mark; else the feed was taken
    /// by another poller (or changed by a fetch, or deleted), and the rest are claimed one by one, at once, as a contested
    /// batch is likely to hold more such feeds.
    /// </summary>
    public async Task<IReadOnlyList<string?>> TryClaimAsync(IReadOnlyList<FeedClaim> claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Any(c => c.Feed.Version is null))
        {
            throw new ArgumentException("Only feeds read from the registry can be claimed.", nameof(claims));
        }

        var versions = new string?[claims.Count];
        var mark = Guid.NewGuid().ToString("N");
        TableEntity Patch(int i) => new(Partition, claims[i].Feed.Id) { ["NextDueAt"] = claims[i].NextDueAt, ["ClaimedBy"] = mark };
        for (var start = 0; start < claims.Count; start += FeedClaim.MaxPerRequest)
        {
            var chunk = Enumerable.Range(start, Math.Min(FeedClaim.MaxPerRequest, claims.Count - start)).ToList();
            try
            {
                var responses = (await _table.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(TableTransactionActionType.UpdateMerge, Patch(i), new ETag(claims[i].Feed.Version!))), cancellationToken)).Value;
                for (var k = 0; k < chunk.Count; k++)
                {
                    versions[chunk[k]] = NewVersion(responses[k]);
                }

                continue;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404 && ex.FailedTransactionActionIndex is { } failed && failed < chunk.Count)
            {
                var current = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, claims[chunk[failed]].Feed.Id, cancellationToken: cancellationToken);
                if (current.HasValue && current.Value!.GetString("ClaimedBy") == mark)
                {
                    // Ours: the whole transaction went through. Its rows, with their versions, by this call's mark.
                    var ids = chunk.ToDictionary(i => claims[i].Feed.Id, i => i, StringComparer.Ordinal);
                    await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ClaimedBy eq {mark}"), maxPerPage: 1000, cancellationToken: cancellationToken))
                    {
                        if (ids.TryGetValue(row.RowKey, out var i))
                        {
                            versions[i] = row.ETag.ToString();
                        }
                    }

                    continue;
                }

                await Parallel.ForEachAsync(chunk.Where((_, k) => k != failed), cancellationToken, async (i, ct) => versions[i] = await TryClaimOneAsync(Patch(i), claims[i].Feed.Version!, ct));
            }
        }

        return versions;
    }

    private async Task<string?> TryClaimOneAsync(TableEntity patch, string version, CancellationToken cancellationToken)
    {
        try
        {
            return NewVersion(await _table.UpdateEntityAsync(patch, new ETag(version), TableUpdateMode.Merge, cancellationToken));
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    private static string NewVersion(Response response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The table service answered an update without an ETag.");

    public async Task<bool> TryRecordNotModifiedAsync(FeedRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var all = FeedEntityMapper.ToEntity(updated);
        var patch = new TableEntity(Partition, updated.Id);
        foreach (var field in FeedRecord.NotModifiedFields)
        {
            var column = FeedEntityMapper.Column(field);
            patch[column] = all[column];
        }

        try
        {
            await _table.UpdateEntityAsync(patch, new ETag(updated.Version!), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    public Task<FeedRecord?> UpdateAsync(string id, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken) =>
        UpdateAsync(id, null, change, cancellationToken);

    public Task<FeedRecord?> UpdateFromAsync(FeedRecord known, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        return UpdateAsync(known.Id, known.Version is null ? null : known, change, cancellationToken);
    }

    private Task<FeedRecord?> UpdateAsync(string id, FeedRecord? known, Func<FeedRecord, FeedRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return OptimisticUpdate.RunAsync<FeedRecord>(
            async () =>
            {
                if (known is { } first)
                {
                    known = null; // the caller's copy, for the first attempt only
                    return (first, new ETag(first.Version!));
                }

                return await GetAsync(id, cancellationToken) is { } feed ? (feed, new ETag(feed.Version!)) : null;
            },
            current => change(current) is var changed && ReferenceEquals(changed, current) ? current : changed with { Id = current.Id },
            async (updated, etag) =>
            {
                var response = await _table.UpdateEntityAsync(FeedEntityMapper.ToEntity(updated), etag, TableUpdateMode.Replace, cancellationToken);
                return updated with { Version = response.Headers.ETag?.ToString() };
            },
            MaxConflictRetries);
    }

    public async Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        return await TableKeys.DeleteAsync(_table, Partition, id, ifMatch, cancellationToken);
    }
}

internal static class FeedEntityMapper
{
    /// <summary>The column of a <see cref="FeedRecord"/> property (the same name, but for the HTTP validator: "ETag" is the table's own).</summary>
    public static string Column(string property) => property == nameof(FeedRecord.ETag) ? "ETagValue" : property;

    public static TableEntity ToEntity(FeedRecord feed) => new(TableFeedRegistry.Partition, feed.Id)
    {
        ["Url"] = feed.Url,
        ["Title"] = feed.Title,
        ["Enabled"] = feed.Enabled,
        ["PollIntervalSeconds"] = (long)feed.PollInterval.TotalSeconds,
        ["ETagValue"] = feed.ETag,
        ["LastModified"] = feed.LastModified,
        ["LastFetchedAt"] = feed.LastFetchedAt,
        ["LastSuccessAt"] = feed.LastSuccessAt,
        ["LastError"] = feed.LastError is { Length: > 1000 } e ? e[..1000] : feed.LastError,
        ["LastErrorAt"] = feed.LastErrorAt,
        ["LastWarning"] = feed.LastWarning is { Length: > 1000 } w ? w[..1000] : feed.LastWarning,
        ["LastHttpStatus"] = feed.LastHttpStatus,
        ["ConsecutiveFailures"] = feed.ConsecutiveFailures,
        ["NextDueAt"] = feed.NextDueAt,
        ["FetchCount"] = feed.FetchCount,
        ["NotModifiedCount"] = feed.NotModifiedCount,
        ["FailureCount"] = feed.FailureCount,
        ["NewArticleCount"] = feed.NewArticleCount,
        ["RecentArticles"] = feed.RecentArticles.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(feed.RecentArticles),
        ["NotCoveredCount"] = feed.NotCoveredCount,
        ["NotCoveredLanguage"] = feed.NotCoveredLanguage,
        ["NotCoveredRecent"] = feed.NotCoveredRecent.Count == 0 ? null : string.Join(',', feed.NotCoveredRecent),
        ["SeenItems"] = feed.SeenItems.Count == 0 ? null : string.Join(',', feed.SeenItems), // 1,000 × 17 characters at most: within a property's 32K
    };

    public static FeedRecord ToRecord(TableEntity e) => new()
    {
        Id = e.RowKey,
        Url = e.GetString("Url") ?? "",
        Title = e.GetString("Title") ?? "",
        Enabled = e.GetBoolean("Enabled") ?? true,
        PollInterval = TimeSpan.FromSeconds(e.GetInt64("PollIntervalSeconds") ?? 900),
        ETag = e.GetString("ETagValue"),
        LastModified = e.GetString("LastModified"),
        LastFetchedAt = e.GetDateTimeOffset("LastFetchedAt"),
        LastSuccessAt = e.GetDateTimeOffset("LastSuccessAt"),
        LastError = e.GetString("LastError"),
        LastErrorAt = e.GetDateTimeOffset("LastErrorAt"),
        LastWarning = e.GetString("LastWarning"),
        LastHttpStatus = e.GetInt32("LastHttpStatus"),
        ConsecutiveFailures = e.GetInt32("ConsecutiveFailures") ?? 0,
        NextDueAt = e.GetDateTimeOffset("NextDueAt") ?? DateTimeOffset.MinValue,
        FetchCount = e.GetInt64("FetchCount") ?? 0,
        NotModifiedCount = e.GetInt64("NotModifiedCount") ?? 0,
        FailureCount = e.GetInt64("FailureCount") ?? 0,
        NewArticleCount = e.GetInt64("NewArticleCount") ?? 0,
        NotCoveredCount = e.GetInt64("NotCoveredCount") ?? 0,
        NotCoveredLanguage = e.GetString("NotCoveredLanguage"),
        NotCoveredRecent = e.GetString("NotCoveredRecent") is { Length: > 0 } uncovered ? uncovered.Split(',') : [],
        SeenItems = e.GetString("SeenItems") is { Length: > 0 } seen ? seen.Split(',') : [],
        RecentArticles = e.GetString("RecentArticles") is { Length: > 0 } recent ? System.Text.Json.JsonSerializer.Deserialize<FeedArticleRef[]>(recent) ?? [] : [],
        Version = e.ETag.ToString(),
    };
}
