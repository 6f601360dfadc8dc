using System.Text.Json;
using Alerts.Core.Ingestion;

namespace Alerts.Infrastructure.Memory;

/// <summary>
/// Where the local stores keep their records: in process memory (<see cref="MemoryRecordTables"/>, for tests and
/// benchmarks) or in the embedded store's SQLite file (<c>SqliteStore</c>, for <c>alerts run</c> and <c>alerts serve</c>),
/// where nothing is loaded at start and memory does not grow with the store.
/// </summary>
public interface IRecordTables
{
    /// <summary>
    /// The table of one collection. <paramref name="order"/> gives a record's position in the table's second index
    /// (a sortable string, null for "not indexed"); <paramref name="durable"/> tables commit each write at once (records
    /// that stand for something done outside the store, such as an email sent), the others commit in groups.
    /// <paramref name="keysOnly"/> tables hold tiny records whose key says it all (an index), stored by key alone.
    /// </summary>
    IRecordTable<T> Open<T>(string collection, Func<T, string?>? order = null, bool durable = false, bool keysOnly = false)
        where T : class;

    /// <summary>
    /// The records of a collection that an earlier layout of the store kept and no table of this layout takes as they
    /// are: each is handed out once (and then gone), for its new owner to convert. None in memory.
    /// </summary>
    IEnumerable<(string Key, string Json)> DrainLegacy(string collection);
}

/// <summary>
/// One collection's records by key (ordinal order), with an optional second index. Each call is atomic on its own;
/// read-modify-write sequences are made atomic by <see cref="RecordCollection{T}"/>. Keys and order values are compared
/// ordinally (SQLite's UTF-8 byte order and .NET's UTF-16 order agree within the Basic Multilingual Plane).
/// </summary>
public interface IRecordTable<T>
    where T : class
{
    T? Find(string key);

    /// <summary>Adds the record unless the key exists; false when it does.</summary>
    bool TryAdd(string key, T item);

    /// <summary>Adds or replaces.</summary>
    void Put(string key, T item);

    bool Remove(string key);

    /// <summary>Records whose key starts with <paramref name="prefix"/> ("" for all).</summary>
    long Count(string prefix);

    /// <summary>Up to <paramref name="limit"/> records with keys in [<paramref name="low"/>, <paramref name="high"/>), after <paramref name="after"/> (exclusive), ascending.</summary>
    IReadOnlyList<(string Key, T Item)> KeyRange(string low, string high, string? after, int limit);

    /// <summary>Adds or replaces each, as one step.</summary>
    void PutMany(IReadOnlyList<(string Key, T Item)> items);

    /// <summary>The keys of <see cref="KeyRange"/> for each range (no record is read), as one step.</summary>
    IReadOnlyList<IReadOnlyList<string>> KeyRanges(IReadOnlyList<(string Low, string High)> ranges, int limit);

    /// <summary>Up to <paramref name="limit"/> indexed records with order values in [<paramref name="low"/>, <paramref name="high"/>), continuing after <paramref name="after"/>, ascending or descending.</summary>
    IReadOnlyList<(string Key, T Item)> OrderRange(string low, string high, bool descending, (string Order, string Key)? after, int limit);
}

/// <summary>Sortable forms for keys and order values.</summary>
public static class RecordOrder
{
    /// <summary>Above every key made of characters of the Basic Multilingual Plane: the end of a prefix's range.</summary>
    public const string End = "\uffff";

