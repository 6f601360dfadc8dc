using Microsoft.Playwright;

namespace Alerts.Testing;

/// <summary>
/// Headless Debian Chromium (/usr/bin/chromium, or ALERTS_CHROMIUM) driven by Playwright. The README's test command
/// installs the browser; Playwright never downloads one. Background networking is off: the machine has no internet.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("ALERTS_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    /// <summary>Where tests save screenshots for people to look at: artifacts/screenshots at the repository root.</summary>
    public static string ArtifactsFolder => Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots")).FullName;

    /// <summary>
    /// An image the docs show (docs/images/NAME), taken by the tests so that it always shows what the product shows
    /// today; commit it when it changes.
    /// </summary>
    public static string DocsImage(string name) => Path.Combine(RepositoryPaths.Root, "docs", "images", name);

    /// <summary>
    /// Runs axe-core (the npm package the test command installs) on the page and returns its serious and critical
    /// violations as "rule: target" lines, empty when there are none.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AccessibilityProblemsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var axe = Path.Combine(RepositoryPaths.Root, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe))
        {
            throw new InvalidOperationException($"axe-core is missing at {axe}: run the README's test command (npm ci installs it).");
        }

        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
        return await page.EvaluateAsync<string[]>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`));
            }
            """);
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath}: run the README's test command (it installs Debian's chromium) or set ALERTS_CHROMIUM.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }
}
