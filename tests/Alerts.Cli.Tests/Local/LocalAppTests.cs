using Alerts.Testing;

namespace Alerts.Cli.Tests.Local;

/// <summary>
/// What <c>alerts run</c> and <c>alerts serve</c> share (<see cref="Cli.Local.LocalApp"/>): inputs checked before the
/// store is created, and every bad setting reported once, on one line.
/// </summary>
public sealed class LocalAppTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alerts-local-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => Path.Combine(_dir, ".alerts");

    private static string SampleFeeds => Path.Combine(RepositoryPaths.Root, "samples", "feeds.opml");

    private async Task<(int Exit, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, "--store", Store, "--outbox", Path.Combine(_dir, "outbox")], TextReader.Null, output, error);
        return (exit, error.ToString());
    }

    [Theory]
    [InlineData("run", "--once")]
    [InlineData("serve", "--port", "1")]
    public async Task MalformedSettingsJson_OneLineWithWhere_AndNoStoreIsCreated(params string[] command)
    {
        var config = Path.Combine(_dir, "alerts.json");
        await File.WriteAllTextAsync(config, "{\n  \"Email\": { \"FromName\": \"Desk\" \n");

        var (exit, error) = await RunAsync([.. command, "--config", config]);

        Assert.Equal(1, exit);
        Assert.Equal($"alerts: the settings file {config} is not valid JSON: line 3, column 1: ", error.Split('\n')[0][..(error.IndexOf("column 1: ", StringComparison.Ordinal) + 10)]);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Store));
    }

    [Fact]
    public async Task MissingFeedList_OneLine_AndNoStoreIsCreated()
    {
        var (exit, error) = await RunAsync("run", "--once", "--feeds", Path.Combine(_dir, "nope.opml"));

        Assert.Equal(1, exit);
        Assert.StartsWith("alerts: cannot read the feed list", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(Store));
    }

    [Fact]
    public async Task InvalidSettings_EachReportedOnce_OnItsOwnLine()
    {
        var config = Path.Combine(_dir, "alerts.json");
        await File.WriteAllTextAsync(config, """{ "Email": { "MaxDigestItems": 1, "FromAddress": "nope" } }""");

        var (exit, error) = await RunAsync("run", "--once", "--config", config, "--feeds", SampleFeeds);

        Assert.Equal(1, exit);
        var lines = error.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(
            ["alerts: invalid setting: Email:FromAddress is not one valid address.", "alerts: invalid setting: Email:MaxDigestItems: The field MaxDigestItems must be between 5 and 500."],
            lines.Order(StringComparer.Ordinal));
    }
}
