using System.Text.Json;
using Alerts.Testing;

namespace Alerts.Cli.Tests.Commands;

public sealed class FeedPreviewCommandTests : IAsyncLifetime
{
    private const string Atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://desk.example/">
          <title>Desk</title>
          <entry>
            <id>tag:desk.example,2026:1</id>
            <title>Foreign troops cross the border</title>
            <link href="news/1"/>
            <published>2026-11-28T09:15:00+02:00</published>
            <summary type="html">&lt;p&gt;Columns of &lt;b&gt;armoured&lt;/b&gt; vehicles.&lt;/p&gt;</summary>
          </entry>
        </feed>
        """;

    private FeedServer _server = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _dir = Directory.CreateTempSubdirectory("alerts-cli-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Preview_File_PrintsJsonWithUtcTimes()
    {
        var path = Path.Combine(_dir, "feed.xml");
        await File.WriteAllTextAsync(path, Atom);

        var (exit, output, error) = await RunAsync("feed", "preview", path, "--format", "json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("Desk", doc.RootElement.GetProperty("title").GetString());
        var item = Assert.Single(doc.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("guid:tag:desk.example,2026:1", item.GetProperty("key").GetString());
        Assert.Equal("Foreign troops cross the border", item.GetProperty("title").GetString());
        Assert.Equal("https://desk.example/news/1", item.GetProperty("url").GetString());
        Assert.Equal("2026-11-28T07:15:00Z", item.GetProperty("published").GetString());
        Assert.Equal("Columns of armoured vehicles.", item.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Preview_Url_FetchesWithTheSafeFetcherAndPrintsText()
    {
        _server.Feed("atom", Atom, "application/atom+xml");

        var (exit, output, _) = await RunAsync("feed", "preview", _server.Url("atom").AbsoluteUri, "--allow-loopback");

        Assert.Equal(0, exit);
        Assert.StartsWith("Desk (Atom, 1 items)", output, StringComparison.Ordinal);
        Assert.Contains("- Foreign troops cross the border", output, StringComparison.Ordinal);
        Assert.Contains("published: 2026-11-28T07:15:00Z", output, StringComparison.Ordinal);
        Assert.StartsWith("CrisisAlerts/", _server.Requests.Single().UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_LoopbackUrlWithoutFlag_IsRefused()
    {
        _server.Feed("atom", Atom);

        var (exit, output, error) = await RunAsync("feed", "preview", _server.Url("atom").AbsoluteUri);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("127.0.0.1", error, StringComparison.Ordinal);
        Assert.EndsWith("It is on this machine: add --allow-loopback to preview a local feed.", error.Trim(), StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("{\"version\": ", "Malformed JSON at line 1")]
    [InlineData("<html><body>hello</body></html>", "root element is <html>")]
    public async Task Preview_UnparseableFile_ExitsOneWithOneLineError(string content, string expected)
    {
        var path = Path.Combine(_dir, "bad.xml");
        await File.WriteAllTextAsync(path, content);

        var (exit, output, error) = await RunAsync("feed", "preview", path);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_MalformedButRecoverableFile_PrintsTheItemsAndTheWarning()
    {
        var path = Path.Combine(_dir, "cut.xml");
        await File.WriteAllTextAsync(path, "<rss><channel><title>Cut</title><item><title>Troops at the border</title><link>https://c.example/1</link></item><item><title>Hal");

        var (exit, output, error) = await RunAsync("feed", "preview", path);

        Assert.Equal((0, ""), (exit, error));
        Assert.StartsWith("Cut (Rss, 1 items)\nwarning: Malformed XML at line 1, column ", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("- Troops at the border", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_MissingFile_ExitsOne()
    {
        var (exit, _, error) = await RunAsync("feed", "preview", Path.Combine(_dir, "nope.xml"));

        Assert.Equal(1, exit);
        Assert.StartsWith("alerts: cannot read feed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_HttpError_ExitsOne()
    {
        _server.Status("gone", 404);

        var (exit, _, error) = await RunAsync("feed", "preview", _server.Url("gone").AbsoluteUri, "--allow-loopback");

        Assert.Equal(1, exit);
        Assert.Contains("HTTP 404", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_BadFormat_IsAUsageError()
    {
        var (exit, _, error) = await RunAsync("feed", "preview", "x.xml", "--format", "yaml");

        Assert.NotEqual(0, exit);
        Assert.Contains("yaml", error, StringComparison.Ordinal);
    }
}
