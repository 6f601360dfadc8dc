using System.Net;
using System.Text.RegularExpressions;
using Alerts.Testing;
using Microsoft.Playwright;

namespace Alerts.Cli.Tests.Commands;

/// <summary>
/// The situation pages end to end: <c>alerts serve</c> over a store filled by <c>alerts run</c> from the sample feeds
/// and a second agency's report of the Guinea crisis, in headless Chromium at phone and laptop widths. Screenshots go
/// to artifacts/screenshots/situation-*.png.
/// </summary>
public sealed class SituationConsoleTests : IAsyncLifetime
{
    // A second agency's report of the sample Guinea crisis, written for this test: it joins the sample's story.
    private const string AgencyFeed = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Agence (fr)</title><link>https://agence.example/</link><description>Test</description><language>fr</language>
        <item><title>Guinée : l'état d'urgence décrété après des tirs de soldats sur des manifestants à Conakry</title>
        <link>https://agence.example/guinee-etat-urgence</link><guid>https://agence.example/guinee-etat-urgence</guid>
        <description>Les autorités guinéennes ont décrété l'état d'urgence après que des soldats ont ouvert le feu sur des manifestants à Conakry, faisant au moins neuf morts selon des soignants. Un couvre-feu nocturne a été imposé à la capitale, l'internet mobile coupé, et plus de 200 personnes ont été arrêtées depuis vendredi.</description></item>
        </channel></rss>
        """;

    private ServedStore _served = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("alerts-agency-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_folder, "agence-fr.xml"), AgencyFeed);
        var opml = Path.Combine(_folder, "agency.opml");
        await File.WriteAllTextAsync(opml, """<opml version="2.0"><body><outline type="rss" text="Agence (fr)" xmlUrl="agence-fr.xml"/></body></opml>""");
        _served = await ServedStore.StartWithFeedsAsync(opml);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
        await _served.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static Task<byte[]> ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactsFolder, $"situation-{name}.png"), FullPage = true });

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 900)]
    public async Task Map_CountryPage_StoryPage_AndArchive_AtThisWidth(int width, int height)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BypassCSP = true });
        var page = await context.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith($"http://127.0.0.1:{_served.Port}/", StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };
        await page.GotoAsync($"http://127.0.0.1:{_served.Port}/api/admin/console");
        await page.GetByLabel("Function key").FillAsync(ServedStore.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        // The map opens first: the sample alerts' countries shaded by their highest severity.
        var map = page.Locator("#map svg");
        await Assertions.Expect(map).ToBeVisibleAsync();
        foreach (var (code, severity) in new[] { ("GN", "critical"), ("TD", "critical"), ("BO", "critical"), ("CD", "warning"), ("SN", "none") })
        {
            await Assertions.Expect(page.Locator($"#map a.country-link[data-code='{code}'] path")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex($"sev-fill-{severity}"));
        }

        await Assertions.Expect(page.Locator("#map a.country-link[data-code='FR']")).ToHaveCountAsync(0); // not reported on
        await Assertions.Expect(page.Locator("#map circle.marker")).ToHaveCountAsync(4); // Conakry, N'Djamena, La Paz, Goma
        await Assertions.Expect(page.Locator("#map-countries")).ToContainTextAsync("Guinea");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "no sideways scrolling");
        var problems = (await Chromium.AccessibilityProblemsAsync(page)).Select(p => "map: " + p).ToList();
        await ShotAsync(page, $"map-{width}");
        if (width == 1280)
        {
            await page.Locator("#situation figure").ScreenshotAsync(new LocatorScreenshotOptions { Path = Chromium.DocsImage("situation.png") });
        }

        // Clicking a country on the map opens its page: a timeline, its active story, its feeds.
        // A click on the map (Chad: its box's centre is inside it) opens the country's page.
        var chad = await page.Locator("#map a.country-link[data-code='TD'] path").BoundingBoxAsync();
        await page.Mouse.ClickAsync(chad!.X + (chad.Width / 2), chad.Y + (chad.Height / 2));
        await Assertions.Expect(page.Locator("#country-title")).ToHaveTextAsync("Chad");
        await Assertions.Expect(page.Locator("#timeline svg rect.sev-fill-critical")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "← Situation" }).ClickAsync();
        await page.Locator("#map-countries").GetByRole(AriaRole.Link, new() { Name = "Guinea" }).ClickAsync();
        await Assertions.Expect(page.Locator("#country-title")).ToHaveTextAsync("Guinea");
        await Assertions.Expect(page.Locator("#timeline svg rect.sev-fill-critical")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#country-status")).ToHaveTextAsync("2 articles in the last 30 days.");
        await Assertions.Expect(page.Locator("#country-stories > li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#country-feeds")).ToContainTextAsync("Wire service (en)");
        await Assertions.Expect(page.Locator("#country-feeds")).ToContainTextAsync("Agence (fr)");
        await Assertions.Expect(page.Locator("#country-places")).ToContainTextAsync("Conakry");
        await page.GetByRole(AriaRole.Button, new() { Name = "7 days" }).ClickAsync();
        await Assertions.Expect(page.Locator("#timeline svg rect")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "7 days" })).ToHaveAttributeAsync("aria-pressed", "true");
        problems.AddRange((await Chromium.AccessibilityProblemsAsync(page)).Select(p => "country: " + p));
        await ShotAsync(page, $"country-{width}");

        // The story page: both agencies in the order they were read, the second one a new source, the evidence marked.
        await page.Locator("#country-stories a.story-link").ClickAsync();
        await Assertions.Expect(page.Locator("#story-title")).ToContainTextAsync("Guinea declares state of emergency");
        var articles = page.Locator("#story-articles > li");
        await Assertions.Expect(articles).ToHaveCountAsync(2);
        await Assertions.Expect(articles.Nth(0)).ToContainTextAsync("wire.example");
        await Assertions.Expect(articles.Nth(1)).ToContainTextAsync("agence.example");
        await Assertions.Expect(articles.Nth(1).Locator(".badge")).ToContainTextAsync("new source");
        await Assertions.Expect(page.Locator("#story-summary")).ToContainTextAsync("2 sources (wire.example, agence.example)");
        await Assertions.Expect(articles.Nth(0).Locator("mark").First).ToBeVisibleAsync();
        await Assertions.Expect(articles.Nth(1)).ToContainTextAsync("Conakry");
        problems.AddRange((await Chromium.AccessibilityProblemsAsync(page)).Select(p => "story: " + p));
        await ShotAsync(page, $"story-{width}");

        // The archive: a country's name in English and in French finds its alerts.
        await page.GetByRole(AriaRole.Link, new() { Name = "Archive" }).ClickAsync();
        foreach (var name in new[] { "Chad", "Tchad" })
        {
            await page.Locator("#archive").GetByLabel("Words").FillAsync(name);
            await page.Locator("#archive").GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Assertions.Expect(page.Locator("#archive-status")).ToHaveTextAsync("1 article.");
            await Assertions.Expect(page.Locator("#archive-results")).ToContainTextAsync("Tchad : l'armée tire à balles réelles");
        }

        await page.Locator("#archive").GetByLabel("Words").FillAsync("");
        await page.Locator("#archive").GetByLabel("Country or region").FillAsync("Guinée");
        await page.Locator("#archive").GetByLabel("Severity at least").SelectOptionAsync("critical");
        await page.Locator("#archive").GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#archive-results > li")).ToHaveCountAsync(2);
        await page.Locator("#archive").GetByLabel("Country or region").FillAsync("Atlantis");
        await page.Locator("#archive").GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#archive-status")).ToContainTextAsync("'Atlantis' is neither a country nor a region");
        await page.Locator("#archive").GetByLabel("Country or region").FillAsync("Africa");
        await page.Locator("#archive").GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#archive-results > li")).ToHaveCountAsync(3); // critical in Africa: Guinea twice and Chad (Goma is a warning, Senegal none)
        problems.AddRange((await Chromium.AccessibilityProblemsAsync(page)).Select(p => "archive: " + p));
        await ShotAsync(page, $"archive-{width}");

        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "no sideways scrolling");
        Assert.Empty(problems);
        Assert.Empty(external);
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 900)]
    public async Task ASubscriber_OpensTheStoryFromTheirEmail_AndTheirBoard(int width, int height)
    {
        // The breaking email of the Guinea story (sent before the second agency joined it) links to the story's page.
        var outbox = Path.Combine(_served.Folder, "outbox");
        var email = Directory.EnumerateFiles(outbox, "*.html").Select(File.ReadAllText).First(h => h.Contains("Guinea declares state of emergency", StringComparison.Ordinal));
        var story = WebUtility.HtmlDecode(Regex.Match(email, @"/api/story\?token=[A-Za-z0-9._~%-]+").Value);
        var preferences = WebUtility.HtmlDecode(Regex.Match(email, @"/api/preferences\?token=[A-Za-z0-9._~%-]+").Value);
        Assert.NotEmpty(story);

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{_served.Port}{story}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Guinea declares state of emergency");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Sources (2): wire.example, agence.example");
        await Assertions.Expect(page.Locator("ol > li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("ol > li").Nth(1)).ToContainTextAsync("new source");
        await Assertions.Expect(page.Locator("ol > li mark").First).ToBeVisibleAsync();
        var problems = (await Chromium.AccessibilityProblemsAsync(page)).Select(p => "story page: " + p).ToList();
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "no sideways scrolling");
        await ShotAsync(page, $"story-page-{width}");

        // The same page for an Arabic subscriber (their emails' links carry lang=ar): right to left, the English
        // reports in their own direction, nothing sideways.
        await page.GotoAsync($"http://127.0.0.1:{_served.Port}{story}&lang=ar");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(Alerts.Core.Texts.TextCatalog.For("ar").Page["story_articles"]);
        Assert.Equal("rtl", await page.EvaluateAsync<string>("getComputedStyle(document.body).direction"));
        Assert.Equal("ltr", await page.Locator("h1").EvaluateAsync<string>("h => getComputedStyle(h).direction")); // an English title
        Assert.Equal("ltr", await page.Locator("ol > li a").First.EvaluateAsync<string>("a => getComputedStyle(a).direction"));
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "no sideways scrolling in Arabic");
        problems.AddRange((await Chromium.AccessibilityProblemsAsync(page)).Select(p => "story page in Arabic: " + p));
        await ShotAsync(page, $"story-page-ar-{width}");

        // An altered link says so.
        var altered = await page.GotoAsync($"http://127.0.0.1:{_served.Port}{story[..^3]}xyz");
        Assert.Equal(400, altered!.Status);

        // The board: created with the subscriber's feed link, from their preferences page.
        using var http = new HttpClient { BaseAddress = _served.BaseAddress };
        (await http.PostAsync(preferences.TrimStart('/'), new FormUrlEncodedContent([new("action", "feed-replace")]))).EnsureSuccessStatusCode();
        var manage = await http.GetStringAsync(preferences.TrimStart('/'));
        var board = WebUtility.HtmlDecode(Regex.Match(manage, @"/api/board\?token=[A-Za-z0-9._~%-]+").Value);
        Assert.NotEmpty(board);
        await page.GotoAsync($"http://127.0.0.1:{_served.Port}{board}");
        await Assertions.Expect(page.Locator("svg.board")).ToBeVisibleAsync();
        Assert.Equal("rgb(176, 0, 32)", await page.Locator("svg.board path[data-code='GN']").EvaluateAsync<string>("p => getComputedStyle(p).fill"));
        Assert.Equal("rgb(217, 119, 6)", await page.Locator("svg.board path[data-code='CD']").EvaluateAsync<string>("p => getComputedStyle(p).fill"));
        Assert.Equal("rgb(209, 213, 219)", await page.Locator("svg.board path[data-code='FR']").EvaluateAsync<string>("p => getComputedStyle(p).fill"));
        var mine = page.GetByRole(AriaRole.Link, new() { Name = "Guinea declares state of emergency as soldiers fire on marchers in Conakry" });
        await mine.ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Sources (2)");
        await page.GoBackAsync();
        problems.AddRange((await Chromium.AccessibilityProblemsAsync(page)).Select(p => "board: " + p));
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "no sideways scrolling");
        await ShotAsync(page, $"board-{width}");
        Assert.Equal(404, (int)(await http.GetAsync("api/board?token=nobody.nothing")).StatusCode);
        Assert.Empty(problems);
    }
}
