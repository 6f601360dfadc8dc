using System.Net.Mail;
using Alerts.Testing;

namespace Alerts.Cli.Tests.Commands;

/// <summary><c>alerts run</c> in-process, over a temporary store and outbox.</summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private string _dir = null!;
    private FeedServer _server = null!;

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("alerts-run-").FullName;
        _server = await FeedServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Store => Path.Combine(_dir, ".alerts");

    private string Outbox => Path.Combine(_dir, "outbox");

    private static string Samples => Path.Combine(RepositoryPaths.Root, "samples");

    private async Task<(int Exit, string Out, string Err)> RunAsync(string feeds, bool once = true, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["run", "--feeds", feeds, "--store", Store, "--outbox", Outbox, .. once ? new[] { "--once" } : []];
        var exit = await CliApp.RunAsync(args, TextReader.Null, output, error, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    private List<(string File, string Subject, string Text)> Emails() =>
        [.. Directory.Exists(Outbox) ? Directory.GetFiles(Outbox, "*.eml").Order(StringComparer.Ordinal).Select(Read) : []];

    /// <summary>An outbox email as a mail client reads it (MimeKit: encoded and folded subjects, base64 parts).</summary>
    private static (string File, string Subject, string Text) Read(string file)
    {
        var mime = MimeKit.MimeMessage.Load(file);
        return (Path.GetFileName(file), mime.Subject ?? "", mime.TextBody ?? "");
    }

    [Fact]
    public async Task Once_OnTheSamples_AlertsOnTheCrisesNotTheTraps_AndASecondRunSendsNothingNew()
    {
        var (exit, output, error) = await RunAsync(Path.Combine(Samples, "feeds.opml"));

        Assert.True(exit == 0, error);
        Assert.Contains("Feeds         fetched 4  not modified 0  failed 0", output, StringComparison.Ordinal);
        Assert.Contains("Articles      new 13  scored 13", output, StringComparison.Ordinal);
        Assert.Contains("New alerts    critical 3  warning 1", output, StringComparison.Ordinal);
        Assert.Contains("Emails        breaking 3  digests 1", output, StringComparison.Ordinal);
        var emails = Emails();
        Assert.Equal(4, emails.Count);
        var breaking = emails.Where(e => e.File.Contains("_breaking_", StringComparison.Ordinal)).Select(e => e.Subject).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "Critical, Bolivia: Militares toman el palacio presidencial en Bolivia y anuncian un golpe de Estado", // a coup: sent at once
                "Critical, Chad: Tchad : l'armée tire à balles réelles sur des manifestants à N'Djamena",
                "Critical, Guinea: Guinea declares state of emergency as soldiers fire on marchers in Conakry",
            ],
            breaking);
        var digest = Assert.Single(emails, e => e.File.Contains("_digest_", StringComparison.Ordinal));
        Assert.DoesNotContain("Bolivia", digest.Text, StringComparison.Ordinal); // sent at once, not repeated
        Assert.Contains("Curfew ordered in Goma", digest.Text, StringComparison.Ordinal);
        Assert.Contains("- Curfew: ", digest.Text, StringComparison.Ordinal); // why it matched
        foreach (var trap in new[] { "Martial Law", "teen curfew", "Ziguinchor", "Simulacro", "tram", "rates" })
        {
            Assert.DoesNotContain(emails, e => e.Text.Contains(trap, StringComparison.OrdinalIgnoreCase));
        }

        var second = await RunAsync(Path.Combine(Samples, "feeds.opml"));

        Assert.Equal(0, second.Exit);
        Assert.Contains("(4 new)", output, StringComparison.Ordinal);
        Assert.Contains("(0 new)", second.Out, StringComparison.Ordinal);
        Assert.Contains("Articles      new 0", second.Out, StringComparison.Ordinal);
        Assert.Contains("Emails        breaking 0  digests 0", second.Out, StringComparison.Ordinal);
        Assert.Equal(4, Emails().Count);
    }

    [Fact]
    public async Task Once_BrokenAndUnreachableFeeds_AreReported_AndTheOthersStillProcessed()
    {
        var broken = Path.Combine(_dir, "broken.xml");
        await File.WriteAllTextAsync(broken, "<html><body>this is not a feed</body></html>");
        _server.Status("down", 503);
        var list = Path.Combine(_dir, "feeds.txt");
        await File.WriteAllLinesAsync(list,
        [
            "# a text list: URLs and local paths",
            Path.Combine(Samples, "feeds", "wire-en.xml"),
            "broken.xml",
            "missing.xml",
            _server.Url("down").AbsoluteUri,
            "http://127.0.0.1:1/feed.xml",
        ]);

        var (exit, output, error) = await RunAsync(list);

        Assert.True(exit == 0, error);
        Assert.Contains("Feeds         fetched 1  not modified 0  failed 4", output, StringComparison.Ordinal);
        Assert.Contains("Failed feed   file://" + broken, output, StringComparison.Ordinal);
        Assert.Contains("missing.xml: no such file", output, StringComparison.Ordinal);
        Assert.Contains(_server.Url("down").AbsoluteUri + ":", output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", output, StringComparison.Ordinal);
        Assert.Contains(Emails(), e => e.Subject.Contains("Guinea", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoRuns_ThreeCrisesInTheSameWords_AreThreeStoriesWithThreeBreakingEmails()
    {
        // Wire copy about three countries in one template: before stories were kept to one country, the second run put
        // Sudan and Peru into Guinea's story and neither got a breaking email.
        static string Item(string city, string country, string dead) => $"""
            <item><title>Security forces open fire on protesters in {city}, curfew declared</title><link>https://wire.example/{city}</link>
            <description>Security forces opened fire on protesters in {city} on Tuesday, killing at least {dead} people, and the government of {country} declared a night curfew across the capital.</description></item>
            """;
        const string Feed = """<rss version="2.0"><channel><title>Wire</title>{0}</channel></rss>""";
        _server.Feed("wire", string.Format(System.Globalization.CultureInfo.InvariantCulture, Feed, Item("Conakry", "Guinea", "nine")));
        var list = Path.Combine(_dir, "feeds.txt");
        await File.WriteAllLinesAsync(list, [_server.Url("wire").AbsoluteUri]);

        var first = await RunAsync(list);
        // The next run reads another wire with the other two (a feed read once is not due again until its interval).
        _server.Feed("wire2", string.Format(System.Globalization.CultureInfo.InvariantCulture, Feed, Item("Khartoum", "Sudan", "eleven") + Item("Lima", "Peru", "six")));
        await File.WriteAllLinesAsync(list, [_server.Url("wire").AbsoluteUri, _server.Url("wire2").AbsoluteUri]);
        var second = await RunAsync(list);

        Assert.True(first.Exit == 0 && second.Exit == 0, first.Err + second.Err);
        Assert.Contains("New alerts    critical 2", second.Out, StringComparison.Ordinal);
        var breaking = Emails().Where(e => e.Subject.StartsWith("Critical, ", StringComparison.Ordinal)).Select(e => e.Subject).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, breaking.Count);
        Assert.Contains(breaking, s => s.Contains("Conakry", StringComparison.Ordinal));
        Assert.Contains(breaking, s => s.Contains("Khartoum", StringComparison.Ordinal));
        Assert.Contains(breaking, s => s.Contains("Lima", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CtrlC_DuringACycle_LosesNothing_TheNextRunFinishesTheWork()
    {
        const string Calm = """<rss version="2.0"><channel><title>Calm {0}</title><item><title>Market day number {0}</title><link>https://calm.example/{0}</link><description>Stalls opened early.</description></item></channel></rss>""";
        const string Crisis = """<rss version="2.0"><channel><title>Crisis</title><item><title>Soldiers fire on protesters in Bamako as curfew is imposed</title><link>https://crisis.example/mali</link><description>Troops opened fire on demonstrators in Bamako, killing at least seven people. The government of Mali declared a state of emergency and imposed a curfew.</description></item></channel></rss>""";
        var lines = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            _server.Feed($"f{i}", i == 11 ? Crisis : string.Format(System.Globalization.CultureInfo.InvariantCulture, Calm, i), delay: TimeSpan.FromMilliseconds(800));
            lines.Add(_server.Url($"f{i}").AbsoluteUri);
        }

        var list = Path.Combine(_dir, "feeds.txt");
        await File.WriteAllLinesAsync(list, lines);
        using var ctrlC = new CancellationTokenSource();
        var run = RunAsync(list, once: false, ctrlC.Token);
        await Task.Delay(300);
        await ctrlC.CancelAsync();
        var stopped = await run;

        Assert.Equal(130, stopped.Exit);
        Assert.Contains("Interrupted", stopped.Out, StringComparison.Ordinal);
        Assert.Contains("Stopped mid-cycle; anything not yet handled stays queued", stopped.Err, StringComparison.Ordinal);
        Assert.True(Enumerable.Range(0, 12).Sum(i => _server.CountRequests($"f{i}")) < 12, "some feeds were left for the next run");

        var next = await RunAsync(list);

        Assert.Equal(0, next.Exit);
        Assert.All(Enumerable.Range(0, 12), i => Assert.Equal(1, _server.CountRequests($"f{i}")));
        Assert.Single(Emails(), e => e.Subject.StartsWith("Critical, Mali: Soldiers fire on protesters in Bamako", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CtrlC_ToTheProcessDuringFetches_SaysWhatHappens_AndExits130()
    {
        var lines = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            _server.Feed($"slow{i}", $"<rss version=\"2.0\"><channel><title>Slow {i}</title><item><title>Item {i}</title><link>https://slow.example/{i}</link></item></channel></rss>", delay: TimeSpan.FromSeconds(4));
            lines.Add(_server.Url($"slow{i}").AbsoluteUri);
        }

        var list = Path.Combine(_dir, "slow.txt");
        await File.WriteAllLinesAsync(list, lines);
        using var run = Chaos.AlertsProcess.Start("run", "--once", "--feeds", list, "--store", Store, "--outbox", Outbox);
        for (var i = 0; i < 300 && _server.CountRequests("slow0") + _server.CountRequests("slow4") == 0; i++)
        {
            await Task.Delay(50);
        }

        run.Interrupt(); // while the fetches wait on the slow server: they finish, nothing new starts

        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 130, run.Log);
        Assert.Contains("alerts: stopping: finishing the work in hand", run.Log, StringComparison.Ordinal);
        Assert.Contains("Stopped mid-cycle; anything not yet handled stays queued", run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_WithAFailingFeed_PrintsProgressAndASummary_NoLogLines_StrictExits2()
    {
        _server.Feed("good", """<rss version="2.0"><channel><title>Good</title><item><title>Market day</title><link>https://good.example/1</link></item></channel></rss>""");
        _server.Status("gone", 404);
        var list = Path.Combine(_dir, "feeds.txt");
        await File.WriteAllLinesAsync(list, [_server.Url("good").AbsoluteUri, _server.Url("gone").AbsoluteUri]);

        var (exit, output, error) = await RunAsync(list);

        Assert.True(exit == 0, error);
        Assert.Matches(@"\[\d/2\] http://127\.0\.0\.1:\d+/good: 1 new of 1 items \(\d+\.\d s\)", error);
        Assert.Matches(@"\[\d/2\] http://127\.0\.0\.1:\d+/gone: failed: ", error);
        Assert.DoesNotContain("warning:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("FeedIngestor", error, StringComparison.Ordinal);
        Assert.Contains("Failed feed   " + _server.Url("gone").AbsoluteUri, output, StringComparison.Ordinal);
        Assert.Contains("Slowest feed  ", output, StringComparison.Ordinal);

        using var strictOut = new StringWriter();
        using var strictErr = new StringWriter();
        var strict = await CliApp.RunAsync(["run", "--once", "--strict", "--feeds", list, "--store", Store + "-strict", "--outbox", Outbox], TextReader.Null, strictOut, strictErr);
        Assert.Equal(2, strict);

        using var verboseOut = new StringWriter();
        using var verboseErr = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["run", "--once", "--verbose", "--feeds", list, "--store", Store + "-verbose", "--outbox", Outbox], TextReader.Null, verboseOut, verboseErr));
        Assert.Contains("warning: FeedIngestor: Feed ", verboseErr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_WithAConfigFile_SubscribersAndSettingsComeFromIt()
    {
        var config = Path.Combine(_dir, "alerts.json");
        await File.WriteAllTextAsync(config, """
            {
              "Email": { "FromName": "Desk Alerts" },
              "Subscribers": [
                { "email": "andes@example.org", "countries": ["BO"], "immediateCritical": false, "minimumSeverity": "watch", "language": "es", "timeZone": "America/La_Paz" }
              ]
            }
            """);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["run", "--once", "--config", config, "--feeds", Path.Combine(Samples, "feeds.opml"), "--store", Store, "--outbox", Outbox], TextReader.Null, output, error);

        Assert.True(exit == 0, error.ToString());
        var email = Assert.Single(Emails());
        Assert.Equal("1 crítica: Bolivia", email.Subject);
        Assert.Contains("From: Desk Alerts <alerts@alerts.localhost>", File.ReadAllText(Path.Combine(Outbox, email.File)), StringComparison.Ordinal);
        Assert.DoesNotContain("Guinea", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondProcessOnTheSameStore_IsRefused()
    {
        using var first = new Alerts.Infrastructure.Local.SqliteStore(Store);

        var (exit, _, error) = await RunAsync(Path.Combine(Samples, "feeds.opml"));

        Assert.Equal(1, exit);
        Assert.Contains("Another alerts process", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_InvalidListFile_ReportsEveryErrorAndRunsNothing()
    {
        var list = Path.Combine(_dir, "bad.keywords");
        await File.WriteAllTextAsync(list, "list: bad\nthresholds: watch 2, warning 4, critical 10\nsignal: x\n  weight: lots\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["run", "--once", "--lists", list, "--feeds", Path.Combine(Samples, "feeds.opml"), "--store", Store, "--outbox", Outbox], TextReader.Null, output, error);

        Assert.Equal(1, exit);
        Assert.Contains("bad.keywords:4:", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Emails());
        _ = new MailAddress("you@alerts.localhost"); // the default local subscriber is a valid address
    }
}
