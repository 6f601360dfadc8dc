using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alerts.Core.Digests;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Email;
using Alerts.Infrastructure.Http;
using Alerts.Infrastructure.Storage;
using Alerts.Infrastructure.Web;
using Alerts.Testing;

namespace Alerts.Functions.Tests;

/// <summary>
/// One source of truth for settings: what the code reads (options sections, %...% binding expressions, the storage
/// connection, the settings the host itself reads) against what infra/main.bicep, local.settings.example.json and the
/// README's configuration table set or describe.
/// </summary>
public sealed partial class SettingsTests
{
    /// <summary>Every options class and the section it binds.</summary>
    private static readonly (string Section, Type Type)[] Options =
    [
        (FetcherOptions.Section, typeof(FetcherOptions)),
        (StorageOptions.Section, typeof(StorageOptions)),
        (IngestionOptions.Section, typeof(IngestionOptions)),
        (ScoringOptions.Section, typeof(ScoringOptions)),
        (EmailOptions.Section, typeof(EmailOptions)),
        (EmailOptions.Section, typeof(EmailProviderOptions)),
        (SendGridOptions.Section, typeof(SendGridOptions)),
        (SubscriptionOptions.Section, typeof(SubscriptionOptions)),
        (AdminOptions.Section, typeof(AdminOptions)),
        (ProxyOptions.Section, typeof(ProxyOptions)),
        (Alerts.Core.Admin.RetentionOptions.Section, typeof(Alerts.Core.Admin.RetentionOptions)),
        (Alerts.Infrastructure.Channels.ChannelOptions.Section, typeof(Alerts.Infrastructure.Channels.ChannelOptions)),
    ];

    /// <summary>Read by the Functions host or the platform, not by our options.</summary>
    private static readonly string[] HostSettings =
    [
        "AzureWebJobsStorage",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "FUNCTIONS_WORKER_RUNTIME",
    ];

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([RepositoryPaths.Root, .. path]));

    private static IEnumerable<string> OptionSettings() =>
        Options.SelectMany(o => o.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{o.Section}__{p.Name}"));

    private static HashSet<string> BindingExpressions()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var metadata = Read("src", "Alerts.Functions", "bin", configuration, "net10.0", "functions.metadata");
        return [.. Percent().Matches(metadata).Select(m => m.Groups[1].Value)];
    }

    private static HashSet<string> Readable() => [.. OptionSettings(), .. BindingExpressions(), .. HostSettings];

    /// <summary>Options that have no usable default: [Required] and empty unless set.</summary>
    private static IEnumerable<string> RequiredOptions() => Options.SelectMany(o =>
    {
        var instance = Activator.CreateInstance(o.Type)!;
        return o.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<RequiredAttribute>() is not null && string.IsNullOrEmpty(p.GetValue(instance)?.ToString()))
            .Select(p => $"{o.Section}__{p.Name}");
    });

    private static Dictionary<string, string> BicepSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, block) in new[] { (Read("infra", "main.bicep"), "appSettings: {"), (Read("infra", "modules", "functionapp.bicep"), "var baseSettings = {") })
        {
            var start = file.IndexOf(block, StringComparison.Ordinal);
            Assert.True(start >= 0, $"'{block}' in the Bicep");
            var end = start + block.Length;
            for (var depth = 1; depth > 0; end++)
            {
                depth += file[end] switch { '{' => 1, '}' => -1, _ => 0 };
            }

            foreach (Match m in BicepKey().Matches(file[(start + block.Length)..end]))
            {
                settings[m.Groups[1].Value] = m.Groups[2].Value.Trim();
            }
        }

        return settings;
    }

    private static Dictionary<string, string> LocalSettings()
    {
        using var json = JsonDocument.Parse(Read("src", "Alerts.Functions", "local.settings.example.json"));
        return json.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    [Fact]
    public void EveryOptionsClass_IsKnownHere()
    {
        var withSection = new[] { typeof(EmailOptions).Assembly, typeof(StorageOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToList();

        Assert.All(withSection, t => Assert.Contains(t, Options.Select(o => o.Type)));
    }

    [Fact]
    public void Bicep_SetsEveryRequiredSettingAndNothingTheCodeDoesNotRead()
    {
        var bicep = BicepSettings();
        var readable = Readable();

        var unread = bicep.Keys.Where(k => !readable.Contains(k)).ToList();
        Assert.Empty(unread);
        var required = RequiredOptions().Concat(BindingExpressions())
            .Concat(["AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        if (bicep.GetValueOrDefault("Email__Provider") is "emailProvider" or "'SendGrid'")
        {
            required = required.Append("SendGrid__ApiKey");
        }

        var missing = required.Where(k => !bicep.ContainsKey(k)).ToList();
        Assert.Empty(missing);
        Assert.StartsWith("'@Microsoft.KeyVault(SecretUri=", bicep["Email__SigningKey"], StringComparison.Ordinal);
        Assert.StartsWith("'@Microsoft.KeyVault(SecretUri=", bicep["SendGrid__ApiKey"], StringComparison.Ordinal);
        Assert.DoesNotContain("AzureWebJobsStorage", bicep.Keys); // identity-based only: no connection string, no shared key
    }

    [Fact]
    public void LocalSettingsExample_SetsEveryRequiredSettingAndNothingTheCodeDoesNotRead()
    {
        var local = LocalSettings();
        var readable = Readable();

        var unread = local.Keys.Where(k => !readable.Contains(k)).ToList();
        var missing = RequiredOptions().Concat(BindingExpressions()).Append("AzureWebJobsStorage").Where(k => !local.ContainsKey(k)).ToList();
        Assert.Empty(unread);
        Assert.Empty(missing);
    }

    [Fact]
    public void ReadmeConfigurationTable_DescribesEverySettingTheCodeReads()
    {
        var readme = Read("README.md");
        var documented = ReadmeRow().Matches(readme).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        var undocumented = OptionSettings().Concat(BindingExpressions()).Where(k => !documented.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.Empty(undocumented);
    }

    [GeneratedRegex(@"%([A-Za-z_][A-Za-z0-9_]*)%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"(?m)^\s+([A-Za-z_][A-Za-z0-9_]*):\s*(.+)$")]
    private static partial Regex BicepKey();

    [GeneratedRegex(@"(?m)^\| `([A-Za-z_][A-Za-z0-9_]*)` \|")]
    private static partial Regex ReadmeRow();
}
