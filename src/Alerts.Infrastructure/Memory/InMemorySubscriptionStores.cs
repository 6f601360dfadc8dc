using System.Runtime.CompilerServices;
using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Infrastructure.Memory;

/// <summary>
/// A keyed collection over an <see cref="IRecordTable{T}"/> (process memory, or the embedded store's SQLite file) where
/// every read-modify-write is applied under one lock, so updates are atomic. Reads of many records stream in pages:
/// memory holds a page, not the collection.
/// </summary>
public abstract class RecordCollection<T>
    where T : class
{
    private const int PageSize = 256;
    private readonly IRecordTable<T> _table;
    private readonly Func<T, string?>? _order;

    protected RecordCollection(IRecordTables? tables, string collection, Func<T, string?>? order = null, bool durable = false)
    {
        _order = order;
        _table = (tables ?? MemoryRecordTables.Instance).Open(collection, order, durable);
    }

    protected object Gate { get; } = new();

    public long Count => _table.Count("");

    protected bool TryAdd(string key, T item)
    {
        lock (Gate)
        {
            return _table.TryAdd(key, item);
        }
    }

    /// <summary>Adds or replaces.</summary>
    protected void Put(string key, T item)
    {
        lock (Gate)
        {
            _table.Put(key, item);
        }
    }

    protected T? Get(string key) => _table.Find(key);

    protected T? Update(string key, Func<T, T> change)
    {
        lock (Gate)
        {
            if (_table.Find(key) is not { } current)
            {
                return null;
            }

            var updated = change(current);
            if (!ReferenceEquals(updated, current))
            {
                _table.Put(key, updated);
            }

            return updated;
        }
    }

    /// <summary>A fresh opaque concurrency token.</summary>
    protected static string NewVersion() => Guid.NewGuid().ToString("N");

    /// <summary>Removes the item when it exists and <paramref name="condition"/> (if any) holds for it.</summary>
    protected bool Remove(string key, Func<T, bool>? condition = null)
    {
        lock (Gate)
        {
            return _table.Find(key) is { } current && (condition is null || condition(current)) && _table.Remove(key);
        }
    }

    /// <summary>The records whose key starts with <paramref name="prefix"/> ("" for all), in key order, read a page at a time.</summary>
    protected IEnumerable<(string Key, T Item)> Scan(string prefix = "")
    {
        string? after = null;
        while (true)
        {
            var page = _table.KeyRange(prefix, prefix + RecordOrder.End, after, PageSize);
            foreach (var row in page)
            {
                yield return row;
            }

            // A record that does not read is left out of its page: only an empty page ends the range.
            if (page.Count == 0)
            {
                yield break;
            }

            after = page[^1].Key;
        }
    }

    /// <summary>The records with keys in [<paramref name="low"/>, <paramref name="high"/>), in key order, read a page at a time.</summary>
    protected IEnumerable<(string Key, T Item)> Range(string low, string high)
    {
        string? after = null;
        while (_table.KeyRange(low, high, after, PageSize) is { Count: > 0 } page)
        {
            foreach (var row in page)
            {
                yield return row;
            }

            after = page[^1].Key;
        }
    }

    /// <summary>The indexed records with order values in [<paramref name="from"/>, <paramref name="to"/>), read a page at a time.</summary>
    protected IEnumerable<(string Key, T Item)> Ordered(string from, string to, bool descending = false, (string Order, string Key)? after = null)
    {
        while (true)
        {
            var page = _table.OrderRange(from, to, descending, after, PageSize);
            foreach (var row in page)
            {
                yield return row;
            }

            if (page.Count == 0 || _order?.Invoke(page[^1].Item) is not { } last)
            {
                yield break;
            }

            after = (last, page[^1].Key);
        }
    }

    protected long CountPrefix(string prefix) => _table.Count(prefix);

    protected int RemovePrefix(string prefix)
    {
        lock (Gate)
        {
            var keys = Scan(prefix).Select(r => r.Key).ToList();
            return keys.Count(_table.Remove);
        }
    }
}

