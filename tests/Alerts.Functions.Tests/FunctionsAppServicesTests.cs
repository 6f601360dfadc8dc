using Alerts.Infrastructure.Email;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Alerts.Functions.Tests;

/// <summary>The Functions app's own registration: start-up checks of the host's settings and the telemetry choice.</summary>
public sealed class FunctionsAppServicesTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["PollSchedule"] = "0 */5 * * * *",
        ["DigestSchedule"] = "0 */15 * * * *",
        ["PruneSchedule"] = "0 30 3 * * *",
        ["Email:FromAddress"] = "alerts@example.org",
        ["Email:PublicBaseUrl"] = "https://alerts.example",
        ["Email:SigningKey"] = FunctionHost.SigningKey,
        ["Email:OutboxFolder"] = "/tmp/crisis-alerts/outbox",
    };

    private static IHost Build(Dictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(Valid).AddInMemoryCollection(overrides);
        builder.Services.AddAlertsFunctionsApp(builder.Configuration);
        return builder.Build();
    }

    private static async Task<string> StartErrorAsync(Dictionary<string, string?> overrides)
    {
        using var host = Build(overrides);
        var error = await Record.ExceptionAsync(() => host.StartAsync());
        return error is null ? "" : error.Message + string.Concat((error as AggregateException)?.InnerExceptions.Select(e => " | " + e.Message) ?? []);
    }

    [Fact]
    public void ForwardedHeaders_TrustTheHostOnLoopbackAndTheConfiguredProxiesOnly()
    {
        using var host = Build(new() { ["Proxies:KnownNetworks:0"] = "147.243.0.0/16", ["Proxies:KnownProxies:0"] = "203.0.113.5" });

        var options = host.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>>().Value;

        Assert.True(options.ForwardedHeaders.HasFlag(Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor));
        Assert.Null(options.ForwardLimit);
        Assert.Contains(System.Net.IPAddress.Parse("203.0.113.5"), options.KnownProxies);
        Assert.Contains(System.Net.IPAddress.IPv6Loopback, options.KnownProxies);
        Assert.Contains(options.KnownIPNetworks, n => n.ToString() == "147.243.0.0/16");
        Assert.Contains(options.KnownIPNetworks, n => n.Contains(System.Net.IPAddress.Loopback));
    }

    [Fact]
    public async Task ValidSettings_Start()
    {
        using var host = Build([]);
        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("PollSchedule", null, "The app setting PollSchedule is not set: the host would disable PollFeeds")]
    [InlineData("DigestSchedule", "", "The app setting DigestSchedule is not set: the host would disable SendDigests")]
    [InlineData("PruneSchedule", "  ", "The app setting PruneSchedule is not set: the host would disable PruneStorage")]
    [InlineData("PollSchedule", "*/5 * * * *", "The app setting PollSchedule ('*/5 * * * *') is not a schedule")]
    [InlineData("PollSchedule", "every five minutes", "is not a schedule")]
    [InlineData("Email:OutboxFolder", "outbox", "Email:OutboxFolder (Email__OutboxFolder) must be an absolute path outside the app folder")]
    [InlineData("Proxies:KnownNetworks:0", "147.243.0.0/33", "Proxies:KnownNetworks: '147.243.0.0/33' is not a CIDR range")]
    [InlineData("Proxies:KnownProxies:0", "front-door", "Proxies:KnownProxies: 'front-door' is not an IP address")]
    public async Task BadHostSetting_StopsTheStartNamingIt(string key, string? value, string message)
    {
        Assert.Contains(message, await StartErrorAsync(new() { [key] = value }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachArea_IsRegisteredOnce_SoEachErrorIsReportedOnce()
    {
        var error = await StartErrorAsync(new() { ["Email:Provider"] = "Pigeon" });

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error, "Email:Provider must be SendGrid or Outbox"));
    }

    [Fact]
    public async Task RelativeOutbox_IsFineWithSendGrid()
    {
        Assert.Equal("", await StartErrorAsync(new() { ["Email:OutboxFolder"] = "outbox", ["Email:Provider"] = "SendGrid", ["SendGrid:ApiKey"] = "SG.x" }));
    }

    [Fact]
    public async Task DeliveryLease_ShorterThanAWholeSendGridSend_StopsTheStart()
    {
        var sendGrid = new Dictionary<string, string?> { ["Email:Provider"] = "SendGrid", ["SendGrid:ApiKey"] = "SG.x" };
        Assert.Contains("Email:DeliveryLease must cover a whole send", await StartErrorAsync(new(sendGrid) { ["Email:DeliveryLease"] = "00:04:00" }), StringComparison.Ordinal);
        Assert.Equal("", await StartErrorAsync(new(sendGrid) { ["Email:DeliveryLease"] = "00:04:00", ["SendGrid:Timeout"] = "00:00:10" }));
        Assert.Equal("", await StartErrorAsync(new(sendGrid)));
    }

    [Fact]
    public async Task DeliveryLease_ShorterThanAWholeChannelPost_StopsTheStart()
    {
        Assert.Contains("Email:DeliveryLease must cover a whole channel post", await StartErrorAsync(new() { ["Channels:Timeout"] = "00:02:00" }), StringComparison.Ordinal);
        Assert.Equal("", await StartErrorAsync(new() { ["Channels:Timeout"] = "00:00:30" }));
    }

    [Theory]
    [InlineData("0 */5 * * * *", true)]
    [InlineData("0 30 3 * * MON-FRI", true)]
    [InlineData("0 0,30 8-18/2 * * *", true)]
    [InlineData("00:05:00", true)]
    [InlineData("00:00:00", false)]
    [InlineData("0 */5 * * *", false)]
    [InlineData("0 */5 * * * * *", false)]
    [InlineData("0 5; * * * *", false)]
    public void IsSchedule(string value, bool expected) => Assert.Equal(expected, FunctionSchedules.IsSchedule(value));

    [Theory]
    [InlineData("/tmp/outbox", "/srv/app/", true)]
    [InlineData("/srv/app/outbox", "/srv/app/", false)]
    [InlineData("/srv/app", "/srv/app/", false)]
    [InlineData("/srv/application/outbox", "/srv/app/", true)]
    [InlineData("outbox", "/srv/app/", false)]
    [InlineData("/srv/app/../outbox", "/srv/app/", true)]
    public void OutboxOutsideApp(string folder, string app, bool expected) => Assert.Equal(expected, FunctionsAppServices.OutboxOutsideApp(folder, app));

    [Fact]
    public void Telemetry_NoExporterConfigured_NoPipeline()
    {
        using var host = Build([]);
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void Telemetry_OtlpEndpoint_BuildsTracesAndMetrics()
    {
        using var host = Build(new() { [TelemetrySettings.OtlpEndpoint] = "http://127.0.0.1:4318" });
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void EntraCredential_FromTheAuthenticationString()
    {
        Assert.Null(TelemetrySettings.EntraCredential(null));
        Assert.IsType<ManagedIdentityCredential>(TelemetrySettings.EntraCredential("ClientId=6b8f2d3e-0000-4000-8000-000000000001;Authorization=AAD"));
        Assert.IsType<ManagedIdentityCredential>(TelemetrySettings.EntraCredential("Authorization=AAD"));
        var error = Assert.Throws<InvalidOperationException>(() => TelemetrySettings.EntraCredential("ClientId=abc"));
        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutboxValidation_IsRegisteredOnTheSharedOptions()
    {
        using var host = Build(new() { ["Email:OutboxFolder"] = "relative" });
        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<EmailProviderOptions>>().Value);
    }
}
