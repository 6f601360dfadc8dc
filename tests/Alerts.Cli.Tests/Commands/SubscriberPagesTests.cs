using System.Text.RegularExpressions;
using Alerts.Testing;
using Microsoft.Playwright;

namespace Alerts.Cli.Tests.Commands;

/// <summary>
/// A subscriber's own pages end to end in headless Chromium with scripts disabled, against <c>alerts serve</c>: sign up
/// on the form, confirm from the emailed link, change preferences, pause, resume and unsubscribe, in English and French,
/// on a phone and a laptop. Nothing is loaded from anywhere else; screenshots go to artifacts/screenshots/subscriber-*.png.
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

    public static TheoryData<string, int> Cases => new() { { "en", 390 }, { "fr", 1280 }, { "fr", 390 }, { "en", 1280 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SignUp_Confirm_ChangePreferences_Pause_Unsubscribe_WithoutScripts(string language, int width)
    {
        var fr = language == "fr";
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = width, Height = 900 }, Locale = fr ? "fr-FR" : "en-GB" });
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
            problems.AddRange((await Chromium.AccessibilityProblemsAsync(checker)).Select(p => $"{step}: {p}"));
        }

        // The sign-up page, in the browser's language.
        var email = $"reader-{language}-{width}@example.org";
        await page.GotoAsync(Base + "api/subscribe");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(fr ? "S'abonner à Crisis Alerts" : "Subscribe to Crisis Alerts");
        await Shot("signup");
        await page.GetByLabel(fr ? "Adresse" : "Address", new() { Exact = true }).FillAsync(email);
        await page.Locator("#language").SelectOptionAsync(language);
        await page.Locator("#timeZone").SelectOptionAsync("Asia/Almaty");
        await page.GetByLabel(fr ? "Pays" : "Countries", new() { Exact = true }).FillAsync("Kazakhstan");
        await page.GetByLabel(fr ? "Couvre-feu" : "Curfew").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = fr ? "M'abonner" : "Subscribe" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(fr ? "Consultez votre messagerie" : "Check your email");

        // The confirmation email, then its link: the page says what is confirmed.
        var confirm = await ConfirmLinkAsync(email);
        Assert.StartsWith(Base + "api/confirm?token=", confirm, StringComparison.Ordinal);
        await page.GotoAsync(confirm);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(email);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Kazakhstan");
        await Shot("confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = fr ? "Confirmer mon abonnement" : "Confirm my subscription" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(fr ? "Vous êtes abonné" : "You are subscribed");

        // The preferences page from the link the confirmed page (and every email) gives.
        await page.GetByRole(AriaRole.Link, new() { Name = fr ? "Modifier mes préférences ou faire une pause" : "Change preferences or pause" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(fr ? "Votre abonnement" : "Your subscription");
        await Assertions.Expect(page.Locator("#countries")).ToHaveValueAsync("Kazakhstan");
        await Assertions.Expect(page.GetByLabel(fr ? "Couvre-feu" : "Curfew")).ToBeCheckedAsync();
        await Shot("preferences");
        await page.Locator("#frequency").SelectOptionAsync("weekly");
        await page.Locator("#day").SelectOptionAsync("friday");
        await page.GetByLabel(fr ? "Envoyer les alertes critiques aussitôt" : "Send critical alerts at once").UncheckAsync();
        await page.GetByLabel(fr ? "Pays" : "Countries", new() { Exact = true }).FillAsync(fr ? "Kazakhstan, Soudan" : "Kazakhstan, Sudan");
        await page.GetByRole(AriaRole.Button, new() { Name = fr ? "Enregistrer" : "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(fr ? "Enregistré." : "Saved.");
        await Assertions.Expect(page.Locator("#frequency")).ToHaveValueAsync("weekly");
        await Assertions.Expect(page.Locator("#day")).ToHaveValueAsync("friday");
        await Assertions.Expect(page.GetByLabel(fr ? "Envoyer les alertes critiques aussitôt" : "Send critical alerts at once")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#countries")).ToHaveValueAsync(fr ? "Kazakhstan, Soudan" : "Kazakhstan, Sudan");

        // A mistake is shown next to what was sent, and nothing is saved.
        await page.GetByLabel(fr ? "Pays" : "Countries", new() { Exact = true }).FillAsync("Atlantis");
        await page.GetByRole(AriaRole.Button, new() { Name = fr ? "Enregistrer" : "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Atlantis");
        await Shot("invalid");
        await page.GotoAsync(page.Url);
        await Assertions.Expect(page.Locator("#countries")).ToHaveValueAsync(fr ? "Kazakhstan, Soudan" : "Kazakhstan, Sudan");

        // Pause, resume, unsubscribe.
        await page.GetByLabel(fr ? "Jours sans aucun message" : "Days without any email or message").FillAsync("14");
        await page.GetByRole(AriaRole.Button, new() { Name = fr ? "Faire une pause" : "Pause", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(fr ? "En pause jusqu'au" : "Paused until");
        await Shot("paused");
        await page.GetByRole(AriaRole.Button, new() { Name = fr ? "Reprendre maintenant" : "Resume now" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(fr ? "Alertes reprises." : "Alerts resumed.");
        await page.GetByRole(AriaRole.Button, new() { Name = fr ? "Me désabonner" : "Unsubscribe" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(fr ? "Vous êtes désabonné" : "You are unsubscribed");

        Assert.Empty(external);
        Assert.Empty(problems);
        await checker.Context.DisposeAsync();
        await context.DisposeAsync();
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