/// <summary>Subscribers over record tables (indexed by address), for the command line, tests and benchmarks; same contract as the table store.</summary>
public sealed class InMemorySubscriberStore(IRecordTables? tables = null)
    : RecordCollection<Subscriber>(tables, "subscribers", s => s.Email.ToUpperInvariant(), durable: true), ISubscriberStore, Alerts.Core.Admin.ISubscriberDirectory
{
    public Task<Alerts.Core.Admin.SubscriberPage> QueryAsync(string? search, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        // Read in address order, a page at a time, from where the last page stopped.
        var term = search?.Trim();
        var after = continuation?.Split('\n', 2) is [var email, var id] ? (email, id) : ((string, string)?)null;
        var matching = Ordered("", RecordOrder.End, after: after)
            .Where(r => term is null || r.Item.Email.Contains(term, StringComparison.OrdinalIgnoreCase) || r.Item.DisplayName.Contains(term, StringComparison.OrdinalIgnoreCase))
            .Take(pageSize + 1)
            .ToList();
        var page = matching.Take(pageSize).ToList();
        var next = matching.Count > pageSize ? page[^1].Item.Email.ToUpperInvariant() + "\n" + page[^1].Key : null;
        return Task.FromResult(new Alerts.Core.Admin.SubscriberPage([.. page.Select(r => r.Item)], next));
    }

    public Task<bool> TryAddAsync(Subscriber subscriber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return Task.FromResult(TryAdd(subscriber.Id, subscriber with { Version = NewVersion() }));
    }

    public Task<Subscriber?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Get(id));

    public Task<Subscriber?> UpdateAsync(string id, Func<Subscriber, Subscriber> change, CancellationToken cancellationToken) =>
        Task.FromResult(Update(id, s => change(s) is var updated && ReferenceEquals(updated, s) ? s : updated with { Id = id, Version = NewVersion() }));

    public Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken) =>
        Task.FromResult(Remove(id, s => ifMatch is null || s.Version == ifMatch));

    public async IAsyncEnumerable<Subscriber> ListAsync(SubscriberStatus status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (_, subscriber) in Scan())
        {
            if (subscriber.Status != status)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return subscriber;
        }

        await Task.CompletedTask;
    }
}

/// <summary>Delivery records over record tables (each write committed at once: it stands for a message sent); same claim rule as the table store.</summary>
public sealed class InMemoryDeliveryStore(IRecordTables? tables = null) : RecordCollection<Delivery>(tables, "deliveries", durable: true), IDeliveryStore
{
    public Task<DeliveryClaim> TryClaimAsync(Delivery delivery, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var claimed = delivery with { State = DeliveryState.Sending, Attempts = 1, ClaimedUntil = now + lease, Error = null, AcceptedAt = null };
        lock (Gate)
        {
            if (TryAdd(delivery.Key, claimed))
            {
                return Task.FromResult(new DeliveryClaim(ClaimStatus.Claimed, claimed));
            }

            var existing = Get(delivery.Key)!;
            var verdict = DeliveryClaims.Judge(existing, now);
            if (verdict != ClaimStatus.Claimed)
            {
                return Task.FromResult(new DeliveryClaim(verdict, existing));
            }

            claimed = claimed with { Attempts = existing.Attempts + 1 };
            Update(delivery.Key, _ => claimed);
            return Task.FromResult(new DeliveryClaim(ClaimStatus.Claimed, claimed));
        }
    }

    public Task CompleteAsync(Delivery delivery, DeliveryState state, DateTimeOffset now, string? failure, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        Update(delivery.Key, d => d with { State = state, Error = failure, AcceptedAt = state == DeliveryState.Accepted ? now : null, ClaimedUntil = retryAt ?? now });
        return Task.CompletedTask;
    }

    public Task<Delivery?> GetAsync(string subscriberId, string id, CancellationToken cancellationToken) => Task.FromResult(Get(subscriberId + "/" + id));

