using Alerts.Infrastructure.Memory;
using Microsoft.Data.Sqlite;

namespace Alerts.Infrastructure.Local;

/// <summary>
/// The embedded store of <c>alerts run</c>: one SQLite file (<c>alerts.db</c>) in the store folder holding every record
/// as JSON, written through on each change. One process at a time: a lock file keeps a second one out. A store that
/// exists is never created again: an empty, foreign or damaged file is a <see cref="StoreDamagedException"/>, and a
/// single record that cannot be read is reported through <c>warn</c> and skipped.
/// </summary>
public sealed class SqliteJournal : IRecordJournal, IDisposable
{
    public const string FileName = "alerts.db";

    private readonly SqliteConnection _connection;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private readonly Action<string> _warn;

    public SqliteJournal(string folder, Action<string>? warn = null)
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
            if (existed && !HasRecordsTable(_connection))
            {
                throw new StoreDamagedException(path, "is not an alerts store (it has no records table)");
            }

            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            Execute("CREATE TABLE IF NOT EXISTS records (collection TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID;");
        }
        catch (Exception ex) when (ex is StoreDamagedException or SqliteException)
        {
            _connection?.Dispose();
            _lock.Dispose();
            throw StoreDamagedException.From(path, ex);
        }
    }

    public string Folder => Path.GetDirectoryName(_connection.DataSource) ?? "";

    public IEnumerable<(string Key, string Json)> Load(string collection)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT key, json FROM records WHERE collection = $collection";
                command.Parameters.AddWithValue("$collection", collection);
                using var reader = command.ExecuteReader();
                var rows = new List<(string, string)>();
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1)));
                }

                return rows;
            });
        }
    }

    public void Save(string collection, string key, string json)
    {
        lock (_gate)
        {
            Guarded(() =>
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "INSERT INTO records (collection, key, json) VALUES ($collection, $key, $json) ON CONFLICT (collection, key) DO UPDATE SET json = excluded.json";
                command.Parameters.AddWithValue("$collection", collection);
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$json", json);
                return command.ExecuteNonQuery();
            });
        }
    }

    public void Delete(string collection, string key)
    {
        lock (_gate)
        {
            Guarded(() =>
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "DELETE FROM records WHERE collection = $collection AND key = $key";
                command.Parameters.AddWithValue("$collection", collection);
                command.Parameters.AddWithValue("$key", key);
                return command.ExecuteNonQuery();
            });
        }
    }

    public void Damaged(string collection, string key, string reason) =>
        _warn($"skipped the damaged record {collection}/{key} in {_connection.DataSource} ({reason}); the rest of the store is used. 'alerts store check' lists every such record.");

    public void Dispose()
    {
        _connection.Dispose();
        _lock.Dispose();
    }

    private T Guarded<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException ex) when (StoreDamagedException.IsDamage(ex))
        {
            throw StoreDamagedException.From(_connection.DataSource, ex);
        }
    }

    private static bool HasRecordsTable(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'records'";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
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
