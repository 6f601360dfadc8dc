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
}