    public Task DeleteAllAsync(string subscriberId, CancellationToken cancellationToken)
    {
        RemovePrefix(subscriberId + "/");
        return Task.CompletedTask;
    }

    /// <summary>Every record, for inspection.</summary>
    public IReadOnlyList<Delivery> All() => [.. Scan().Select(r => r.Item)];
}

/// <summary>Fixed-window counters in process memory.</summary>
public sealed class InMemoryRateLimiter(TimeProvider time) : IRateLimiter
{
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = new(StringComparer.Ordinal);

    public Task<TimeSpan?> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_windows)
        {
            if (!_windows.TryGetValue(key, out var current) || current.Start + window <= now)
            {
                _windows[key] = (now, 1);
                return Task.FromResult<TimeSpan?>(null);
            }

            if (current.Count >= limit)
            {
                return Task.FromResult<TimeSpan?>(current.Start + window - now);
            }

            _windows[key] = (current.Start, current.Count + 1);
            return Task.FromResult<TimeSpan?>(null);
        }
    }
}

/// <summary>Alerts over record tables, indexed by when they last changed; same contract as the table store.</summary>
public sealed class InMemoryAlertStore(IRecordTables? tables = null)
    : RecordCollection<InMemoryAlertStore.Entry>(tables, "alerts", e => RecordOrder.Of(e.Alert.ChangedAt)), IAlertStore
{
    /// <summary>An alert and its breaking hand-off state.</summary>
    public sealed record Entry(AlertRecord Alert, bool BreakingQueued, DateTimeOffset BreakingClaimedUntil);

    public Task<bool> TryAddAsync(AlertRecord alert, DateTimeOffset? breakingClaimedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Task.FromResult(TryAdd(alert.StoryId, new Entry(alert, false, breakingClaimedUntil ?? DateTimeOffset.MinValue)));
    }

    public Task<AlertRecord?> GetAsync(string storyId, CancellationToken cancellationToken) => Task.FromResult(Get(storyId)?.Alert);

    public Task<AlertUpdate> UpdateAsync(string storyId, Func<AlertRecord, AlertRecord> change, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var claim = BreakingClaim.None;
        var entry = Update(storyId, e =>
        {
            var updated = change(e.Alert);
            claim = updated.Severity != Severity.Critical ? BreakingClaim.None
                : e.BreakingQueued ? BreakingClaim.AlreadyQueued
                : e.BreakingClaimedUntil > now ? BreakingClaim.Held(e.BreakingClaimedUntil)
                : BreakingClaim.Won;
            return ReferenceEquals(updated, e.Alert) && !claim.Claimed ? e : e with { Alert = updated, BreakingClaimedUntil = claim.Claimed ? now + lease : e.BreakingClaimedUntil };
        });
        return Task.FromResult(new AlertUpdate(entry?.Alert, entry is null ? BreakingClaim.None : claim));
    }

    public Task MarkBreakingQueuedAsync(string storyId, CancellationToken cancellationToken)
    {
        Update(storyId, e => e with { BreakingQueued = true });
        return Task.CompletedTask;
    }

    public Task<AlertPage> QueryAsync(AlertQuery query, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Newest change first, a page at a time; the continuation is the position of the last alert given.
        var after = continuation?.Split('\n', 2) is [var order, var key] ? (order, key) : ((string, string)?)null;
        var matching = Ordered("", RecordOrder.End, descending: true, after: after)
            .Where(r => query.Matches(r.Item.Alert))
            .Take(pageSize + 1)
            .ToList();
        var page = matching.Take(pageSize).ToList();
        var next = matching.Count > pageSize ? RecordOrder.Of(page[^1].Item.Alert.ChangedAt) + "\n" + page[^1].Key : null;
        return Task.FromResult(new AlertPage([.. page.Select(r => r.Item.Alert)], next));
    }

    public Task<IReadOnlyList<AlertRecord>> ListChangedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertRecord>>([.. Ordered(RecordOrder.Of(since.AddTicks(1)), RecordOrder.Of(until.AddTicks(1))).Select(r => r.Item.Alert)]);
}
