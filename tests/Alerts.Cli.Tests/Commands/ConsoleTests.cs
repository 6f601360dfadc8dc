using System.Net;
using Alerts.Testing;
using Microsoft.Playwright;

namespace Alerts.Cli.Tests.Commands;

/// <summary>
/// The admin console end to end: <c>alerts serve</c> on a free loopback port over a store filled by <c>alerts run</c>,
/// driven in headless Chromium with Playwright. Screenshots of each section go to artifacts/screenshots/console-*.png.
/// </summary>
public sealed class ConsoleTests : IAsyncLifetime
{
    private const string Key = ServedStore.Key;
    private const string TramSignal = "\nsignal: tram-line\n  label: Tram line\n  weight: 5\n  phrase: tram line\n";
    private ServedStore _served = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private string Console => $"http://127.0.0.1:{_served.Port}/api/admin/console";

    public async Task InitializeAsync()
    {
        _served = await ServedStore.StartAsync();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
        await _served.DisposeAsync();
    }

    private async Task<IPage> SignedInAsync(int width = 1280, int height = 900, string? author = null)
    {
        // CSP bypassed only so that the accessibility check can inject axe-core; the console never needs it.
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, AcceptDownloads = true, BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Console + "#lists");
        await page.GetByLabel("Function key").FillAsync(Key);
        if (author is not null)
        {
            await page.GetByLabel("Your name").FillAsync(author);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#list-names")).ToContainTextAsync("escalation");
        return page;
    }

