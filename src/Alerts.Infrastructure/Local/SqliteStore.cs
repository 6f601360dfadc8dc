using System.Globalization;
using Alerts.Infrastructure.Memory;
using Microsoft.Data.Sqlite;

namespace Alerts.Infrastructure.Local;

/// <summary>
/// The embedded store of <c>alerts run</c> and <c>alerts serve</c>: one SQLite file (<c>alerts.db</c>) in the store
/// folder, one table per collection (a unique key, an optional indexed order value, the record as JSON). Nothing is
/// loaded at start and memory does not grow with the store: every read is a query. Writes go to one connection in
/// group commits (at most <see cref="GroupSize"/> writes or <see cref="GroupTime"/>, and at once for durable tables), so
/// that what a crash leaves is always a prefix of the writes, in order. One process at a time: a lock file keeps a
/// second one out. A store that exists is never created again: an empty, foreign or damaged file is a
/// <see cref="StoreDamagedException"/>, and a single record that cannot be read is reported through <c>warn</c> and
/// skipped. A store written by the first layout (one <c>records</c> table) is moved into this one as each collection
/// is first opened.
/// </summary>
public sealed class SqliteStore : IRecordTables, IDisposable
{
    public const string FileName = "alerts.db";

    /// <summary>Writes per group commit.</summary>
    public const int GroupSize = 50_000;

    /// <summary>The longest a write waits for its group's commit, by default.</summary>
    public static readonly TimeSpan GroupTime = TimeSpan.FromMilliseconds(200);

    // PRAGMA user_version of this layout; the first layout (one "records" table) had 0.
    private const int Layout = 2;
    private const string TablePrefix = "c_";
    private const string LegacyTable = "records";

    private readonly SqliteConnection _connection;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private readonly Action<string> _warn;
    private readonly Timer _committer;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private bool _inGroup;
    private int _pending;
    private bool _hasLegacy;
    private bool _disposed;
    private Exception? _commitFailure;

    /// <param name="folder">The store folder.</param>
    /// <param name="warn">Where records that do not read are reported.</param>
    /// <param name="groupTime">The longest a write waits for its commit (<see cref="GroupTime"/>; infinite: only full groups and <see cref="Flush"/>).</param>
    public SqliteStore(string folder, Action<string>? warn = null, TimeSpan? groupTime = null)
    {
        _warn = warn ?? (_ => { });
        Directory.CreateDirectory(folder);
        try
        {
            _lock = new FileStream(Path.Combine(folder, "alerts.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another alerts process is using the store in {folder}.", ex);
        }

        var path = Path.Combine(folder, FileName);
        try
        {
            var existed = File.Exists(path);
            if (existed && new FileInfo(path).Length == 0)
            {
                throw new StoreDamagedException(path, "is empty (0 bytes): it was truncated or damaged, and is not created again over your feeds, history and link key");
            }

            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            _connection.Open();
            _hasLegacy = HasTable(_connection, LegacyTable);
            if (existed)
            {
                CheckLayout(_connection, path);
            }

            // Bounded memory: a 128 MB page cache whatever the file's size; the write-ahead log lets readers in.
            Execute($"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY; PRAGMA user_version={Layout};");
            _begin = Prepare("BEGIN");
            _commit = Prepare("COMMIT");
        }
        catch (Exception ex) when (ex is StoreDamagedException or SqliteException)
        {
            _connection?.Dispose();
            _lock.Dispose();
            throw StoreDamagedException.From(path, ex);
        }

        _committer = new Timer(_ => CommitPending(), null, groupTime ?? GroupTime, groupTime ?? GroupTime);
    }

    public string FilePath => _connection.DataSource;

    public IRecordTable<T> Open<T>(string collection, Func<T, string?>? order = null, bool durable = false, bool keysOnly = false)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        if (!collection.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"A collection's name is lowercase letters and digits: '{collection}'.", nameof(collection));
        }

