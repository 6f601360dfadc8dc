using System.Runtime.CompilerServices;
using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Infrastructure.Memory;

/// <summary>
/// A keyed collection in process memory where every change is applied under one lock (so updates are atomic), written
/// through to an optional <see cref="IRecordJournal"/> (so a later run finds it again).
/// </summary>
public abstract class InMemoryRecords<T>
    where T : class
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly IRecordJournal? _journal;
    private readonly string _collection;

    protected InMemoryRecords(IRecordJournal? journal = null, string? collection = null)
    {
        _journal = journal;
        _collection = collection ?? typeof(T).Name;
        if (journal is not null)
        {
            foreach (var (key, value) in JournalJson.LoadAll<T>(journal, _collection))
            {
                _items[key] = value;
            }
        }
    }

    protected object Gate { get; } = new();

    public int Count
    {
        get
        {
            lock (Gate)
            {
                return _items.Count;
            }
        }
    }

    protected bool TryAdd(string key, T item)
    {
        lock (Gate)
        {
            if (!_items.TryAdd(key, item))
            {
                return false;
            }

            _journal?.Save(_collection, key, JournalJson.Write(item));
            return true;
        }
    }

    /// <summary>Adds or replaces.</summary>
    protected void Put(string key, T item)
    {
        lock (Gate)
        {
            _items[key] = item;
            _journal?.Save(_collection, key, JournalJson.Write(item));
        }
    }

    protected T? Get(string key)
    {
        lock (Gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    protected T? Update(string key, Func<T, T> change)
    {
        lock (Gate)
        {
            if (!_items.TryGetValue(key, out var current))
            {
                return null;
            }

            var updated = change(current);
            if (!ReferenceEquals(updated, current))
            {
                _items[key] = updated;
                _journal?.Save(_collection, key, JournalJson.Write(updated));
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
            if (!_items.TryGetValue(key, out var current) || (condition is not null && !condition(current)))
            {
                return false;
            }

            _items.Remove(key);

            _journal?.Delete(_collection, key);
            return true;
        }
    }

    protected List<T> Snapshot(Func<T, bool> predicate)
    {
        lock (Gate)
        {
            return [.. _items.Values.Where(predicate)];
        }
    }

    protected int RemoveWhere(Func<string, bool> predicate)
    {
        lock (Gate)
        {
            var keys = _items.Keys.Where(predicate).ToList();
            foreach (var key in keys)
            {
                _items.Remove(key);
                _journal?.Delete(_collection, key);
            }

            return keys.Count;
        }
    }
}

/// <summary>Subscribers in process memory, for the command line, tests and benchmarks; same contract as the table store.</summary>
public sealed class InMemorySubscriberStore(IRecordJournal? journal = null) : InMemoryRecords<Subscriber>(journal, "subscribers"), ISubscriberStore, Alerts.Core.Admin.ISubscriberDirectory
{
    public Task<Alerts.Core.Admin.SubscriberPage> QueryAsync(string? search, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var all = Snapshot(s => search is null || s.Email.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase) || s.DisplayName.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Email, StringComparer.OrdinalIgnoreCase).ToList();
        var skip = int.TryParse(continuation, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        var page = all.Skip(skip).Take(pageSize).ToList();
        return Task.FromResult(new Alerts.Core.Admin.SubscriberPage(page, skip + page.Count < all.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
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
        foreach (var subscriber in Snapshot(s => s.Status == status))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return subscriber;
        }

        await Task.CompletedTask;
    }
}

/// <summary>Delivery records in process memory; same claim rule as the table store.</summary>
public sealed class InMemoryDeliveryStore(IRecordJournal? journal = null) : InMemoryRecords<Delivery>(journal, "deliveries"), IDeliveryStore
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
        RemoveWhere(k => k.StartsWith(subscriberId + "/", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    /// <summary>Every record, for inspection.</summary>
    public IReadOnlyList<Delivery> All() => Snapshot(_ => true);
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

/// <summary>Alerts in process memory; same contract as the table store.</summary>
public sealed class InMemoryAlertStore(IRecordJournal? journal = null) : InMemoryRecords<InMemoryAlertStore.Entry>(journal, "alerts"), IAlertStore
{
    /// <summary>An alert and its breaking hand-off state.</summary>
    public sealed record Entry(AlertRecord Alert, bool BreakingQueued, DateTimeOffset BreakingClaimedUntil);

    public Task<bool> TryAddAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Task.FromResult(TryAdd(alert.StoryId, new Entry(alert, false, DateTimeOffset.MinValue)));
    }

    public Task<AlertRecord?> GetAsync(string storyId, CancellationToken cancellationToken) => Task.FromResult(Get(storyId)?.Alert);

    public Task<AlertRecord?> UpdateAsync(string storyId, Func<AlertRecord, AlertRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Task.FromResult(Update(storyId, e => e with { Alert = change(e.Alert) })?.Alert);
    }

    public Task<BreakingClaim> TryClaimBreakingAsync(string storyId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var claim = BreakingClaim.None;
        Update(storyId, e =>
        {
            claim = e.BreakingQueued ? BreakingClaim.AlreadyQueued : e.BreakingClaimedUntil > now ? BreakingClaim.Held(e.BreakingClaimedUntil) : BreakingClaim.Won;
            return claim.Claimed ? e with { BreakingClaimedUntil = now + lease } : e;
        });
        return Task.FromResult(claim);
    }

    public Task MarkBreakingQueuedAsync(string storyId, CancellationToken cancellationToken)
    {
        Update(storyId, e => e with { BreakingQueued = true });
        return Task.CompletedTask;
    }

    public Task<AlertPage> QueryAsync(AlertQuery query, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var all = Snapshot(e => query.Matches(e.Alert)).Select(e => e.Alert).OrderByDescending(a => a.ChangedAt).ThenBy(a => a.StoryId, StringComparer.Ordinal).ToList();
        var skip = int.TryParse(continuation, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        var page = all.Skip(skip).Take(pageSize).ToList();
        return Task.FromResult(new AlertPage(page, skip + page.Count < all.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    public Task<IReadOnlyList<AlertRecord>> ListChangedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertRecord>>([.. Snapshot(e => e.Alert.ChangedAt > since && e.Alert.ChangedAt <= until).Select(e => e.Alert)]);
}
