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

    private async Task<IPage> SignedInAsync(int width = 1280, int height = 900)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Console);
        await page.GetByLabel("Function key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#list-names")).ToContainTextAsync("escalation");
        return page;
    }

    private static Task<byte[]> ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactsFolder, $"console-{name}.png"), FullPage = true });

    [Fact]
    public async Task Console_EditValidateBacktestSaveConflictRestore_AndFeedChecks()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "escalation" }).ClickAsync();
        var editor = page.GetByLabel("Keyword list document");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Opened escalation.");
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
        await ShotAsync(page, "backtest");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Saved escalation as version 2.");

        // A second admin edits the same list: the first admin's next save is a conflict showing the other version.
        var other = await SignedInAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "escalation" }).ClickAsync();
        await Assertions.Expect(other.Locator("#status")).ToHaveTextAsync("Opened escalation.");
        await other.GetByLabel("Keyword list document").FillAsync(draft.Replace("  weight: 5\n  phrase: tram line", "  weight: 6\n  phrase: tram line", StringComparison.Ordinal));
        await other.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(other.Locator("#status")).ToHaveTextAsync("Saved escalation as version 3.");

        await editor.FillAsync(draft + "\n# my note\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conflict")).ToBeVisibleAsync();
        Assert.Contains("weight: 6\n  phrase: tram line", await page.GetByLabel("Their version").InputValueAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "conflict");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use theirs" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conflict")).ToBeHiddenAsync();

        // Versions: a diff, then restore version 1 (the default list).
        await page.GetByRole(AriaRole.Button, new() { Name = "Versions" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Diff 1" }).ClickAsync();
        await Assertions.Expect(page.Locator("#diff .add", new() { HasText = "phrase: tram line" })).ToHaveCountAsync(1);
        await ShotAsync(page, "versions");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore 1" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Restored version 1 as version 4.");
        Assert.Equal(original, await editor.InputValueAsync());

        // Feeds: a private address is refused at once, a public one is added.
        await page.GetByRole(AriaRole.Link, new() { Name = "Feeds" }).ClickAsync();
        await page.GetByLabel("Feed URL").FillAsync("http://10.0.0.1/feed.xml");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add feed" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feed-error")).ToContainTextAsync("not public");
        await Assertions.Expect(page.Locator("#feed-table")).ToContainTextAsync("Wire service (en)");
        await ShotAsync(page, "feeds");

        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribers" }).ClickAsync();
        await Assertions.Expect(page.Locator("#subscriber-table")).ToContainTextAsync("you@alerts.localhost");
        await ShotAsync(page, "subscribers");

        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts" }).ClickAsync();
        await page.GetByLabel("Severity at least").SelectOptionAsync("critical");
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
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("1 added");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("http://192.168.1.20/feed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable Extra" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Extra is disabled.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable Extra" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribers" }).ClickAsync();
        await page.GetByLabel("Search").FillAsync("alerts.localhost");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit you@alerts.localhost" }).ClickAsync();
        await page.GetByLabel("Digest").SelectOptionAsync("weekly");
        await page.GetByLabel("Countries").FillAsync("GN, TD");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save subscriber" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Saved you@alerts.localhost.");
        await Assertions.Expect(page.Locator("#subscriber-table")).ToContainTextAsync("GN, TD");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete you@alerts.localhost" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Erased you@alerts.localhost.");
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
}
