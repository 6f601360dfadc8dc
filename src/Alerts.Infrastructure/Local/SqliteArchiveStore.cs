using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Alerts.Core.Ingestion;
using Alerts.Core.Situation;
using Microsoft.Data.Sqlite;

namespace Alerts.Infrastructure.Local;

/// <summary>
/// The archive in the embedded store: each entry a row of <c>archive_rows</c> (its JSON) and its words and tags a row of
/// a contentless FTS5 table, both under a rowid made from the time the article was read (ticks × 8 and 3 bits of its id),
/// so that FTS5's own newest-first walk of a term's postings is the search order and a time range is a rowid range.
/// FTS5 keeps a term's postings as delta-coded varints: a few bytes per word of an article.
/// </summary>
public sealed class SqliteArchiveStore : IArchiveStore
{
    private const int ListPage = 500;
    private readonly SqliteStore _store;
    private readonly Statements _sql;

    public SqliteArchiveStore(SqliteStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _sql = store.Define(
            // Words are the service's own folded tokens, tags keep their ':' and '-': the tokenizer only splits on spaces.
            "CREATE TABLE IF NOT EXISTS archive_rows (id INTEGER PRIMARY KEY, article TEXT NOT NULL UNIQUE, json TEXT NOT NULL);"
            + "CREATE VIRTUAL TABLE IF NOT EXISTS archive_words USING fts5(words, tags, content='', contentless_delete=1, tokenize=\"unicode61 remove_diacritics 0 tokenchars ':-_'\");",
            connection => new Statements(connection));
    }

    public Task AddAsync(ArchiveEntry entry, IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tokens);
        var json = JsonSerializer.Serialize(entry, ArticleMessage.JsonOptions);
        var words = string.Join(' ', tokens.Where(t => !IsTag(t)));
        var tags = string.Join(' ', tokens.Where(IsTag));
        _store.Write(() =>
        {
            _sql.Existing.Parameters[0].Value = entry.ArticleId;
            var id = _sql.Existing.ExecuteScalar() is long known ? known : FreeId(entry);
            _sql.DeleteWords.Parameters[0].Value = id;
            _sql.DeleteWords.ExecuteNonQuery(); // a retry's words replace the first write's
            (_sql.PutRow.Parameters[0].Value, _sql.PutRow.Parameters[1].Value, _sql.PutRow.Parameters[2].Value) = (id, entry.ArticleId, json);
            _sql.PutRow.ExecuteNonQuery();
            (_sql.PutWords.Parameters[0].Value, _sql.PutWords.Parameters[1].Value, _sql.PutWords.Parameters[2].Value) = (id, words, tags);
            _sql.PutWords.ExecuteNonQuery();
        });
        return Task.CompletedTask;
    }

    public Task<ArchivePage> SearchAsync(IReadOnlyList<string> terms, DateTimeOffset from, DateTimeOffset until, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var high = Id(until);
        if (continuation is not null)
        {
            if (!long.TryParse(continuation, NumberStyles.None, CultureInfo.InvariantCulture, out var after) || after > high)
            {
                throw new ArchiveQueryException("continuation", "The continuation token is not one this search gave.");
            }

            high = after;
        }

        var command = terms.Count == 0 ? _sql.Newest : _sql.Match;
        var rows = _store.Read(() =>
        {
            if (terms.Count > 0)
            {
                command.Parameters["$match"].Value = string.Join(" AND ", terms.Select(t => (IsTag(t) ? "tags" : "words") + ":\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
            }

            (command.Parameters["$low"].Value, command.Parameters["$high"].Value, command.Parameters["$n"].Value) = (Id(from), high, pageSize + 1);
            var read = new List<(long Id, string Json)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                read.Add((reader.GetInt64(0), reader.GetString(1)));
            }

            return read;
        });
        var items = rows.Take(pageSize).Select(r => Read(r.Json)).OfType<ArchiveEntry>().ToList();
        return Task.FromResult(new ArchivePage(items, rows.Count > pageSize ? rows[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture) : null, terms));
    }

    public async IAsyncEnumerable<ArchiveEntry> ListAsync(DateTimeOffset from, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var high = Id(until);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = _store.Read(() =>
            {
                (_sql.Newest.Parameters["$low"].Value, _sql.Newest.Parameters["$high"].Value, _sql.Newest.Parameters["$n"].Value) = (Id(from), high, ListPage);
                var read = new List<(long Id, string Json)>();
                using var reader = _sql.Newest.ExecuteReader();
                while (reader.Read())
                {
                    read.Add((reader.GetInt64(0), reader.GetString(1)));
                }

                return read;
            });
            foreach (var entry in rows.Select(r => Read(r.Json)).OfType<ArchiveEntry>())
            {
                yield return entry;
            }

            if (rows.Count < ListPage)
            {
                break;
            }

            high = rows[^1].Id;
        }

        await Task.CompletedTask;
    }

    /// <summary>The first rowid of entries read at <paramref name="time"/>.</summary>
    private static long Id(DateTimeOffset time) => time.UtcTicks * 8;

    // The rowid of a new entry: its time, then 3 bits of its id; the next free one when articles share a tick.
    private long FreeId(ArchiveEntry entry)
    {
        var id = Id(entry.ReadAt) + (Math.Abs((long)entry.ArticleId.Aggregate(17, (h, c) => unchecked((h * 31) + c))) % 8);
        while (true)
        {
            _sql.Taken.Parameters[0].Value = id;
            if (_sql.Taken.ExecuteScalar() is null)
            {
                return id;
            }

            id++;
        }
    }

    private static bool IsTag(string token) => token.Length > 2 && token[1] == ':';

    // A row that does not read (a damaged store) is left out, as the record tables leave out theirs.
    private static ArchiveEntry? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ArchiveEntry>(json, ArticleMessage.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The store's statements for the archive, prepared once.</summary>
    private sealed class Statements(SqliteConnection connection)
    {
        public SqliteCommand Existing { get; } = SqliteStore.Prepared(connection, "SELECT id FROM archive_rows WHERE article = $a", "$a");
        public SqliteCommand Taken { get; } = SqliteStore.Prepared(connection, "SELECT 1 FROM archive_rows WHERE id = $id", "$id");
        public SqliteCommand DeleteWords { get; } = SqliteStore.Prepared(connection, "DELETE FROM archive_words WHERE rowid = $id", "$id");
        public SqliteCommand PutRow { get; } = SqliteStore.Prepared(connection, "INSERT OR REPLACE INTO archive_rows (id, article, json) VALUES ($id, $a, $j)", "$id", "$a", "$j");
        public SqliteCommand PutWords { get; } = SqliteStore.Prepared(connection, "INSERT INTO archive_words (rowid, words, tags) VALUES ($id, $w, $t)", "$id", "$w", "$t");
        public SqliteCommand Match { get; } = SqliteStore.Prepared(connection,
            "SELECT r.id, r.json FROM archive_words w JOIN archive_rows r ON r.id = w.rowid WHERE archive_words MATCH $match AND w.rowid >= $low AND w.rowid < $high ORDER BY w.rowid DESC LIMIT $n",
            "$match", "$low", "$high", "$n");
        public SqliteCommand Newest { get; } = SqliteStore.Prepared(connection, "SELECT id, json FROM archive_rows WHERE id >= $low AND id < $high ORDER BY id DESC LIMIT $n", "$low", "$high", "$n");
    }
}