    /// <summary>A time as 19 digits (UTC ticks), sorting as the time does.</summary>
    public static string Of(DateTimeOffset time) => time.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A time as 19 digits that sort newest first.</summary>
    public static string Newest(DateTimeOffset time) => (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Tables in process memory: nothing survives the process.</summary>
public sealed class MemoryRecordTables : IRecordTables
{
    public static MemoryRecordTables Instance { get; } = new();

    public IRecordTable<T> Open<T>(string collection, Func<T, string?>? order = null, bool durable = false, bool keysOnly = false)
        where T : class => new MemoryRecordTable<T>(order);

    public IEnumerable<(string Key, string Json)> DrainLegacy(string collection) => [];
}

/// <summary>A table in process memory: a dictionary, the keys in order, and the second index in order.</summary>
public sealed class MemoryRecordTable<T>(Func<T, string?>? order) : IRecordTable<T>
    where T : class
{
    private static readonly Comparer<(string Order, string Key)> ByOrder = Comparer<(string Order, string Key)>.Create((a, b) =>
        string.CompareOrdinal(a.Order, b.Order) is var c && c != 0 ? c : string.CompareOrdinal(a.Key, b.Key));

    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly SortedSet<(string Order, string Key)> _order = new(ByOrder);
    private readonly Lock _gate = new();

    public T? Find(string key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public bool TryAdd(string key, T item)
    {
        lock (_gate)
        {
            if (_items.ContainsKey(key))
            {
                return false;
            }

            Set(key, item);
            return true;
        }
    }

    public void Put(string key, T item)
    {
        lock (_gate)
        {
            Unindex(key);
            Set(key, item);
        }
    }

    public void PutMany(IReadOnlyList<(string Key, T Item)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_gate)
        {
            foreach (var (key, item) in items)
            {
                Put(key, item);
            }
        }
    }

    public IReadOnlyList<IReadOnlyList<string>> KeyRanges(IReadOnlyList<(string Low, string High)> ranges, int limit)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        lock (_gate)
        {
            return [.. ranges.Select(r => (IReadOnlyList<string>)[.. Between(r.Low, r.High).Take(limit)])];
        }
    }

    public bool Remove(string key)
    {
        lock (_gate)
        {
            Unindex(key);
            _keys.Remove(key);
            return _items.Remove(key);
        }
    }

    public long Count(string prefix)
    {
        lock (_gate)
        {
            return prefix.Length == 0 ? _items.Count : Between(prefix, prefix + RecordOrder.End).Count();
        }
    }

    public IReadOnlyList<(string Key, T Item)> KeyRange(string low, string high, string? after, int limit)
    {
        lock (_gate)
        {
            return [.. Between(after is not null && string.CompareOrdinal(after, low) >= 0 ? after : low, high)
                .Where(k => after is null || string.CompareOrdinal(k, after) > 0)
                .Take(limit)
                .Select(k => (k, _items[k]))];
        }
    }

    public IReadOnlyList<(string Key, T Item)> OrderRange(string low, string high, bool descending, (string Order, string Key)? after, int limit)
    {
        lock (_gate)
        {
            if (string.CompareOrdinal(low, high) >= 0)
            {
                return [];
            }

            var view = _order.GetViewBetween((low, ""), (high, ""));
            var entries = (descending ? view.Reverse() : view)
                .Where(e => string.CompareOrdinal(e.Order, high) < 0)
                .Where(e => after is not { } a || (descending ? ByOrder.Compare(e, a) < 0 : ByOrder.Compare(e, a) > 0));
            return [.. entries.Take(limit).Select(e => (e.Key, _items[e.Key]))];
        }
    }

    private IEnumerable<string> Between(string from, string to) =>
        string.CompareOrdinal(from, to) >= 0 ? [] : _keys.GetViewBetween(from, to).Where(k => string.CompareOrdinal(k, to) < 0);

    private void Set(string key, T item)
    {
        _items[key] = item;
        _keys.Add(key);
        if (order?.Invoke(item) is { } value)
        {
            _order.Add((value, key));
        }
    }

    private void Unindex(string key)
    {
        if (order is not null && _items.TryGetValue(key, out var current) && order(current) is { } value)
        {
            _order.Remove((value, key));
        }
    }
}

/// <summary>JSON for stored records: the service's message options (camelCase, string enums where declared).</summary>
internal static class RecordJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, ArticleMessage.JsonOptions);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, ArticleMessage.JsonOptions) ?? throw new JsonException("The record is null.");

    /// <summary>True for the errors that mean "this JSON is not a <c>T</c>".</summary>
    public static bool IsUnreadable(Exception error) => error is JsonException or NotSupportedException or InvalidOperationException or ArgumentException;
}
