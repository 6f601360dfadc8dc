using Alerts.Testing;
using Microsoft.Data.Sqlite;

namespace Alerts.Cli.Tests.Commands;

/// <summary>A damaged store fails loudly in one line and is never created again; one bad record is skipped; check and backup.</summary>
public sealed class StoreCommandTests : IAsyncLifetime
{
    private string _dir = null!;

    private string Store => Path.Combine(_dir, ".alerts");

    private string Database => Path.Combine(Store, "alerts.db");

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("alerts-store-").FullName;
        var (exit, _, error) = await CliAsync("run", "--once", "--feeds", Path.Combine(RepositoryPaths.Root, "samples", "feeds.opml"), "--store", Store, "--outbox", Path.Combine(_dir, "outbox"));
        Assert.True(exit == 0, error);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, TextReader.Null, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private Task<(int Exit, string Out, string Err)> RunAgainAsync() =>
        CliAsync("run", "--once", "--store", Store, "--outbox", Path.Combine(_dir, "outbox"));

    private void Sql(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task TruncatedToZeroBytes_OneLineNamingTheFile_NotCreatedAgain()
    {
        await File.WriteAllBytesAsync(Database, []);

        var (exit, _, error) = await RunAgainAsync();

        Assert.Equal(1, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Database, line, StringComparison.Ordinal);
        Assert.Contains("is empty", line, StringComparison.Ordinal);
        Assert.Contains("backup", line, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(Database).Length);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("foreign")]
    public async Task NotAStore_OneLineAndExit1_NoStackTrace(string kind)
    {
        if (kind == "garbage")
        {
            var bytes = await File.ReadAllBytesAsync(Database);
            new Random(7).NextBytes(bytes.AsSpan(0, 4096)); // the header and the first page destroyed
            await File.WriteAllBytesAsync(Database, bytes);
            File.Delete(Database + "-wal");
        }
        else
        {
            Sql("PRAGMA user_version = 0; DROP TABLE c_feeds; CREATE TABLE other (x)"); // a SQLite file of something else
        }

        var (exit, _, error) = await RunAgainAsync();

        Assert.Equal(1, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("alerts: the store " + Database, line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
        Assert.Equal(1, (await CliAsync("store", "check", "--store", Store)).Exit);
    }

    [Fact]
    public async Task OneBrokenRecord_IsReportedAndSkipped_TheRestIsUsed_CheckListsIt()
    {
        // A feed record that is due (so the run reads it: records are read when needed, not at start) and does not read.
        Sql("UPDATE c_feeds SET json = '{broken', ord = '0000000000000000000' WHERE key = (SELECT min(key) FROM c_feeds)");

        var (exit, output, error) = await RunAgainAsync();

        Assert.True(exit == 0, error);
        Assert.Contains("alerts: warning: skipped the damaged record feeds/", error, StringComparison.Ordinal);
        Assert.Contains("Feeds ", output, StringComparison.Ordinal); // the run goes on with the rest of the store
        Assert.Equal(1, error.Split('\n').Count(l => l.Contains("damaged record", StringComparison.Ordinal)));
        var (checkExit, checkOut, checkError) = await CliAsync("store", "check", "--store", Store);
        Assert.Equal(1, checkExit);
        Assert.Contains("damaged record feeds/", checkError, StringComparison.Ordinal);
        Assert.Contains("Problems found", checkOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SoundStore_ListsCollections_Backup_CopiesAConsistentStore_NeverOverwrites()
    {
        var (exit, output, _) = await CliAsync("store", "check", "--store", Store);
        Assert.Equal(0, exit);
        Assert.Contains("feeds", output, StringComparison.Ordinal);
        Assert.Contains("OK: the store is sound.", output, StringComparison.Ordinal);

        var backup = Path.Combine(_dir, "copy", "alerts.db");
        var (backupExit, backupOut, backupError) = await CliAsync("store", "backup", backup, "--store", Store);
        Assert.True(backupExit == 0, backupError);
        Assert.Contains("Backed up to", backupOut, StringComparison.Ordinal);
        Assert.Equal(0, (await CliAsync("store", "check", "--store", Path.GetDirectoryName(backup)!)).Exit);
        Assert.Equal(0, (await CliAsync("run", "--once", "--store", Path.GetDirectoryName(backup)!, "--outbox", Path.Combine(_dir, "outbox2"))).Exit);

        var (again, _, againError) = await CliAsync("store", "backup", backup, "--store", Store);
        Assert.Equal(1, again);
        Assert.Contains("exists already", againError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreOfTheFirstLayout_IsMovedOnOpen_NothingLost()
    {
        // Written by the previous release's 'alerts run --once --feeds samples/feeds.opml' (one "records" table): 4 feeds,
        // 13 articles, 13 stories with 429 band rows, 4 alerts, the signing key and the local subscriber.
        var legacy = Path.Combine(_dir, "legacy");
        Directory.CreateDirectory(legacy);
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "Alerts.Cli.Tests", "Fixtures", "first-layout-store.db"), Path.Combine(legacy, "alerts.db"));

        var (exit, output, error) = await CliAsync("run", "--once", "--feeds", Path.Combine(RepositoryPaths.Root, "samples", "feeds.opml"), "--store", legacy, "--outbox", Path.Combine(_dir, "outbox3"));

        Assert.True(exit == 0, error);
        Assert.Matches(@"Articles\s+new 0 ", output); // the same items under new feed records: the moved article index knows them all
        var (checkExit, check, _) = await CliAsync("store", "check", "--store", legacy);
        Assert.Equal(0, checkExit);
        foreach (var (collection, count) in new[] { ("articles", 13), ("scoredarticles", 13), ("stories", 13), ("storyindex", 429), ("alerts", 4), ("settings", 1), ("subscribers", 1) })
        {
            Assert.Matches($@"(?m)^\s*{collection}\s+{count} records", check);
        }

        Assert.DoesNotContain("first layout", check, StringComparison.Ordinal); // the old table is gone once everything moved
        Assert.Equal(0, (await CliAsync("run", "--once", "--store", legacy, "--outbox", Path.Combine(_dir, "outbox3"))).Exit); // and it opens again
    }
}
