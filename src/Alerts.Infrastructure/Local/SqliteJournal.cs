using Alerts.Infrastructure.Memory;
using Microsoft.Data.Sqlite;

namespace Alerts.Infrastructure.Local;

/// <summary>
/// The embedded store of <c>alerts run</c>: one SQLite file (<c>alerts.db</c>) in the store folder holding every record
/// as JSON, written through on each change. One process at a time: a lock file keeps a second one out.
/// </summary>
public sealed class SqliteJournal : IRecordJournal, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();

    public SqliteJournal(string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            _lock = new FileStream(Path.Combine(folder, "alerts.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another alerts process is using the store in {folder}.", ex);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "alerts.db"), Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        Execute("CREATE TABLE IF NOT EXISTS records (collection TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID;");
    }

    public string Folder => Path.GetDirectoryName(_connection.DataSource) ?? "";

    public IEnumerable<(string Key, string Json)> Load(string collection)
    {
        lock (_gate)
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
        }
    }

    public void Save(string collection, string key, string json)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO records (collection, key, json) VALUES ($collection, $key, $json) ON CONFLICT (collection, key) DO UPDATE SET json = excluded.json";
            command.Parameters.AddWithValue("$collection", collection);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$json", json);
            command.ExecuteNonQuery();
        }
    }

    public void Delete(string collection, string key)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM records WHERE collection = $collection AND key = $key";
            command.Parameters.AddWithValue("$collection", collection);
            command.Parameters.AddWithValue("$key", key);
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _lock.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