        lock (_gate)
        {
            return Guarded(() =>
            {
                var table = TablePrefix + collection;
                // Records of some size sit in a rowid table beside a unique index of their keys; an index's tiny rows are
                // their key alone (one B-tree, no second copy of the key).
                Execute(keysOnly
                    ? $"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, ord TEXT, json TEXT NOT NULL) WITHOUT ROWID;"
                    : $"CREATE TABLE IF NOT EXISTS {table} (key TEXT NOT NULL UNIQUE, ord TEXT, json TEXT NOT NULL); CREATE INDEX IF NOT EXISTS {table}_ord ON {table} (ord, key) WHERE ord IS NOT NULL;");
                var opened = new Table<T>(this, table, collection, order, durable);
                if (_hasLegacy)
                {
                    MoveLegacy(collection, opened);
                }

                return opened;
            });
        }
    }

    public IEnumerable<(string Key, string Json)> DrainLegacy(string collection)
    {
        string? after = "";
        while (after is not null)
        {
            List<(string Key, string Json)> page;
            lock (_gate)
            {
                if (!_hasLegacy)
                {
                    yield break;
                }

                page = Guarded(() => ReadLegacy(collection, after));
                if (page.Count == 0)
                {
                    Guarded(() => DeleteLegacy(collection));
                }
            }

            foreach (var row in page)
            {
                yield return row;
            }

            after = page.Count == 0 ? null : page[^1].Key;
        }
    }

    /// <summary>
    /// Work of a table of its own on the store's connection (the archive's FTS5 index): <paramref name="sql"/> creates
    /// it once, then <paramref name="prepare"/> makes its statements, used through <see cref="Write"/> and
    /// <see cref="Read{T}"/> only.
    /// </summary>
    public T Define<T>(string sql, Func<SqliteConnection, T> prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        lock (_gate)
        {
            return Guarded(() =>
            {
                Execute(sql);
                return prepare(_connection);
            });
        }
    }

    /// <summary>A write of such a table, in the open group commit (one write of it).</summary>
    public void Write(Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            Guarded(() =>
            {
                BeginWrite();
                write();
                Wrote(durable: false);
                return 0;
            });
        }
    }

    /// <summary>A read of such a table.</summary>
    public T Read<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return Guarded(read);
        }
    }

    /// <summary>Commits the writes of the open group now.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            Guarded(() =>
            {
                Commit();
                return 0;
            });
        }
    }

    public void Dispose()
    {
        _committer.Dispose();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                Commit();
            }
            finally
            {
                _begin.Dispose();
                _commit.Dispose();
                _connection.Dispose();
                _lock.Dispose();
            }
        }
    }

    private void CommitPending()
    {
        lock (_gate)
        {
            try
            {
                if (!_disposed)
                {
                    Commit();
                }
            }
            catch (SqliteException ex)
            {
                _commitFailure ??= ex; // reported by the next call, which has a caller to tell
            }
        }
    }

    private void Commit()
    {
        if (_inGroup)
        {
            _commit.ExecuteNonQuery();
            _inGroup = false;
            _pending = 0;
        }
    }

    private void Wrote(bool durable, int writes = 1)
    {
        if (durable || (_pending += writes) >= GroupSize)
        {
            Commit();
        }
    }

    private void BeginWrite()
    {
        if (!_inGroup)
        {
            _begin.ExecuteNonQuery();
            _inGroup = true;
        }
    }

    private T Guarded<T>(Func<T> action)
    {
        if (_commitFailure is { } failure)
        {
            throw StoreDamagedException.From(FilePath, failure);
        }

        try
        {
            return action();
        }
        catch (SqliteException ex) when (StoreDamagedException.IsDamage(ex))
        {
            throw StoreDamagedException.From(FilePath, ex);
        }
    }

    // The first layout's rows of one collection, moved a page at a time in groups; a row that does not read is kept as
    // it is (the table reports it when it is read), so nothing is lost.
    private void MoveLegacy<T>(string collection, Table<T> table)
        where T : class
    {
        var after = "";
        for (var page = ReadLegacy(collection, after); page.Count > 0; page = ReadLegacy(collection, after))
        {
            BeginWrite();
            foreach (var (key, json) in page)
            {
                table.PutJson(key, json);
            }

            Commit();
            after = page[^1].Key;
        }

        DeleteLegacy(collection);
    }

    private List<(string Key, string Json)> ReadLegacy(string collection, string after)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT key, json FROM {LegacyTable} WHERE collection = $collection AND key > $after ORDER BY key LIMIT 1000";
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$after", after);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private int DeleteLegacy(string collection)
    {
        BeginWrite();
        using (var delete = _connection.CreateCommand())
        {
            delete.CommandText = $"DELETE FROM {LegacyTable} WHERE collection = $collection";
            delete.Parameters.AddWithValue("$collection", collection);
            delete.ExecuteNonQuery();
        }

        if (Convert.ToInt64(Scalar($"SELECT count(*) FROM {LegacyTable}"), CultureInfo.InvariantCulture) == 0)
        {
            Execute($"DROP TABLE {LegacyTable}");
            _hasLegacy = false;
        }

        Commit();
        return 0;
    }

    private void Damaged(string collection, string key, string reason)
    {
        if (_reported.Count < 10_000 && _reported.Add(collection + "/" + key))
        {
            _warn($"skipped the damaged record {collection}/{key} in {FilePath} ({reason}); the rest of the store is used. 'alerts store check' lists every such record.");
        }
    }

    /// <summary>Throws unless the file is an alerts store of this layout or of the first one (which is moved on open).</summary>
    /// <exception cref="StoreDamagedException">Another kind of SQLite file, or one written by a newer version.</exception>
    public static void CheckLayout(SqliteConnection connection, string path)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var layout = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (layout > Layout)
        {
            throw new StoreDamagedException(path, $"was written by a newer version of alerts (layout {layout}; this one reads {Layout})");
        }

        if (layout != Layout && !HasTable(connection, LegacyTable))
        {
            throw new StoreDamagedException(path, "is not an alerts store (it has none of its tables)");
        }
    }

    private static bool HasTable(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters) => Prepared(_connection, sql, parameters);

    /// <summary>A statement on <paramref name="connection"/>, prepared once, its parameters named (values set at each use).</summary>
    internal static SqliteCommand Prepared(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }

    /// <summary>One collection's table, its statements prepared once.</summary>
    private sealed class Table<T> : IRecordTable<T>
        where T : class
    {
        private readonly SqliteStore _store;
        private readonly string _collection;
        private readonly Func<T, string?>? _order;
        private readonly bool _durable;
        private readonly SqliteCommand _get;
        private readonly SqliteCommand _add;
        private readonly SqliteCommand _put;
        private readonly SqliteCommand _remove;
        private readonly SqliteCommand _count;
        private readonly SqliteCommand _keys;
        private readonly Dictionary<int, SqliteCommand> _ranges = [];
        private readonly string _table;
        private readonly SqliteCommand[] _ordered;

        public Table(SqliteStore store, string table, string collection, Func<T, string?>? order, bool durable)
        {
            _store = store;
            _table = table;
            _collection = collection;
            _order = order;
            _durable = durable;
            _get = store.Prepare($"SELECT json FROM {table} WHERE key = $k", "$k");
            _add = store.Prepare($"INSERT INTO {table} (key, ord, json) VALUES ($k, $o, $j) ON CONFLICT (key) DO NOTHING", "$k", "$o", "$j");
            _put = store.Prepare($"INSERT INTO {table} (key, ord, json) VALUES ($k, $o, $j) ON CONFLICT (key) DO UPDATE SET ord = excluded.ord, json = excluded.json", "$k", "$o", "$j");
            _remove = store.Prepare($"DELETE FROM {table} WHERE key = $k", "$k");
            _count = store.Prepare($"SELECT count(*) FROM {table} WHERE key >= $lo AND key < $hi", "$lo", "$hi");
            _keys = store.Prepare($"SELECT key, json FROM {table} WHERE key >= $lo AND key < $hi AND key > $after ORDER BY key LIMIT $n", "$lo", "$hi", "$after", "$n");
            var range = $"SELECT key, json FROM {table} WHERE ord >= $lo AND ord < $hi";
            _ordered =
            [
                store.Prepare($"{range} ORDER BY ord, key LIMIT $n", "$lo", "$hi", "$n"),
                store.Prepare($"{range} AND (ord, key) > ($ao, $ak) ORDER BY ord, key LIMIT $n", "$lo", "$hi", "$ao", "$ak", "$n"),
                store.Prepare($"{range} ORDER BY ord DESC, key DESC LIMIT $n", "$lo", "$hi", "$n"),
                store.Prepare($"{range} AND (ord, key) < ($ao, $ak) ORDER BY ord DESC, key DESC LIMIT $n", "$lo", "$hi", "$ao", "$ak", "$n"),
            ];
        }

        public T? Find(string key)
        {
            lock (_store._gate)
            {
                return _store.Guarded(() =>
                {
                    _get.Parameters[0].Value = key;
                    return _get.ExecuteScalar() is string json ? Read(key, json) : null;
                });
            }
        }

        public bool TryAdd(string key, T item) => Write(_add, key, item) > 0;

        public void PutMany(IReadOnlyList<(string Key, T Item)> items)
        {
            ArgumentNullException.ThrowIfNull(items);
            var rows = items.Select(i => (i.Key, Order: _order?.Invoke(i.Item), Json: RecordJson.Write(i.Item))).ToList();
            lock (_store._gate)
            {
                _store.Guarded(() =>
                {
                    _store.BeginWrite();
                    foreach (var (key, order, json) in rows)
                    {
                        Bind(_put, key, order, json);
                        _put.ExecuteNonQuery();
                    }

                    _store.Wrote(_durable, rows.Count); // the lot in one group
                    return 0;
                });
            }
        }

        public IReadOnlyList<IReadOnlyList<string>> KeyRanges(IReadOnlyList<(string Low, string High)> ranges, int limit)
        {
            ArgumentNullException.ThrowIfNull(ranges);
            lock (_store._gate)
            {
                return _store.Guarded(() =>
                {
                    // One statement for the lot: a union of the ranges, each its own index seek, tagged with its place.
                    var command = RangesStatement(ranges.Count);
                    for (var i = 0; i < ranges.Count; i++)
                    {
                        command.Parameters[2 * i].Value = ranges[i].Low;
                        command.Parameters[(2 * i) + 1].Value = ranges[i].High;
                    }

                    command.Parameters[^1].Value = limit;
                    var answers = new List<string>[ranges.Count];
                    for (var i = 0; i < answers.Length; i++)
                    {
                        answers[i] = [];
                    }

                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        answers[reader.GetInt32(0)].Add(reader.GetString(1));
                    }

                    return answers;
                });
            }
        }

        private SqliteCommand RangesStatement(int count)
        {
            if (!_ranges.TryGetValue(count, out var command))
            {
                var parts = Enumerable.Range(0, count).Select(i => $"SELECT * FROM (SELECT {i}, key FROM {_table} WHERE key >= $l{i} AND key < $h{i} ORDER BY key LIMIT $n)");
                command = _store.Prepare(string.Join(" UNION ALL ", parts), [.. Enumerable.Range(0, count).SelectMany(i => new[] { $"$l{i}", $"$h{i}" }), "$n"]);
                _ranges[count] = command;
            }

            return command;
        }

        public void Put(string key, T item) => Write(_put, key, item);

        public bool Remove(string key)
        {
            lock (_store._gate)
            {
                return _store.Guarded(() =>
                {
                    _store.BeginWrite();
                    _remove.Parameters[0].Value = key;
                    var removed = _remove.ExecuteNonQuery() > 0;
                    _store.Wrote(_durable);
                    return removed;
                });
            }
        }

        public long Count(string prefix)
        {
            lock (_store._gate)
            {
                return _store.Guarded(() =>
                {
                    _count.Parameters[0].Value = prefix;
                    _count.Parameters[1].Value = prefix + RecordOrder.End;
                    return Convert.ToInt64(_count.ExecuteScalar(), CultureInfo.InvariantCulture);
                });
            }
        }

        public IReadOnlyList<(string Key, T Item)> KeyRange(string low, string high, string? after, int limit)
        {
            lock (_store._gate)
            {
                return _store.Guarded(() =>
                {
                    _keys.Parameters[0].Value = low;
                    _keys.Parameters[1].Value = high;
                    _keys.Parameters[2].Value = after ?? "";
                    _keys.Parameters[3].Value = limit;
                    return Rows(_keys);
                });
            }
        }

        public IReadOnlyList<(string Key, T Item)> OrderRange(string low, string high, bool descending, (string Order, string Key)? after, int limit)
        {
            lock (_store._gate)
            {
                return _store.Guarded(() =>
                {
                    var command = _ordered[(descending ? 2 : 0) + (after is null ? 0 : 1)];
                    command.Parameters["$lo"].Value = low;
                    command.Parameters["$hi"].Value = high;
                    command.Parameters["$n"].Value = limit;
                    if (after is { } position)
                    {
                        command.Parameters["$ao"].Value = position.Order;
                        command.Parameters["$ak"].Value = position.Key;
                    }

                    return Rows(command);
                });
            }
        }

        /// <summary>A record moved from the first layout as it was written; its order value when it reads.</summary>
        public void PutJson(string key, string json)
        {
            string? order = null;
            try
            {
                order = _order?.Invoke(RecordJson.Read<T>(json));
            }
            catch (Exception ex) when (RecordJson.IsUnreadable(ex))
            {
                _store.Damaged(_collection, key, ex.Message);
            }

            Bind(_put, key, order, json);
            _put.ExecuteNonQuery();
        }

        private int Write(SqliteCommand command, string key, T item)
        {
            var json = RecordJson.Write(item);
            var order = _order?.Invoke(item);
            lock (_store._gate)
            {
                return _store.Guarded(() =>
                {
                    _store.BeginWrite();
                    Bind(command, key, order, json);
                    var changed = command.ExecuteNonQuery();
                    _store.Wrote(_durable);
                    return changed;
                });
            }
        }

        private static void Bind(SqliteCommand command, string key, string? order, string json)
        {
            command.Parameters[0].Value = key;
            command.Parameters[1].Value = (object?)order ?? DBNull.Value;
            command.Parameters[2].Value = json;
        }

        private List<(string Key, T Item)> Rows(SqliteCommand command)
        {
            var rows = new List<(string, T)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = reader.GetString(0);
                if (Read(key, reader.GetString(1)) is { } item)
                {
                    rows.Add((key, item));
                }
            }

            return rows;
        }

        private T? Read(string key, string json)
        {
            try
            {
                return RecordJson.Read<T>(json);
            }
            catch (Exception ex) when (RecordJson.IsUnreadable(ex))
            {
                _store.Damaged(_collection, key, ex.Message);
                return null;
            }
        }
    }
}

/// <summary>The store file cannot be used as it is: says which file and what to do, in one line.</summary>
public sealed class StoreDamagedException(string path, string problem, Exception? inner = null)
    : Exception($"the store {path} {problem}. Restore it from a backup ('alerts store backup' makes one), or move it away to start a new store.", inner)
{
    public string StorePath { get; } = path;

    /// <summary>SQLite's "not a database", "corrupt" and "I/O error" codes: the file, not the call, is at fault.</summary>
    public static bool IsDamage(SqliteException error) => error?.SqliteErrorCode is 26 or 11 or 10;

    public static StoreDamagedException From(string path, Exception error) => error switch
    {
        StoreDamagedException damaged => damaged,
        SqliteException { SqliteErrorCode: 26 } => new StoreDamagedException(path, "is not a SQLite database (damaged, or another kind of file)", error),
        SqliteException sqlite => new StoreDamagedException(path, $"is damaged (SQLite: {sqlite.Message.Replace("SQLite Error ", "", StringComparison.Ordinal)})", error),
        _ => new StoreDamagedException(path, "cannot be read", error),
    };
}
