using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Alerts.Infrastructure.Local;

/// <summary>What <c>alerts store check</c> found: SQLite's own check, the records per collection, the records that do not read.</summary>
public sealed record StoreCheckReport(string Path, IReadOnlyList<string> IntegrityProblems, IReadOnlyDictionary<string, int> Records, IReadOnlyList<string> DamagedRecords)
{
    public bool Healthy => IntegrityProblems.Count == 0 && DamagedRecords.Count == 0;
}

/// <summary>
/// Checks and backs up the embedded store while it may be in use: both open the file read-only, without the lock that
/// <c>alerts run</c> holds (SQLite's write-ahead log lets a reader see a consistent snapshot).
/// </summary>
public static class StoreMaintenance
{
    private const int MaxListedProblems = 100;

    /// <exception cref="StoreDamagedException">There is no usable store file.</exception>
    public static StoreCheckReport Check(string folder)
    {
        var path = ExistingStore(folder);
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            SqliteStore.CheckLayout(connection, path);
            var integrity = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA integrity_check({MaxListedProblems})";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    if (reader.GetString(0) is var line && line != "ok")
                    {
                        integrity.Add(line);
                    }
                }
            }

            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var damaged = new List<string>();
            foreach (var (table, collection) in Collections(connection))
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT key, json FROM {table}";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    counts[collection] = counts.GetValueOrDefault(collection) + 1;
                    try
                    {
                        using var _ = JsonDocument.Parse(reader.GetString(1));
                    }
                    catch (JsonException ex)
                    {
                        if (damaged.Count < MaxListedProblems)
                        {
                            damaged.Add($"{collection}/{reader.GetString(0)}: {ex.Message}");
                        }
                    }
                }
            }

            return new StoreCheckReport(path, integrity, counts, damaged);
        }
        catch (SqliteException ex)
        {
            throw StoreDamagedException.From(path, ex);
        }
    }

    /// <summary>Copies the store to <paramref name="destination"/> with SQLite's online backup (a consistent copy, even while a run writes).</summary>
    /// <exception cref="StoreDamagedException">There is no usable store file.</exception>
    /// <exception cref="IOException"><paramref name="destination"/> exists already.</exception>
    public static long Backup(string folder, string destination)
    {
        var path = ExistingStore(folder);
        var target = System.IO.Path.GetFullPath(destination);
        if (File.Exists(target))
        {
            throw new IOException($"{target} exists already: choose a new file name, so that no backup is overwritten.");
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        try
        {
            using var source = Open(path, SqliteOpenMode.ReadOnly);
            using (var copy = Open(target, SqliteOpenMode.ReadWriteCreate))
            {
                source.BackupDatabase(copy);
            }

            return new FileInfo(target).Length;
        }
        catch (SqliteException ex)
        {
            File.Delete(target);
            throw StoreDamagedException.From(path, ex);
        }
    }

    // Each collection's table ("c_feeds" holds "feeds"); a store not opened since the first layout keeps one table.
    private static List<(string Table, string Collection)> Collections(SqliteConnection connection)
    {
        var tables = new List<(string, string)>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'c\\_%' ESCAPE '\\' OR name = 'records') ORDER BY name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            tables.Add(name == "records" ? ("(SELECT collection || '/' || key AS key, json FROM records)", "records (first layout)") : (name, name[2..]));
        }

        return tables;
    }

    private static string ExistingStore(string folder)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(folder), SqliteStore.FileName);
        if (!File.Exists(path))
        {
            throw new StoreDamagedException(path, "does not exist (no store in this folder; give --store)");
        }

        return new FileInfo(path).Length == 0 ? throw new StoreDamagedException(path, "is empty (0 bytes): it was truncated or damaged") : path;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
