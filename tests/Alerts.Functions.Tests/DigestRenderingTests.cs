using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Testing;
using Microsoft.Playwright;
using static Alerts.Functions.Tests.DigestFixtures;

namespace Alerts.Functions.Tests;

/// <summary>
/// The digest SendGrid would deliver, opened in headless Chromium the way a mail client shows it (no scripts, no
/// network): it renders, fits a phone without sideways scrolling, loads nothing external, and is saved as PNG
/// (artifacts/screenshots/digest-phone.png and digest-laptop.png) for people to look at; the phone one is also docs/images/digest-phone.png.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DigestRenderingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionHost _host = null!;

    private FakeSendGrid SendGrid => _host.SendGrid!;

    public async Task InitializeAsync()
    {
        _host = await FunctionHost.WithSendGridAsync(azurite);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Digest_RendersOnAPhoneAndALaptop_WithNothingExternal()
    {
        var now = _host.Time.GetUtcNow();
        await _host.Get<ISubscriberStore>().TryAddAsync(Subscriber("ana@example.org", now.AddDays(-1), "Asia/Almaty"), default);
        var alerts = _host.Get<IAlertStore>();
        await alerts.TryAddAsync(Alert("s-kz", Severity.Critical, "KZ", "Troops open fire on protesters in Almaty as state of emergency is declared", now.AddHours(-2), "live-fire", evidence: "security forces opened fire on demonstrators in Republic Square"), null, default);
        await alerts.TryAddAsync(Alert("s-sd", Severity.Warning, "SD", "Curfew imposed in Khartoum after clashes", now.AddHours(-1)), null, default);
        await alerts.TryAddAsync(Alert("s-x", Severity.Warning, "MM", "<b>Internet shutdown</b> reported <script>alert(1)</script> across Yangon", now.AddHours(-3), "internet-shutdown", url: "javascript:alert(1)", evidence: "mobile data was cut in several townships"), null, default);
        await _host.WithClockRunningAsync(() => _host.Create<SendDigests>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default));
        var html = Assert.Single(SendGrid.Delivered).Html;

        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            foreach (var (name, width, height) in new[] { ("phone", 375, 812), ("laptop", 1280, 800) })
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, JavaScriptEnabled = false });
                var page = await context.NewPageAsync();
                var external = new List<string>();
                await page.RouteAsync("**/*", async route =>
                {
                    external.Add(route.Request.Url);
                    await route.AbortAsync();
                });
                await page.SetContentAsync(html);

                Assert.Equal("1 critical, 2 warnings: Kazakhstan, Myanmar, Sudan", await page.TitleAsync());
                Assert.Equal(3, await page.Locator("h2").CountAsync());
                Assert.StartsWith("Troops open fire", await page.Locator("h2").First.InnerTextAsync(), StringComparison.Ordinal);
                Assert.Equal("<b>Internet shutdown</b> reported <script>alert(1)</script> across Yangon", await page.Locator("h2").Nth(2).InnerTextAsync());
                Assert.Equal(0, await page.Locator("script, img, iframe, b").CountAsync());
                var hrefs = await page.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
                Assert.All(hrefs, href => Assert.StartsWith("https://", href, StringComparison.Ordinal));
                Assert.Contains(hrefs, h => h.StartsWith(FunctionHost.PublicBaseUrl + "/api/unsubscribe?token=", StringComparison.Ordinal));
                Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, $"no sideways scrolling at {width}px");
                Assert.Empty(external);

                var path = Path.Combine(Chromium.ArtifactsFolder, $"digest-{name}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
                Assert.True(new FileInfo(path).Length > 10_000, "a real picture, not a blank page");
                if (name == "phone")
                {
                    File.Copy(path, Chromium.DocsImage("digest-phone.png"), overwrite: true); // the README shows the digest as the tests render it
                }
            }
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    /// <summary>
    /// Arabic and Persian digests run right to left on a phone and a laptop: the page reads from the right, the severity
    /// bar is on the right, an English title keeps its own direction, and nothing scrolls sideways.
    /// </summary>
    [Theory]
    [InlineData("ar")]
    [InlineData("fa")]
    public async Task Digest_InArabicAndPersian_RunsRightToLeft(string language)
    {
        var now = _host.Time.GetUtcNow();
        await _host.Get<ISubscriberStore>().TryAddAsync(Subscriber($"reader-{language}@example.org", now.AddDays(-1), "Asia/Tehran", language), default);
        await _host.Get<IAlertStore>().TryAddAsync(Alert("s-ir", Severity.Critical, "IR", "Security forces fire on protesters in Zahedan", now.AddHours(-2), "live-fire", evidence: "security forces opened fire on worshippers"), null, default);
        await _host.WithClockRunningAsync(() => _host.Create<SendDigests>().Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), default));
        var html = Assert.Single(SendGrid.Delivered).Html;

        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            foreach (var width in new[] { 375, 1280 })
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 800 }, JavaScriptEnabled = false });
                var page = await context.NewPageAsync();
                await page.SetContentAsync(html);

                Assert.Equal("rtl", await page.EvaluateAsync<string>("getComputedStyle(document.body).direction"));
                Assert.Equal("ltr", await page.Locator("h2").First.EvaluateAsync<string>("h => getComputedStyle(h).direction")); // an English title
                Assert.Contains(Alerts.Core.Texts.TextCatalog.For(language).Signals["live-fire"], await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
                Assert.Contains(Alerts.Core.Places.Gazetteer.Default.Countries["IR"].NameIn(language), await page.TitleAsync(), StringComparison.Ordinal);
                var bar = await page.Locator("h2").First.EvaluateAsync<string>("h => getComputedStyle(h.parentElement).borderRightWidth");
                Assert.Equal("4px", bar);
                Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, $"no sideways scrolling at {width}px");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactsFolder, $"digest-{language}-{width}.png"), FullPage = true });
            }
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
