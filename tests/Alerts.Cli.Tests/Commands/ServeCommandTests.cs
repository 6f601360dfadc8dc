using System.Net;
using System.Net.Http.Json;

namespace Alerts.Cli.Tests.Commands;

/// <summary><c>alerts serve</c> over HTTP on loopback: what a client can and cannot make it believe.</summary>
public sealed class ServeCommandTests
{
    private static async Task<List<HttpStatusCode>> SubscribeManyAsync(ServedStore served, int count, Func<int, string> forwardedFor)
    {
        using var http = new HttpClient { BaseAddress = served.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/subscribe") { Content = JsonContent.Create(new { email = $"reader{i}@example.org" }) };
            request.Headers.Add("X-Forwarded-For", forwardedFor(i));
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task Subscribe_ForwardedForFromAnUntrustedClient_IsIgnored_TheLimitHolds()
    {
        await using var served = await ServedStore.StartAsync();

        // One client on loopback claiming a new address each time: still one client, 20 an hour.
        var statuses = await SubscribeManyAsync(served, 22, i => $"198.51.100.{i}");

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses[^2..]);
    }

    [Fact]
    public async Task Subscribe_ForwardedForFromAConfiguredProxy_NamesTheClient()
    {
        var settings = Path.Combine(Path.GetTempPath(), $"alerts-proxies-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settings, """{"Proxies":{"KnownNetworks":["127.0.0.0/8"]}}""");
        try
        {
            await using var served = await ServedStore.StartAsync("--config", settings);

            // Behind a trusted proxy on loopback, each forwarded address is its own client.
            var statuses = await SubscribeManyAsync(served, 22, i => $"198.51.100.{i}");

            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task PortInUse_OneLineThatSaysWhatToDo()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dir = Directory.CreateTempSubdirectory("alerts-port-").FullName;
        try
        {
            using var error = new StringWriter();

            var exit = await CliApp.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Path.Combine(dir, ".alerts"), "--outbox", Path.Combine(dir, "outbox")], TextReader.Null, new StringWriter(), error);

            Assert.Equal(1, exit);
            Assert.Equal($"alerts: port {port} on 127.0.0.1 is in use (another alerts serve, or a Functions host?); choose another with --port.", error.ToString().Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task LinksInEmails_UseTheServedPort_HealthReadsAsText_AndAnIdleCyclePrintsNothing()
    {
        await using var served = await ServedStore.StartAsync();
        using var http = new HttpClient { BaseAddress = served.BaseAddress };

        using var subscribed = await http.PostAsJsonAsync("api/subscribe", new { email = "port-check@example.org" });
        Assert.Equal(HttpStatusCode.Accepted, subscribed.StatusCode);
        var confirmation = Directory.GetFiles(Path.Combine(served.Folder, "outbox"), "*.html").Select(File.ReadAllText).Single(h => h.Contains("port-check", StringComparison.Ordinal) || h.Contains("/api/confirm", StringComparison.Ordinal));
        Assert.Contains($"http://localhost:{served.Port}/api/confirm?", confirmation, StringComparison.Ordinal);

        var health = await http.GetStringAsync("api/health");
        Assert.Contains("feeds due", health, StringComparison.Ordinal);
        Assert.DoesNotContain("PollSummary {", health, StringComparison.Ordinal);

        await Task.Delay(1500); // the first background cycle has run: nothing was due
        Assert.DoesNotContain("Feeds         fetched", served.Error, StringComparison.Ordinal);
        Assert.True(served.Output.StartsWith($"Admin console: http://127.0.0.1:{served.Port}/api/admin/console", StringComparison.Ordinal), served.Output + served.Error);
    }
}
