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
