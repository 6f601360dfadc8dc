using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Alerts.Core;
using Alerts.Core.Diagnostics;
using Alerts.Infrastructure;
using Alerts.Infrastructure.Email;
using Alerts.Infrastructure.Web;
using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Alerts.Functions;

/// <summary>
/// Everything the Functions app registers. Program.cs calls it, and so does the tests' class-level harness, so the two
/// cannot drift apart.
/// </summary>
public static class FunctionsAppServices
{
    /// <summary>The logging category of HttpClient's per-request lines (one per feed fetch and email request).</summary>
    public const string HttpClientLogCategory = "System.Net.Http.HttpClient";

    /// <summary>
    /// The domain, adapters, admin API, start-up checks of the host's own settings (schedules, outbox), log levels and
    /// telemetry of the Functions worker.
    /// </summary>
    public static IServiceCollection AddAlertsFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAlertsCore().AddAlertsFetcher().AddAlertsStorage().AddAlertsScoring().AddAlertsEmail().AddAlertsAdmin();
        services.AddTrustedProxies(hostOnLoopback: true); // the worker's forwarded-headers step: the host, then configured proxies

        // The host resolves %PollSchedule% etc. itself and silently disables a timer whose setting is missing; the worker
        // refuses to start instead, naming the setting.
        services.AddOptions<FunctionSchedules>().Configure(s => configuration.Bind(s)).ValidateDataAnnotations().ValidateOnStart();

        // The host watches the app folder and restarts when anything is written there: the outbox must live elsewhere.
        services.AddOptions<EmailProviderOptions>()
            .Validate(o => o.Provider != "Outbox" || OutboxOutsideApp(o.OutboxFolder, AppContext.BaseDirectory), OutboxMessage)
            .ValidateOnStart();

        // The worker forwards every log line to the host under the function's category, so host.json cannot quiet
        // HttpClient's two lines per request: the worker filters them.
        services.AddLogging(logging => logging.AddFilter(HttpClientLogCategory, LogLevel.Warning));
        services.AddAlertsTelemetry(configuration);
        return services;
    }

    /// <summary>
    /// OpenTelemetry for the worker: the Functions worker's spans, the service's own <see cref="AlertsDiagnostics"/>
    /// source and meters, and logs, exported to Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is
    /// set (with Microsoft Entra ID when <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c>),
    /// to an OTLP endpoint when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to both when both are, and nowhere otherwise.
    /// </summary>
    public static IServiceCollection AddAlertsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var azureMonitor = configuration[TelemetrySettings.ApplicationInsightsConnectionString];
        var otlp = configuration[TelemetrySettings.OtlpEndpoint];
        if (string.IsNullOrWhiteSpace(azureMonitor) && string.IsNullOrWhiteSpace(otlp))
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(AlertsDiagnostics.SourceName))
            .WithMetrics(metrics => metrics.AddMeter([.. AlertsDiagnostics.MeterNames]));
        if (!string.IsNullOrWhiteSpace(azureMonitor))
        {
            var credential = TelemetrySettings.EntraCredential(configuration[TelemetrySettings.ApplicationInsightsAuthentication]);
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = azureMonitor;
                options.Credential = credential;
            });
        }

        if (!string.IsNullOrWhiteSpace(otlp))
        {
            // Endpoint, protocol, headers and intervals come from the standard OTEL_* settings.
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    private const string OutboxMessage =
        "Email:OutboxFolder (Email__OutboxFolder) must be an absolute path outside the app folder when Email:Provider is Outbox: "
        + "the Functions host restarts whenever a file appears under the app folder. Use e.g. /tmp/crisis-alerts/outbox.";

    internal static bool OutboxOutsideApp(string folder, string appFolder)
    {
        if (string.IsNullOrWhiteSpace(folder) || !Path.IsPathFullyQualified(folder))
        {
            return false;
        }

        var outbox = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        var app = Path.TrimEndingDirectorySeparator(Path.GetFullPath(appFolder)) + Path.DirectorySeparatorChar;
        return !outbox.StartsWith(app, StringComparison.Ordinal);
    }
}

/// <summary>The telemetry settings the app reads (the standard names of Application Insights and OpenTelemetry).</summary>
public static class TelemetrySettings
{
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The managed identity named by an authentication string such as <c>Authorization=AAD;ClientId=…</c> (Application
    /// Insights with local authentication off), or null for key-based ingestion.
    /// </summary>
    public static TokenCredential? EntraCredential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ApplicationInsightsAuthentication} must be 'Authorization=AAD' with an optional ';ClientId=<guid>'.");
        }

        return parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}

/// <summary>
/// The timer schedules the host reads (<c>%PollSchedule%</c>, <c>%DigestSchedule%</c>, <c>%PruneSchedule%</c>): six-field
/// NCRONTAB expressions (seconds first) or an hh:mm:ss interval. Checked at start because the host disables a timer
/// whose setting is missing without failing.
/// </summary>
public sealed partial class FunctionSchedules : IValidatableObject
{
    /// <summary>PollFeeds; the example and Bicep use every 5 minutes (<c>0 */5 * * * *</c>).</summary>
    public string? PollSchedule { get; set; }

    /// <summary>SendDigests; the example and Bicep use every 15 minutes (<c>0 */15 * * * *</c>).</summary>
    public string? DigestSchedule { get; set; }

    /// <summary>PruneStorage; the example and Bicep use 03:30 UTC daily (<c>0 30 3 * * *</c>).</summary>
    public string? PruneSchedule { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, function, value) in new[]
        {
            (nameof(PollSchedule), nameof(PollFeeds), PollSchedule),
            (nameof(DigestSchedule), nameof(SendDigests), DigestSchedule),
            (nameof(PruneSchedule), nameof(PruneStorage), PruneSchedule),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult(
                    $"The app setting {name} is not set: the host would disable {function}. Set it to a six-field CRON expression such as '0 */5 * * * *'.",
                    [name]);
            }
            else if (!IsSchedule(value))
            {
                yield return new ValidationResult(
                    $"The app setting {name} ('{value}') is not a schedule: use a six-field CRON expression (seconds first) such as '0 */5 * * * *', or hh:mm:ss.",
                    [name]);
            }
        }
    }

    internal static bool IsSchedule(string value)
    {
        if (TimeSpan.TryParseExact(value, @"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture, out var interval))
        {
            return interval > TimeSpan.Zero;
        }

        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 6 && fields.All(f => CronField().IsMatch(f));
    }

    [GeneratedRegex(@"^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?)*$")]
    private static partial Regex CronField();
}
