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
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT collection, key, json FROM records";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var collection = reader.GetString(0);
                    counts[collection] = counts.GetValueOrDefault(collection) + 1;
                    try
                    {
                        using var _ = JsonDocument.Parse(reader.GetString(2));
                    }
                    catch (JsonException ex)
                    {
                        if (damaged.Count < MaxListedProblems)
                        {
                            damaged.Add($"{collection}/{reader.GetString(1)}: {ex.Message}");
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

    private static string ExistingStore(string folder)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(folder), SqliteJournal.FileName);
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
