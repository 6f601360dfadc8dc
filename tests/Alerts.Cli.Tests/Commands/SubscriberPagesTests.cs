using System.Text.RegularExpressions;
using Alerts.Core.Places;
using Alerts.Core.Texts;
using Alerts.Testing;
using Microsoft.Playwright;

namespace Alerts.Cli.Tests.Commands;

/// <summary>
/// A subscriber's own pages end to end in headless Chromium with scripts disabled, against <c>alerts serve</c>: sign up
/// on the form, confirm from the emailed link, change preferences, pause, resume and unsubscribe, in English, French,
/// Russian and the right-to-left Arabic and Persian, on a phone and a laptop (the words are the catalog's,
/// <see cref="TextCatalog"/>), and every language's sign-up page on a phone. Nothing is loaded from anywhere else; screenshots go to artifacts/screenshots/subscriber-*.png.
/// </summary>
public sealed partial class SubscriberPagesTests : IAsyncLifetime
{
    private ServedStore _served = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _served = await ServedStore.StartAsync();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _served.DisposeAsync();
    }

    private string Base => $"http://127.0.0.1:{_served.Port}/";

    /// <summary>English and French, and the right-to-left languages, on a phone and a laptop; the other languages once each.</summary>
    public static TheoryData<string, int> Cases => new()
    {
        { "en", 390 }, { "en", 1280 }, { "fr", 1280 }, { "ar", 390 }, { "ar", 1280 }, { "fa", 390 }, { "fa", 1280 }, { "ru", 390 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SignUp_Confirm_ChangePreferences_Pause_Unsubscribe_WithoutScripts(string language, int width)
    {
        var texts = TextCatalog.For(language);
        var w = texts.Page;
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = width, Height = 900 }, Locale = texts.Culture.Name });
        var page = await context.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(Base, StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };
        var problems = new List<string>();
        // axe-core needs scripts: each page's HTML is checked again in a scripted context that ignores its CSP.
        var checker = await (await _browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true, ViewportSize = new ViewportSize { Width = width, Height = 900 } })).NewPageAsync();
        async Task Shot(string step)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactsFolder, $"subscriber-{step}-{language}-{width}.png"), FullPage = true });
            await checker.SetContentAsync(await page.ContentAsync());
            Assert.True(await checker.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, $"{step}: no sideways scrolling at {width} px");
            // Arabic and Persian pages run right to left: the heading starts at the right edge.
            Assert.Equal(texts.Direction, await checker.EvaluateAsync<string>("getComputedStyle(document.querySelector('h1')).direction"));
            problems.AddRange((await Chromium.AccessibilityProblemsAsync(checker)).Select(p => $"{step}: {p}"));
        }

        ILocator Field(string key) => page.GetByLabel(w[key], new() { Exact = true });
        var kazakhstan = Gazetteer.Default.Countries["KZ"].NameIn(language);
        var both = string.Join(", ", kazakhstan, Gazetteer.Default.Countries["SD"].NameIn(language));

        // The sign-up page, in the browser's language.
        var email = $"reader-{language}-{width}@example.org";
        await page.GotoAsync(Base + "api/subscribe");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(w["signup_title"]);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", texts.Direction);
        await Assertions.Expect(page.Locator("#language")).ToHaveValueAsync(language); // the page's language is the default
        await Shot("signup");
        await Field("address").FillAsync(email);
        await page.Locator("#timeZone").SelectOptionAsync("Asia/Almaty");
        await Field("countries_field").FillAsync(kazakhstan); // the country as the language names it
        await page.GetByLabel(texts.Signals["curfew"]).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = w["signup_button"] }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(w["signup_done_title"]);

        // The confirmation email, then its link: the page says what is confirmed.
        var confirm = await ConfirmLinkAsync(email);
        Assert.StartsWith(Base + "api/confirm?token=", confirm, StringComparison.Ordinal);
        await page.GotoAsync(confirm);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(email);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(kazakhstan);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(texts.Signals["curfew"]);
        await Shot("confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = w["confirm_button"] }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(w["confirmed_title"]);

        // The preferences page from the link the confirmed page (and every email) gives.
        await page.GetByRole(AriaRole.Link, new() { Name = w["preferences_link"] }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(w["manage_title"]);
        await Assertions.Expect(page.Locator("#countries")).ToHaveValueAsync(kazakhstan);
        await Assertions.Expect(page.GetByLabel(texts.Signals["curfew"])).ToBeCheckedAsync();
        await Shot("preferences");
        await page.Locator("#frequency").SelectOptionAsync("weekly");
        await page.Locator("#day").SelectOptionAsync("friday");
        await page.GetByLabel(w["immediate_field"]).UncheckAsync();
        // Arabic and Persian keyboards type the Arabic comma between names.
        await Field("countries_field").FillAsync(texts.RightToLeft ? both.Replace(", ", "، ", StringComparison.Ordinal) : both);
        await page.GetByRole(AriaRole.Button, new() { Name = w["save_button"] }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(w["saved_notice"]);
        await Assertions.Expect(page.Locator("#frequency")).ToHaveValueAsync("weekly");
        await Assertions.Expect(page.Locator("#day")).ToHaveValueAsync("friday");
        await Assertions.Expect(page.GetByLabel(w["immediate_field"])).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#countries")).ToHaveValueAsync(both);

        // A mistake is shown next to what was sent, and nothing is saved.
        await Field("countries_field").FillAsync("Atlantis");
        await page.GetByRole(AriaRole.Button, new() { Name = w["save_button"] }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(w["countries_field"]); // the field, by its label
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(w["error_countries"]); // what to correct, in the page's language
        await Assertions.Expect(page.Locator("#countries")).ToHaveValueAsync("Atlantis"); // what was typed, kept to correct
        await Shot("invalid");
        await page.GotoAsync(page.Url);
        await Assertions.Expect(page.Locator("#countries")).ToHaveValueAsync(both);

        // Pause, resume, unsubscribe.
        await Field("pause_days").FillAsync("14");
        await page.GetByRole(AriaRole.Button, new() { Name = w["pause_button"], Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(w["paused_until"][..w["paused_until"].IndexOf('{', StringComparison.Ordinal)].Trim());
        await Shot("paused");
        await page.GetByRole(AriaRole.Button, new() { Name = w["resume_button"] }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(w["resumed_notice"]);
        await page.GetByRole(AriaRole.Button, new() { Name = w["unsub_button"] }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(w["unsubscribed_title"]);

        Assert.Empty(external);
        Assert.Empty(problems);
        await checker.Context.DisposeAsync();
        await context.DisposeAsync();
    }

    /// <summary>Every language's sign-up page, on a phone: its own words, its direction, nothing sideways, no accessibility problem.</summary>
    [Fact]
    public async Task SignUpPage_InEveryLanguage_FitsAPhone()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 800 }, BypassCSP = true });
        var problems = new List<string>();
        foreach (var language in TextCatalog.Languages)
        {
            var texts = TextCatalog.For(language);
            await page.GotoAsync(Base + "api/subscribe?lang=" + language);
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(texts.Page["signup_title"]);
            await Assertions.Expect(page.GetByLabel(texts.Signals["internet-shutdown"])).ToBeVisibleAsync();
            Assert.Equal(texts.Direction, await page.EvaluateAsync<string>("getComputedStyle(document.body).direction"));
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, $"{language}: no sideways scrolling at 360 px");
            problems.AddRange((await Chromium.AccessibilityProblemsAsync(page)).Select(p => $"{language}: {p}"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task ATamperedPreferencesLink_ShowsAClearPage_AndChangesNothing()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { JavaScriptEnabled = false });
        var response = await page.GotoAsync(Base + "api/preferences?token=forged.token");

        Assert.Equal(400, response!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("This link is not valid");
        Assert.Contains("default-src 'none'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
    }

    private async Task<string> ConfirmLinkAsync(string email)
    {
        var outbox = Path.Combine(_served.Folder, "outbox");
        for (var i = 0; i < 100; i++)
        {
            foreach (var file in Directory.Exists(outbox) ? Directory.EnumerateFiles(outbox, "*.eml") : [])
            {
                // The .eml's parts are base64: the address from its header, the link from the .html copy beside it.
                var text = await File.ReadAllTextAsync(file);
                if (text.Contains("To: " + email, StringComparison.OrdinalIgnoreCase)
                    && ConfirmUrl().Match(await File.ReadAllTextAsync(Path.ChangeExtension(file, ".html"))) is { Success: true } link)
                {
                    return Base + link.Groups[1].Value; // serve's links name localhost: the same server, on the address it listens on
                }
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"No confirmation email to {email} in {outbox}.");
    }

    [GeneratedRegex(@"http://(?:localhost|127\.0\.0\.1):\d+/(api/confirm\?token=[A-Za-z0-9._~%-]+)")]
    private static partial Regex ConfirmUrl();
}
