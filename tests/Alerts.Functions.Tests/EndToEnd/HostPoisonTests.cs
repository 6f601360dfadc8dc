using System.Globalization;
using System.Text;
using System.Text.Json;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Alerts.Infrastructure.Storage;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>Poison messages as the host handles them: its dequeue count, its visibility timeout, its decoding.</summary>
[Collection(RealHostCollection.Name)]
public sealed class HostPoisonTests(RealHostFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task BadMessages_LandInPoison_WithTheHostsTiming_TheNextValidOneGoesThrough_HealthIsDegraded()
    {
        var host = fixture.Host;
        var storage = fixture.Azurite.ConnectionString;
        var raw = new QueueClient(storage, QueueNames.Articles); // no encoding: what any other producer might put there
        await raw.CreateIfNotExistsAsync();
        var failedBefore = host.Executions("ScoreArticle", "Failed").Count;

        // Base64 of JSON that does not bind: the worker fails it, the host retries it maxDequeueCount (5) times.
        await raw.SendMessageAsync(Convert.ToBase64String("{\"id\": 12, not json"u8.ToArray()));
        await host.WaitForAsync(async () => await PoisonedAsync("12, not json") && host.Executions("ScoreArticle", "Failed").Count >= failedBefore + 5,
            TimeSpan.FromSeconds(90), "the malformed message in articles-poison after five failures");
        var failures = host.Executions("ScoreArticle", "Failed").Skip(failedBefore).ToList();
        Assert.Equal(5, failures.Count);
        var gaps = failures.Zip(failures.Skip(1), (a, b) => b.At - a.At).ToList();
        output.WriteLine("Gaps between the host's attempts: " + string.Join(", ", gaps.Select(g => g.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s")));
        // The times are when this test read each log line, and a loaded machine delivers the host's output late and in
        // bursts: one gap can look short when the line before it came late. The attempts as a whole cannot come early,
        // and no attempt may follow the one before at once.
        var span = failures[^1].At - failures[0].At;
        Assert.True(span >= RealHostFixture.VisibilityTimeout * 4 * 0.9, $"five attempts within {span.TotalSeconds:F1} s: retried before the visibility timeout");
        Assert.All(gaps, gap => Assert.True(gap >= RealHostFixture.VisibilityTimeout * 0.4, $"retried after {gap.TotalSeconds:F1} s, at once rather than after the visibility timeout"));

        // Not Base64 at all: the host cannot decode it and poisons it without running the function.
        var failedNow = host.Executions("ScoreArticle", "Failed").Count;
        await raw.SendMessageAsync("this is not base64 !!");
        await host.WaitForAsync(() => PoisonedAsync("this is not base64 !!"), TimeSpan.FromSeconds(30), "the undecodable message in articles-poison");
        Assert.Equal(failedNow, host.Executions("ScoreArticle", "Failed").Count);

        // The queue still works.
        var valid = new ArticleMessage
        {
            Id = "e2e-after-poison",
            FeedId = "e2e",
            Key = "e2e-after-poison",
            Title = "Harbour festival draws record crowds",
            Content = "Thousands visited the harbour festival at the weekend.",
            DiscoveredAt = TimeProvider.System.GetUtcNow(),
        };
        await RealHostFixture.Queue(storage, QueueNames.Articles).SendMessageAsync(JsonSerializer.Serialize(valid, ArticleMessage.JsonOptions));
        using var stores = RealHostFixture.Stores(storage);
        await host.WaitForAsync(async () => await stores.GetRequiredService<IScoredArticleStore>().GetAsync(valid.Id, default) is not null,
            TimeSpan.FromSeconds(30), "the valid message scored");

        using var http = host.CreateClient();
        using var health = JsonDocument.Parse(await http.GetStringAsync("api/health"));
        Assert.Equal("degraded", health.RootElement.GetProperty("status").GetString());
        Assert.True(health.RootElement.GetProperty("queues").GetProperty("articles-poison").GetInt32() >= 2);
    }

    private async Task<bool> PoisonedAsync(string text)
    {
        var poison = new QueueClient(fixture.Azurite.ConnectionString, QueueNames.Articles + "-poison");
        if (!await poison.ExistsAsync())
        {
            return false;
        }

        var messages = (await poison.PeekMessagesAsync(32)).Value;
        return messages.Any(m => m.MessageText.Contains(text, StringComparison.Ordinal)
            || TryDecode(m.MessageText).Contains(text, StringComparison.Ordinal));
    }

    private static string TryDecode(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : "";
    }
}
