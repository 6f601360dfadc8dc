using System.Diagnostics;
using System.Reflection;
using Alerts.Testing;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>
/// The Functions app as it ships: <c>dotnet publish</c> of src/Alerts.Functions (the build this test run already made,
/// in the same configuration) into a folder of its own, once per test run.
/// </summary>
internal static class PublishedApp
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _folder;

    public static string Configuration { get; } =
        typeof(PublishedApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

    public static async Task<string> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _folder ??= await PublishAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "alerts-functions-app-" + Guid.NewGuid().ToString("N")[..8]);
        var project = Path.Combine(RepositoryPaths.Root, "src", "Alerts.Functions", "Alerts.Functions.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", Configuration, "--no-build", "-o", output, "-nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(output, "functions.metadata")) || !File.Exists(Path.Combine(output, "worker.config.json")))
        {
            throw new InvalidOperationException($"dotnet publish of the Functions app failed (exit {process.ExitCode}):{Environment.NewLine}{await stdout}{await stderr}");
        }

        return output;
    }
}