    private static Task<byte[]> ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactsFolder, $"console-{name}.png"), FullPage = true });

    [Fact]
    public async Task Console_FeedbackFromASubscribersLink_IsShownPerSignal_AndTheFalseAlarmsBacktested()
    {
        // A subscriber, through the public routes: subscribe, confirm from the email, then say an alert was a false alarm.
        using var http = new HttpClient { BaseAddress = _served.BaseAddress };
        (await http.PostAsync("api/subscribe", new StringContent("""{"email":"critic@example.org"}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var outbox = Path.Combine(_served.Folder, "outbox");
        var html = await File.ReadAllTextAsync(Directory.EnumerateFiles(outbox, "*.html").Single(f => File.ReadAllText(Path.ChangeExtension(f, ".eml")).Contains("To: critic@example.org", StringComparison.Ordinal)));
        var confirm = System.Text.RegularExpressions.Regex.Match(html, @"/api/confirm\?token=[A-Za-z0-9._~%-]+").Value;
        var confirmed = await (await http.PostAsync(confirm.TrimStart('/'), null)).Content.ReadAsStringAsync();
        var preferences = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(confirmed, @"/api/preferences\?token=[A-Za-z0-9._~%-]+").Value);
        using var admin = new HttpRequestMessage(HttpMethod.Get, "api/admin/alerts?severity=critical");
        admin.Headers.Add("x-functions-key", Key);
        using var alerts = System.Text.Json.JsonDocument.Parse(await (await http.SendAsync(admin)).Content.ReadAsStringAsync());
        var alert = alerts.RootElement.GetProperty("items")[0];
        var story = alert.GetProperty("storyId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(preferences.TrimStart('/') + "&story=" + Uri.EscapeDataString(story) + "&kind=false-alarm", null)).StatusCode);

        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Feedback" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feedback-status")).ToHaveTextAsync("1 answer from subscribers.");
        var signal = alert.GetProperty("signals")[0].GetString()!;
        await Assertions.Expect(page.Locator("#feedback-signals tr", new() { HasText = signal })).ToContainTextAsync("100%");
        await Assertions.Expect(page.Locator("#feedback-false-alarms")).ToContainTextAsync(alert.GetProperty("title").GetString()!);
        await ShotAsync(page, "feedback");

        // Exactly those articles, under the list as it stands: the marked article, still critical.
        await page.GetByRole(AriaRole.Link, new() { Name = "Keyword lists" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "escalation" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Backtest on false alarms" }).ClickAsync();
        await Assertions.Expect(page.Locator("#backtest-counts caption")).ToContainTextAsync("1 article (marked false alarms in 30 days)");
        await Assertions.Expect(page.Locator("#backtest-counts tr", new() { HasText = "critical" })).ToContainTextAsync("1");
    }

    [Fact]
    public async Task Console_EditValidateBacktestSaveConflictRestore_AndFeedChecks()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "escalation" }).ClickAsync();
        var editor = page.GetByLabel("Keyword list document");
        await Assertions.Expect(page.Locator("#lists-status")).ToHaveTextAsync("Opened escalation.");
        var original = await editor.InputValueAsync();
        Assert.StartsWith("# Default escalation signals", original, StringComparison.Ordinal);

        // An error is marked at its line as one types.
        var at = original.IndexOf("  weight: 5\n", StringComparison.Ordinal); // the first signal's weight
        var weightLine = 1 + original[..at].Count(c => c == '\n');
        await editor.FillAsync(original[..at] + "  weight: heavy\n" + original[(at + "  weight: 5\n".Length)..]);
        await Assertions.Expect(page.Locator("#errors")).ToContainTextAsync($"Line {weightLine}, column 11");
        await Assertions.Expect(page.Locator("#gutter span.error")).ToHaveTextAsync(weightLine.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ShotAsync(page, "lists");

        // Fixed, with a new signal: the backtest shows a stored article that gains an alert, with its evidence.
        var draft = original + TramSignal;
        await editor.FillAsync(draft);
        await Assertions.Expect(page.Locator("#errors")).ToContainTextAsync("No errors.");
        await Assertions.Expect(page.Locator("#gutter span.error")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Backtest draft" }).ClickAsync();
        var change = page.Locator("#backtest-changes > li", new() { HasText = "New tram line opens" });
        await Assertions.Expect(change).ToContainTextAsync("none → warning");
        await Assertions.Expect(change.Locator("mark")).ToHaveTextAsync("tram line");
        await Assertions.Expect(page.Locator("#lists-status")).ToHaveTextAsync("Backtest: 1 article changes severity.");
        await ShotAsync(page, "backtest");
        await page.Locator("#backtest-result").ScreenshotAsync(new LocatorScreenshotOptions { Path = Chromium.DocsImage("console.png") });

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lists-status")).ToHaveTextAsync("Saved escalation as version 2.");
        Assert.Contains("\nversion: 2\n", await editor.InputValueAsync(), StringComparison.Ordinal); // the document's version is the stored one
        draft = await editor.InputValueAsync();

        // A second admin edits the same list: the first admin's next save is a conflict showing the other version.
        var other = await SignedInAsync(author: "Ana");
        await other.GetByRole(AriaRole.Button, new() { Name = "escalation" }).ClickAsync();
        await Assertions.Expect(other.Locator("#lists-status")).ToHaveTextAsync("Opened escalation.");
        await other.GetByLabel("Keyword list document").FillAsync(draft.Replace("  weight: 5\n  phrase: tram line", "  weight: 6\n  phrase: tram line", StringComparison.Ordinal));
        await other.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(other.Locator("#lists-status")).ToHaveTextAsync("Saved escalation as version 3.");

        // The conflict shows who saved and what differs between their version and mine, not their whole document.
        await editor.FillAsync(draft + "\n# my note\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conflict")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#conflict-who")).ToContainTextAsync("Version 3 was saved by Ana (function key)");
        await Assertions.Expect(page.Locator("#conflict-diff .del", new() { HasText = "weight: 6" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#conflict-diff .add", new() { HasText = "# my note" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#conflict-diff .add", new() { HasText = "phrase: tram line" })).ToHaveCountAsync(0); // the same in both
        await ShotAsync(page, "conflict");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use theirs" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conflict")).ToBeHiddenAsync();

        // Versions: a diff, then restore version 1 (the default list).
        await page.GetByRole(AriaRole.Button, new() { Name = "Versions" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Diff 1" }).ClickAsync();
        await Assertions.Expect(page.Locator("#diff .add", new() { HasText = "phrase: tram line" })).ToHaveCountAsync(1);
        await ShotAsync(page, "versions");
        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore 1" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lists-status")).ToHaveTextAsync("Restored version 1 as version 4.");
        Assert.StartsWith("Make version 1 of escalation live again?", asked, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#version-list > li").First).ToContainTextAsync("Version 4 restored from version 1");
        Assert.Equal(original.Replace("\nversion: 1\n", "\nversion: 4\n", StringComparison.Ordinal), await editor.InputValueAsync());

        // Feeds: a private address is refused at once, a public one is added.
        await page.GetByRole(AriaRole.Link, new() { Name = "Feeds" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feeds-status")).ToBeEmptyAsync(); // the lists' status stays with the lists
        await page.GetByLabel("Feed URL").FillAsync("http://10.0.0.1/feed.xml");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add feed" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feed-error")).ToContainTextAsync("not public");
        Assert.Matches("^Refused: Invalid feed: The address", await page.Locator("#feed-error").TextContentAsync());
        await Assertions.Expect(page.Locator("#feed-table")).ToContainTextAsync("Wire service (en)");
        await ShotAsync(page, "feeds");

        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribers" }).ClickAsync();
        await Assertions.Expect(page.Locator("#subscriber-table")).ToContainTextAsync("you@alerts.localhost");
        await ShotAsync(page, "subscribers");

        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts" }).ClickAsync();
        await page.Locator("#alerts").GetByLabel("Severity at least").SelectOptionAsync("critical");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alert-list > li")).ToHaveCountAsync(3); // Guinea, Chad, and the coup in Bolivia
        await Assertions.Expect(page.Locator("#alert-list")).ToContainTextAsync("Guinea");
        await Assertions.Expect(page.Locator("#alert-list")).ToContainTextAsync("Bolivia");
        await ShotAsync(page, "alerts");
    }

    [Fact]
    public async Task Console_FeedsAndSubscribers_ImportToggleEditErase()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Feeds" }).ClickAsync();
        var opml = Path.Combine(_served.Folder, "more.opml");
        await File.WriteAllTextAsync(opml, """<opml version="2.0"><body><outline text="Extra" xmlUrl="http://127.0.0.1:9/extra.xml"/><outline text="Inside" xmlUrl="http://192.168.1.20/feed"/></body></opml>""");
        await page.GetByLabel("Import OPML").SetInputFilesAsync(opml);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#feeds-status")).ToContainTextAsync("1 added");
        await Assertions.Expect(page.Locator("#feeds-status")).ToContainTextAsync("http://192.168.1.20/feed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable Extra" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feeds-status")).ToHaveTextAsync("Extra is disabled.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable Extra" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribers" }).ClickAsync();
        await page.GetByLabel("Search").FillAsync("alerts.localhost");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit you@alerts.localhost" }).ClickAsync();
        await page.GetByLabel("Digest").SelectOptionAsync("weekly");
        await page.GetByLabel("Countries").FillAsync("GN, TD");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save subscriber" }).ClickAsync();
        await Assertions.Expect(page.Locator("#subscribers-status")).ToHaveTextAsync("Saved you@alerts.localhost.");
        await Assertions.Expect(page.Locator("#subscriber-table")).ToContainTextAsync("GN, TD");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete you@alerts.localhost" }).ClickAsync();
        await Assertions.Expect(page.Locator("#subscribers-status")).ToHaveTextAsync("Erased you@alerts.localhost.");
        await Assertions.Expect(page.Locator("#subscriber-table")).Not.ToContainTextAsync("you@alerts.localhost");
    }

    [Fact]
    public async Task Console_OnAPhone_IsUsableAndLoadsNothingExternal()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith($"http://127.0.0.1:{_served.Port}/", StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };
        await page.GotoAsync(Console);

        // Keyboard only: the key field has focus; type and press Enter.
        await Assertions.Expect(page.GetByLabel("Function key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Key);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#map svg")).ToBeVisibleAsync(); // the situation opens first
        await page.GetByRole(AriaRole.Link, new() { Name = "Keyword lists" }).ClickAsync();
        await Assertions.Expect(page.Locator("#list-names")).ToContainTextAsync("escalation");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone");
        Assert.Empty(external);
        await ShotAsync(page, "phone");
    }

    [Fact]
    public async Task Api_WithoutTheKey_IsRefused()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_served.Port}/api/admin/keyword-lists"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Console_ClickingAnError_ScrollsToItsLine_AndWrongThresholdsSayWhatIsWrong()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "escalation" }).ClickAsync();
        var editor = page.GetByLabel("Keyword list document");
        await Assertions.Expect(page.Locator("#lists-status")).ToHaveTextAsync("Opened escalation.");
        var original = await editor.InputValueAsync();

        // An error far down the list: clicking it brings its line into view.
        var broken = original.TrimEnd('\n') + "\n  weight: heavy\n";
        var line = broken.Count(c => c == '\n');
        await editor.FillAsync(broken);
        var error = page.Locator("#errors button", new() { HasText = $"Line {line}, column 11" });
        await Assertions.Expect(error).ToHaveCountAsync(1);
        Assert.Equal("left", await error.EvaluateAsync<string>("b => getComputedStyle(b).textAlign")); // long messages read from the left
        await editor.EvaluateAsync("area => area.scrollTop = 0");
        await error.ClickAsync();
        var view = await editor.EvaluateAsync<double[]>("area => [area.scrollTop, area.clientHeight, parseFloat(getComputedStyle(area).lineHeight)]");
        var (scrollTop, clientHeight, lineHeight) = (view[0], view[1], view[2]);
        var top = (line - 1) * lineHeight;
        Assert.True(scrollTop > 0 && top >= scrollTop && top + lineHeight <= scrollTop + clientHeight, $"line {line} at {top}px, view {scrollTop}..{scrollTop + clientHeight}");
        Assert.Equal(await editor.EvaluateAsync<double>("a => a.scrollTop"), await page.Locator("#gutter").EvaluateAsync<double>("g => g.scrollTop"));

        // Thresholds that are there but wrong: that error, not "the list needs thresholds".
        await editor.FillAsync(System.Text.RegularExpressions.Regex.Replace(original, "(?m)^thresholds: .*$", "thresholds: watch 2, warning 14, critical 12"));
        await Assertions.Expect(page.Locator("#errors")).ToContainTextAsync("Thresholds must rise");
        await Assertions.Expect(page.Locator("#errors")).Not.ToContainTextAsync("needs thresholds");
    }

    [Fact]
    public async Task Console_AWrongKey_HidesEverything_AndAGoodOneClearsTheMessage()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Console);

        await page.GetByLabel("Function key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(page.Locator("#key-status")).ToHaveTextAsync("The key was refused: enter it again.");
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Not signed in");
        await Assertions.Expect(page.Locator("#situation")).ToBeHiddenAsync();

        await page.GetByLabel("Function key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(page.Locator("#map svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#key-status")).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#key-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Signed in with the function key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lists")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Not signed in");
    }

    [Fact]
    public async Task Console_Feeds_EditRefreshArticlesExportDelete()
    {
        var page = await SignedInAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Feeds" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feed-table")).ToContainTextAsync("Wire service (en)");

        // The newest articles of a feed, with their severity.
        await page.GetByRole(AriaRole.Button, new() { Name = "Articles of Wire service (en)" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feed-articles")).ToContainTextAsync("Newest articles of Wire service (en)");
        await Assertions.Expect(page.Locator("#feed-articles li").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#feed-articles .sev-critical").First).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh now Wire service (en)" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feeds-status")).ToHaveTextAsync("Wire service (en) is queued for fetching now; its health updates when the fetch is done.");

        // One edit form however often Edit is pressed; saving changes the title and the poll interval.
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Wire service (en)" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Wire service (en)" }).ClickAsync();
        await Assertions.Expect(page.Locator("form#feed-edit-form")).ToHaveCountAsync(1);
        await page.Locator("#edit-feed-title").FillAsync("Wire (English)");
        await page.Locator("#edit-feed-interval").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save feed" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feeds-status")).ToHaveTextAsync("Saved Wire (English).");
        await Assertions.Expect(page.Locator("#feed-table")).ToContainTextAsync("Wire (English)");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export OPML" }).ClickAsync());
        Assert.Equal("feeds.opml", download.SuggestedFilename);
        var exported = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("title=\"Wire (English)\"", exported, StringComparison.Ordinal);
        Assert.Equal(4, Alerts.Core.Feeds.Opml.Read(exported).Count);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Wire (English)" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feeds-status")).ToHaveTextAsync("Deleted Wire (English).");
        await Assertions.Expect(page.Locator("#feed-table")).Not.ToContainTextAsync("Wire (English)");
    }

    [Fact]
    public async Task Console_Subscribers_AddByCountryName_OneEditFormAtATime_NoMatchesSaysSo()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribers" }).ClickAsync();

        await page.GetByLabel("Search").FillAsync("nobody-here");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#subscribers-status")).ToHaveTextAsync("No subscriber matches “nobody-here”.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add subscriber" }).ClickAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("desk@example.org");
        await page.GetByLabel("Countries").FillAsync("Chad, Soudan");
        await page.GetByLabel("Active at once").CheckAsync();
        await page.Locator("#subscriber-form").GetByRole(AriaRole.Button, new() { Name = "Add subscriber" }).ClickAsync();
        await Assertions.Expect(page.Locator("#subscribers-status")).ToHaveTextAsync("Added desk@example.org (active).");
        await page.GetByLabel("Search").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#subscriber-table tr", new() { HasText = "desk@example.org" })).ToContainTextAsync("TD, SD");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit desk@example.org" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit you@alerts.localhost" }).ClickAsync();
        await Assertions.Expect(page.Locator("form#subscriber-form")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#subscriber-form h3")).ToHaveTextAsync("Edit you@alerts.localhost");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('[id]')].map(e => e.id).filter((id, i, all) => all.indexOf(id) !== i).length"));
    }

    [Fact]
    public async Task Console_AlertsByCountryNameAndSignalInAnyCase_AndAPastedArticleScored()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts" }).ClickAsync();
        await page.Locator("#alerts").GetByLabel("Country").FillAsync("Chad");
        await page.Locator("#alerts").GetByLabel("Signal").FillAsync("Curfew");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alert-list > li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#alerts-status")).ToHaveTextAsync("1 alert.");
        await page.Locator("#alerts").GetByLabel("Country").FillAsync("Iceland");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alerts-status")).ToHaveTextAsync("No alerts match these filters.");
        await page.Locator("#alerts").GetByLabel("Country").FillAsync("Atlantis");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alerts-status")).ToContainTextAsync("'Atlantis' is not a country this service knows");

        await page.GetByRole(AriaRole.Link, new() { Name = "Keyword lists" }).ClickAsync();
        await page.GetByLabel("Article title").FillAsync("Curfew in Goma");
        await page.GetByLabel("Article text").FillAsync("Soldiers opened fire on protesters in Goma, killing 12 people.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Score" }).ClickAsync();
        await Assertions.Expect(page.Locator("#try-result .sev")).ToHaveTextAsync("critical");
        await Assertions.Expect(page.Locator("#try-result")).ToContainTextAsync("Goma, North Kivu");
        await Assertions.Expect(page.Locator("#try-result")).ToContainTextAsync("escalation@");
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 900)]
    public async Task Console_EverySection_PassesTheAccessibilityCheck_AndActionsAreInReach(int width, int height)
    {
        var page = await SignedInAsync(width, height);
        var problems = new List<string>();
        foreach (var section in new[] { "Situation", "Archive", "Keyword lists", "Feeds", "Subscribers", "Alerts", "Feedback" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = section }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            if (section == "Keyword lists")
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "escalation" }).ClickAsync();
                await Assertions.Expect(page.Locator("#lists-status")).ToHaveTextAsync("Opened escalation.");
            }

            problems.AddRange((await Chromium.AccessibilityProblemsAsync(page)).Select(p => $"{section} at {width} px: {p}"));
            await ShotAsync(page, $"{section.Replace(' ', '-').ToLowerInvariant()}-{width}");
        }

        Assert.Empty(problems);

        // Every feed's actions are on screen without scrolling sideways, phone included.
        await page.GetByRole(AriaRole.Link, new() { Name = "Feeds" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle); // the table is drawn again when the section opens
        var disable = page.GetByRole(AriaRole.Button, new() { Name = "Disable Wire service (en)" });
        LocatorBoundingBoxResult? box = null;
        for (var attempt = 0; box is null && attempt < 4; attempt++)
        {
            // The table can be drawn again between finding the button and scrolling to it: then find it afresh.
            await Assertions.Expect(disable).ToBeVisibleAsync();
            try
            {
                await disable.ScrollIntoViewIfNeededAsync();
                box = await disable.BoundingBoxAsync();
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }

        Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width, $"Disable at x {box?.X} + {box?.Width} on a {width} px screen");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "no sideways scrolling");
    }
}
