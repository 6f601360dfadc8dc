using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Stories in Azure Tables: the story rows, an index (PK: band key or "KZ-recent", RK: inverted first-seen ticks and the
/// story id, newest first) for candidate lookup, and
/// lease rows (PK "lock") that serialize story creation per key across instances.
/// </summary>
public sealed class TableStoryStore : IStoryStore
{
    private const string LockPartition = "lock";
    private const string ScopeSuffix = "-recent";
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(50);
    private readonly TableClient _stories;
    private readonly TableClient _bands;
    private readonly TimeProvider _time;
    private readonly Lazily _created;

    public TableStoryStore(StorageClients clients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _stories = clients.Table(clients.Options.StoriesTable);
        _bands = clients.Table(clients.Options.StoryBandsTable);
        _time = time;
        _created = new Lazily(async ct =>
        {
            await _stories.CreateIfNotExistsAsync(ct);
            await _bands.CreateIfNotExistsAsync(ct);
        });
    }

    public async Task<IReadOnlyList<StoryCandidate>> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await _created.EnsureAsync(cancellationToken);
        var bands = Task.WhenAll(keys.Bands.Select(key => NewestAsync(key, newest, since, cancellationToken)));
        var scope = NewestAsync(keys.Scope + ScopeSuffix, newest, since, cancellationToken);
        var found = (await bands).SelectMany(ids => ids).CountBy(id => id, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var id in await scope)
        {
            found.TryAdd(id, 0);
        }

        return [.. found.Select(p => new StoryCandidate(p.Key, p.Value))];
    }

    // Index rows sort newest first (inverted ticks, then the story id): one request reads a key's newest stories.
    private async Task<List<string>> NewestAsync(string key, int count, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey lt {NewestKey(since) + "."}");
        await foreach (var page in _bands.QueryAsync<TableEntity>(filter, maxPerPage: count, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            ids.AddRange(page.Values.Select(row => row.RowKey[(row.RowKey.IndexOf('-', StringComparison.Ordinal) + 1)..]).Take(count));
            break;
        }

        return ids;
    }

    private static string NewestKey(DateTimeOffset firstSeen) =>
        (DateTimeOffset.MaxValue.UtcTicks - firstSeen.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _stories.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(storyId), storyId, cancellationToken: cancellationToken);
        return response.HasValue ? ToStory(response.Value!) : null;
    }

    public async Task<bool> TryCreateAsync(Story story, StoryKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(keys);
        await _created.EnsureAsync(cancellationToken);
        try
        {
            await _stories.AddEntityAsync(ToEntity(story), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }

        await Task.WhenAll(keys.Bands.Append(keys.Scope + ScopeSuffix).Select(key => _bands.UpsertEntityAsync(
            new TableEntity(key, NewestKey(story.FirstSeen) + "-" + story.Id) { ["FirstSeen"] = story.FirstSeen }, TableUpdateMode.Replace, cancellationToken)));
        return true;
    }

    public Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return OptimisticUpdate.RunAsync<Story>(
            async () => await GetAsync(storyId, cancellationToken) is { } story ? (story, new ETag(story.Version!)) : null,
            change,
            async (updated, etag) =>
            {
                var response = await _stories.UpdateEntityAsync(ToEntity(updated), etag, TableUpdateMode.Replace, cancellationToken);
                return updated with { Version = response.Headers.ETag?.ToString() };
            });
    }

    public async Task<IAsyncDisposable> LockAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var owner = Guid.NewGuid().ToString("N");
        var deadline = _time.GetUtcNow() + lease + lease;
        while (true)
        {
            var now = _time.GetUtcNow();
            var row = new TableEntity(LockPartition, key) { ["Owner"] = owner, ["Until"] = now + lease };
            try
            {
                var added = await _stories.AddEntityAsync(row, cancellationToken);
                return new Lease(_stories, key, added.Headers.ETag ?? ETag.All);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                var current = await _stories.GetEntityIfExistsAsync<TableEntity>(LockPartition, key, cancellationToken: cancellationToken);
                if (current.HasValue && current.Value!.GetString("Owner") == owner)
                {
                    return new Lease(_stories, key, current.Value.ETag); // ours: the insert went through, its answer was lost and retried
                }

                if (current.HasValue && current.Value!.GetDateTimeOffset("Until") < now)
                {
                    try
                    {
                        var taken = await _stories.UpdateEntityAsync(row, current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                        return new Lease(_stories, key, taken.Headers.ETag ?? ETag.All); // the holder died: take over
                    }
                    catch (RequestFailedException conflict) when (conflict.Status is 412 or 404)
                    {
                    }
                }
            }

            if (_time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Could not acquire the lease '{key}'.");
            }

            await Task.Delay(LockPoll, cancellationToken);
        }
    }

    private sealed class Lease(TableClient table, string key, ETag etag) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await table.DeleteEntityAsync(LockPartition, key, etag);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // expired and taken over by someone else: nothing of ours to release
            }
        }
    }

    private static TableEntity ToEntity(Story story) => new(TableKeys.Partition(story.Id), story.Id)
    {
        ["FirstArticleId"] = story.FirstArticleId,
        ["Title"] = TableKeys.Clip(story.Title, 2000),
        ["FirstSeen"] = story.FirstSeen,
        ["LastSeen"] = story.LastSeen,
        ["Sources"] = string.Join(",", story.Sources),
        ["SourceCount"] = story.Sources.Count,
        ["Countries"] = string.Join(",", story.Countries),
        ["MaxSeverity"] = story.MaxSeverity.ToString(),
        ["ArticleIds"] = string.Join(",", story.ArticleIds),
        ["Signature"] = story.Signature,
        ["Event"] = story.Event is null ? null : string.Join(",", story.Event),
    };

    private static Story ToStory(TableEntity e) => new()
    {
        Id = e.RowKey,
        FirstArticleId = e.GetString("FirstArticleId") ?? "",
        Title = e.GetString("Title") ?? "",
        FirstSeen = e.GetDateTimeOffset("FirstSeen") ?? DateTimeOffset.MinValue,
        LastSeen = e.GetDateTimeOffset("LastSeen") ?? DateTimeOffset.MinValue,
        Sources = Split(e.GetString("Sources")),
        Countries = Split(e.GetString("Countries")),
        MaxSeverity = Enum.TryParse<Severity>(e.GetString("MaxSeverity"), out var severity) ? severity : Severity.None,
        ArticleIds = Split(e.GetString("ArticleIds")),
        Signature = e.GetBinary("Signature") ?? [],
        Event = e.GetString("Event") is { } features ? Split(features) : null,
        Version = e.ETag.ToString(),
    };

    private static string[] Split(string? value) => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
}
