using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Memory;
using Microsoft.Data.Sqlite;

namespace Alerts.Infrastructure.Tests.Local;

/// <summary>The embedded store: the table contract (the same answers as the memory tables), group commits, reopening, the first layout moved.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alerts-sqlite-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public sealed record Row(string Name, string? Order);

    [Fact]
    public void Ranges_AnswerAsTheMemoryTablesDo_WithPagesAndContinuations()
    {
        using var store = new SqliteStore(_folder);
        var tables = new IRecordTable<Row>[] { store.Open<Row>("rows", r => r.Order), MemoryRecordTables.Instance.Open<Row>("rows", r => r.Order) };
        var random = new Random(5);
        foreach (var table in tables)
        {
            random = new Random(5);
            for (var i = 0; i < 500; i++)
            {
                var key = $"{(char)('a' + random.Next(3))}/{random.Next(1000):D4}";
                var order = random.Next(4) == 0 ? null : random.Next(50).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
                if (random.Next(5) == 0)
                {
                    table.TryAdd(key, new Row(key, order));
                }
                else if (random.Next(9) == 0)
                {
                    table.Remove(key);
                }
                else
                {
                    table.Put(key, new Row(key, order));
                }
            }
        }

        string Answers(IRecordTable<Row> t) => string.Join(";",
            t.Count(""), t.Count("b/"),
            string.Join(",", t.KeyRange("b/", "b/" + RecordOrder.End, null, 7).Select(r => r.Key)),
            string.Join(",", t.KeyRange("a/", "c/", "a/0500", 9).Select(r => r.Key)),
            string.Join(",", t.OrderRange("010", "020", false, null, 8).Select(r => r.Item.Order + r.Key)),
            string.Join(",", t.OrderRange("010", "020", true, ("015", "b/0500"), 8).Select(r => r.Item.Order + r.Key)),
            string.Join(",", t.OrderRange("", RecordOrder.End, false, ("030", "a/0000"), 5).Select(r => r.Item.Order + r.Key)),
            t.Find("a/0001")?.Name ?? "-");

        Assert.Equal(Answers(tables[1]), Answers(tables[0]));
        Assert.True(tables[0].Count("") > 100);
    }

    [Fact]
    public void Writes_AreCommittedInGroups_AndFoundAgainAfterReopening()
    {
        using (var store = new SqliteStore(_folder, groupTime: Timeout.InfiniteTimeSpan))
        {
            var table = store.Open<Row>("rows");
            for (var i = 0; i < SqliteStore.GroupSize + 10; i++)
            {
                table.Put($"k{i:D5}", new Row("r" + i, null));
            }

            // A reader on another connection sees whole groups only: the first is committed, the last ten are not yet.
            Assert.Equal(SqliteStore.GroupSize, CountFromOutside("c_rows"));
            store.Flush();
            Assert.Equal(SqliteStore.GroupSize + 10, CountFromOutside("c_rows"));
            table.Put("late", new Row("late", null)); // committed by Dispose
        }

        using var again = new SqliteStore(_folder);
        var reopened = again.Open<Row>("rows");
        Assert.Equal(SqliteStore.GroupSize + 11, reopened.Count(""));
        Assert.Equal("late", reopened.Find("late")?.Name);
    }

    [Fact]
    public void DurableTables_CommitEachWrite()
    {
        using var store = new SqliteStore(_folder);
        store.Open<Row>("sent", durable: true).Put("x", new Row("x", null));

        Assert.Equal(1, CountFromOutside("c_sent"));
    }

    [Fact]
    public async Task FirstLayout_IsMovedAsEachCollectionOpens_BandsConverted_DamagedRowsKept()
    {
        var firstSeen = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
        var story = new Story { Id = "s1", FirstArticleId = "a1", Title = "Curfew", FirstSeen = firstSeen, LastSeen = firstSeen, Countries = ["ML"], Signature = [1, 2] };
        var scored = new ScoredArticle { Id = "a1", FeedId = "f", Url = "https://news.test/1", ScoredAt = firstSeen, Result = ScoreResult.Empty, Content = "text" };
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, SqliteStore.FileName), Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "CREATE TABLE records (collection TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID");
            Insert(connection, "stories", "s1", System.Text.Json.JsonSerializer.Serialize(story, ArticleMessage.JsonOptions));
            Insert(connection, "storybands", "ML-recent|s1", System.Text.Json.JsonSerializer.Serialize(firstSeen, ArticleMessage.JsonOptions));
            Insert(connection, "storybands", "ML-b00-1234|s1", System.Text.Json.JsonSerializer.Serialize(firstSeen, ArticleMessage.JsonOptions));
            Insert(connection, "scoredarticles", "a1", System.Text.Json.JsonSerializer.Serialize(scored, ArticleMessage.JsonOptions));
            Insert(connection, "scoredarticles", "a2", "{broken");
        }

        var warnings = new List<string>();
        using (var store = new SqliteStore(_folder, warnings.Add))
        {
            var stories = new InMemoryStoryStore(store);
            Assert.Equal("Curfew", (await stories.GetAsync("s1", default))?.Title);
            var candidates = await stories.FindCandidatesAsync(new StoryKeys("ML", ["ML-b00-1234"]), 10, firstSeen.AddDays(-1), default);
            Assert.Equal([("s1", 1)], candidates.Sketches.Select(c => (c.StoryId, c.SharedBands)));

            var articles = new InMemoryScoredArticleStore(store);
            var newest = new List<ScoredArticle>();
            await foreach (var a in articles.ListNewestAsync(firstSeen.AddDays(-1), default))
            {
                newest.Add(a);
            }

            Assert.Equal(["a1"], newest.Select(a => a.Id)); // found through the time index the move built
            Assert.Null(await articles.GetAsync("a2", default)); // kept as it was, reported, skipped
            Assert.Contains(warnings, w => w.Contains("scoredarticles/a2", StringComparison.Ordinal));
        }

        var report = StoreMaintenance.Check(_folder);
        Assert.Equal(2, report.Records["storyindex"]);
        Assert.Equal(2, report.Records["scoredarticles"]);
        Assert.DoesNotContain(report.Records.Keys, k => k.Contains("first layout", StringComparison.Ordinal));
        Assert.Single(report.DamagedRecords);
    }

    [Fact]
    public void AnotherKindOfSqliteFile_IsRefused_NotTakenOver()
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, SqliteStore.FileName), Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "CREATE TABLE photos (id INTEGER)");
        }

        var error = Assert.Throws<StoreDamagedException>(() => new SqliteStore(_folder));
        Assert.Contains("is not an alerts store", error.Message, StringComparison.Ordinal);
    }

    private long CountFromOutside(string table)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, SqliteStore.FileName), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static void Insert(SqliteConnection connection, string collection, string key, string json)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO records VALUES ($c, $k, $j)";
        command.Parameters.AddWithValue("$c", collection);
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$j", json);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
