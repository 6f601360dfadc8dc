using System.Runtime.CompilerServices;
using System.Text.Json;
using Alerts.Core.Digests;
using Alerts.Core.Ingestion;
using Alerts.Core.Subscriptions;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Infrastructure.Storage;

/// <summary>Subscribers in Azure Tables (PK: first two characters of the id, RK: the id), optimistic concurrency on every update.</summary>
public sealed class TableSubscriberStore : ISubscriberStore, Alerts.Core.Admin.ISubscriberDirectory
{
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableSubscriberStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.SubscribersTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task<bool> TryAddAsync(Subscriber subscriber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        await _created.EnsureAsync(cancellationToken);
        try
        {
            await _table.AddEntityAsync(ToEntity(subscriber), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<Subscriber?> GetAsync(string id, CancellationToken cancellationToken) => (await ReadAsync(id, cancellationToken))?.Subscriber;

    public Task<Subscriber?> UpdateAsync(string id, Func<Subscriber, Subscriber> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return OptimisticUpdate.RunAsync(
            () => ReadAsync(id, cancellationToken),
            change,
            async (updated, etag) =>
            {
                var response = await _table.UpdateEntityAsync(ToEntity(updated with { Id = id }), etag, TableUpdateMode.Replace, cancellationToken);
                return updated with { Id = id, Version = response.Headers.ETag?.ToString() };
            });
    }

    public async Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        return await TableKeys.DeleteAsync(_table, TableKeys.Partition(id), id, ifMatch, cancellationToken);
    }

    public async IAsyncEnumerable<Subscriber> ListAsync(SubscriberStatus status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"Status eq {status.ToString()}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return ToSubscriber(entity);
        }
    }

    public async Task<Alerts.Core.Admin.SubscriberPage> QueryAsync(string? search, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        if (EmailAddresses.Normalize(search) is { } exact && continuation is null)
        {
            // A whole address: one point read.
            var one = await GetAsync(Subscriber.IdForEmail(exact), cancellationToken);
            return new Alerts.Core.Admin.SubscriberPage(one is null ? [] : [one], null);
        }

        await foreach (var page in _table.QueryAsync<TableEntity>(maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize))
        {
            // Addresses are not indexed: a part of one is matched on each page, which may then hold fewer than pageSize.
            var matching = page.Values.Select(ToSubscriber)
                .Where(s => search is null || s.Email.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase) || s.DisplayName.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));
            return new Alerts.Core.Admin.SubscriberPage([.. matching], page.ContinuationToken);
        }

        return new Alerts.Core.Admin.SubscriberPage([], null);
    }

    private async Task<(Subscriber Subscriber, ETag ETag)?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(id), id, cancellationToken: cancellationToken);
        return response.HasValue ? (ToSubscriber(response.Value!), response.Value!.ETag) : null;
    }

    private static TableEntity ToEntity(Subscriber s) => new(TableKeys.Partition(s.Id), s.Id)
    {
        ["Email"] = s.Email,
        ["DisplayName"] = s.DisplayName,
        ["Status"] = s.Status.ToString(),
        ["TimeZone"] = s.TimeZone,
        ["Language"] = s.Language,
        ["Preferences"] = JsonSerializer.Serialize(s.Preferences, ArticleMessage.JsonOptions),
        ["DigestWatermark"] = s.DigestWatermark,
        ["LastDigestDueAt"] = s.LastDigestDueAt,
        ["CreatedAt"] = s.CreatedAt,
        ["ConfirmedAt"] = s.ConfirmedAt,
        ["Immediate"] = JsonSerializer.Serialize(s.Immediate, ArticleMessage.JsonOptions),
        ["Channels"] = s.Channels.Count == 0 ? null : JsonSerializer.Serialize(s.Channels, ArticleMessage.JsonOptions),
        ["PausedUntil"] = s.PausedUntil,
        ["FeedKey"] = s.FeedKey,
        ["PendingChannel"] = s.PendingChannel is null ? null : JsonSerializer.Serialize(s.PendingChannel, ArticleMessage.JsonOptions),
    };

    private static Subscriber ToSubscriber(TableEntity e) => new()
    {
        Id = e.RowKey,
        Email = e.GetString("Email") ?? "",
        DisplayName = e.GetString("DisplayName") ?? "",
        Status = Enum.Parse<SubscriberStatus>(e.GetString("Status") ?? nameof(SubscriberStatus.Pending)),
        TimeZone = e.GetString("TimeZone") ?? "UTC",
        Language = e.GetString("Language") ?? "en",
        Preferences = JsonSerializer.Deserialize<SubscriberPreferences>(e.GetString("Preferences") ?? "{}", ArticleMessage.JsonOptions) ?? new(),
        DigestWatermark = e.GetDateTimeOffset("DigestWatermark") ?? DateTimeOffset.MinValue,
        LastDigestDueAt = e.GetDateTimeOffset("LastDigestDueAt"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        ConfirmedAt = e.GetDateTimeOffset("ConfirmedAt"),
        Immediate = JsonSerializer.Deserialize<ImmediateSend[]>(e.GetString("Immediate") ?? "[]", ArticleMessage.JsonOptions) ?? [],
        Channels = JsonSerializer.Deserialize<Core.Channels.Channel[]>(e.GetString("Channels") ?? "[]", ArticleMessage.JsonOptions) ?? [],
        PausedUntil = e.GetDateTimeOffset("PausedUntil"),
        FeedKey = e.GetString("FeedKey"),
        PendingChannel = e.GetString("PendingChannel") is { } pending ? JsonSerializer.Deserialize<PendingChannel>(pending, ArticleMessage.JsonOptions) : null,
        Version = e.ETag.ToString(),
    };
}

/// <summary>Delivery records in Azure Tables: PK the subscriber id, RK the delivery id; claims are inserts or ETag-conditional takeovers.</summary>
public sealed class TableDeliveryStore : IDeliveryStore
{
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableDeliveryStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.DeliveriesTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task<DeliveryClaim> TryClaimAsync(Delivery delivery, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await _created.EnsureAsync(cancellationToken);
        var claimed = delivery with { State = DeliveryState.Sending, Attempts = 1, ClaimedUntil = now + lease, Error = null, AcceptedAt = null };
        try
        {
            await _table.AddEntityAsync(ToEntity(claimed), cancellationToken);
            return new DeliveryClaim(ClaimStatus.Claimed, claimed);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(delivery.SubscriberId, delivery.Id, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return new DeliveryClaim(ClaimStatus.Busy, delivery); // deleted in between (erasure): leave it
        }

        var existing = ToDelivery(response.Value!);
        var verdict = DeliveryClaims.Judge(existing, now);
        if (verdict != ClaimStatus.Claimed)
        {
            return new DeliveryClaim(verdict, existing);
        }

        claimed = claimed with { Attempts = existing.Attempts + 1 };
        try
        {
            await _table.UpdateEntityAsync(ToEntity(claimed), response.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
            return new DeliveryClaim(ClaimStatus.Claimed, claimed);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return new DeliveryClaim(ClaimStatus.Busy, existing);
        }
    }

    public async Task CompleteAsync(Delivery delivery, DeliveryState state, DateTimeOffset now, string? failure, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var patch = new TableEntity(delivery.SubscriberId, delivery.Id)
        {
            ["State"] = state.ToString(),
            ["Error"] = failure is null ? null : TableKeys.Clip(failure, 1000),
            ["AcceptedAt"] = state == DeliveryState.Accepted ? now : null,
            ["ClaimedUntil"] = retryAt ?? now,
        };
        await _table.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<Delivery?> GetAsync(string subscriberId, string id, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(subscriberId, id, cancellationToken: cancellationToken);
        return response.HasValue ? ToDelivery(response.Value!) : null;
    }

    public async Task DeleteAllAsync(string subscriberId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var keys = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {subscriberId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(e);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }
    }

    private static TableEntity ToEntity(Delivery d) => new(d.SubscriberId, d.Id)
    {
        ["Kind"] = d.Kind,
        ["State"] = d.State.ToString(),
        ["Attempts"] = d.Attempts,
        ["ClaimedUntil"] = d.ClaimedUntil,
        ["WindowDueAt"] = d.WindowDueAt,
        ["Cutoff"] = d.Cutoff,
        ["StoryId"] = d.StoryId,
        ["AcceptedAt"] = d.AcceptedAt,
        ["Error"] = d.Error,
    };

    private static Delivery ToDelivery(TableEntity e) => new()
    {
        SubscriberId = e.PartitionKey,
        Id = e.RowKey,
        Kind = e.GetString("Kind") ?? "",
        State = Enum.Parse<DeliveryState>(e.GetString("State") ?? nameof(DeliveryState.Sending)),
        Attempts = e.GetInt32("Attempts") ?? 0,
        ClaimedUntil = e.GetDateTimeOffset("ClaimedUntil") ?? DateTimeOffset.MinValue,
        WindowDueAt = e.GetDateTimeOffset("WindowDueAt"),
        Cutoff = e.GetDateTimeOffset("Cutoff"),
        StoryId = e.GetString("StoryId"),
        AcceptedAt = e.GetDateTimeOffset("AcceptedAt"),
        Error = e.GetString("Error"),
    };
}

/// <summary>Fixed-window counters in Azure Tables: one row per key, reset when its window is over; ETag-conditional increments.</summary>
public sealed class TableRateLimiter : IRateLimiter
{
    private const string Row = "window";
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly Lazily _created;

    public TableRateLimiter(StorageClients clients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.RateLimitsTable);
        _time = time;
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task<TimeSpan?> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await _created.EnsureAsync(cancellationToken);
        var partition = string.Concat(key.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c));
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var now = _time.GetUtcNow();
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Row, cancellationToken: cancellationToken);
            try
            {
                if (!response.HasValue || response.Value!.GetDateTimeOffset("WindowStart") is not { } start || start + window <= now)
                {
                    var fresh = new TableEntity(partition, Row) { ["WindowStart"] = now, ["Count"] = 1 };
                    if (response.HasValue)
                    {
                        await _table.UpdateEntityAsync(fresh, response.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    else
                    {
                        await _table.AddEntityAsync(fresh, cancellationToken);
                    }

                    return null;
                }

                var count = response.Value.GetInt32("Count") ?? 0;
                if (count >= limit)
                {
                    return start + window - now;
                }

                await _table.UpdateEntityAsync(new TableEntity(partition, Row) { ["WindowStart"] = start, ["Count"] = count + 1 }, response.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another request counted at the same time: read again.
            }
        }

        return window; // hot contention: treat as limited rather than let requests through uncounted
    }
}
