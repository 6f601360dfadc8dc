using System.Diagnostics;
using System.Globalization;
using Alerts.Core.Subscriptions;
using Alerts.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Alerts.Functions.Tests.EndToEnd;

/// <summary>
/// PollFeeds → FetchFeed → ScoreArticle → SendBreakingAlerts → SendGrid and the Slack and Telegram channels, then
/// SendDigests, through the real host's timers, queues (Base64 messages, its own polling and binding), the real SendGrid
/// client and the real channel sender.
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class HostPipelineTests(RealHostFixture fixture, ITestOutputHelper output)
{
    private const string Reader = "reader@e2e.example";
    private const string Desk = "desk@e2e.example";

    private IReadOnlyList<DeliveredEmail> ToReader => [.. fixture.SendGrid.Delivered.Where(d => d.To == Reader)];

    [Fact]
    public async Task PollToBreakingEmail_ThenDigest_SecondCycleSendsNothing_TelemetryExported()
    {
        var host = fixture.Host;
        fixture.Feeds.Feed("world", RealHostFixture.Rss("World desk",
            ("Guinea declares state of emergency as soldiers fire on marchers", "Soldiers opened fire on marchers in Conakry, killing at least nine people. The government of Guinea declared a state of emergency and imposed a night curfew; mobile internet was cut.", "guinea"),
            ("Curfew ordered in Goma after clashes between armed groups", "Authorities in the Democratic Republic of the Congo ordered a curfew in Goma. Residents were told to stay indoors after 7pm.", "goma"),
            ("Review: a slick thriller about martial law", "The film imagines a coup in a fictional republic. In cinemas from Friday.", "review")));
        using var stores = RealHostFixture.Stores(fixture.Azurite.ConnectionString);
        await RealHostFixture.AddFeedAsync(stores, fixture.Feeds.Url("world"));
        await RealHostFixture.AddSubscriberAsync(stores, Reader);

        // A desk that takes critical alerts in Slack and Telegram only, its channels added through the host's admin API
        // (checked, then a test message each).
        await RealHostFixture.AddSubscriberAsync(stores, Desk);
        var desk = Subscriber.IdForEmail(Desk);
        await stores.GetRequiredService<ISubscriberStore>().UpdateAsync(desk, s => s with { Preferences = s.Preferences with { ImmediateByEmail = false } }, default);
        using (var admin = host.CreateClient(host.MasterKey))
        {
            foreach (var (kind, target) in new[] { ("slack", fixture.Channels.SlackUrl("desk")), ("telegram", "-1009876543210") })
            {
                using var added = await admin.PostAsync($"api/admin/subscribers/{desk}/channels", new StringContent($"{{\"kind\":\"{kind}\",\"target\":\"{target}\"}}", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(System.Net.HttpStatusCode.Created, added.StatusCode);
                Assert.Contains("\"active\":true", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        var slackPath = new Uri(fixture.Channels.SlackUrl("desk")).AbsolutePath;
        int TelegramPosts() => fixture.Channels.Delivered().Count(r => r.Path.EndsWith("/sendMessage", StringComparison.Ordinal) && r.Body.Contains("-1009876543210", StringComparison.Ordinal));
        Assert.Equal((1, 1), (fixture.Channels.Delivered(slackPath).Count, TelegramPosts()));

        var clock = Stopwatch.StartNew();
        await host.InvokeAsync("PollFeeds");
        await host.WaitForAsync(() => ToReader.Any(d => d.Categories.Contains("breaking")), TimeSpan.FromSeconds(90), "the breaking email");
        var breakingLatency = clock.Elapsed;

        await host.WaitForAsync(() => fixture.Channels.Delivered(slackPath).Count == 2 && TelegramPosts() == 2, TimeSpan.FromSeconds(60), "the alert in Slack and Telegram");
        Assert.Contains("Critical, Guinea", fixture.Channels.Delivered(slackPath)[1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.SendGrid.Delivered, d => d.To == Desk); // channels only, as the desk chose
        var breaking = Assert.Single(ToReader);
        Assert.StartsWith("Critical, Guinea: Guinea declares state of emergency", breaking.Subject, StringComparison.Ordinal);
        Assert.Contains("opened fire", breaking.Html, StringComparison.Ordinal);
        await host.WaitForAsync(() => host.Executions("ScoreArticle").Count >= 3, TimeSpan.FromSeconds(30), "three articles scored");

        clock.Restart();
        await host.InvokeAsync("SendDigests");
        await host.WaitForAsync(() => ToReader.Any(d => d.Categories.Contains("digest")), TimeSpan.FromSeconds(60), "the digest");
        var digestLatency = clock.Elapsed;
        var digest = Assert.Single(ToReader, d => d.Categories.Contains("digest"));
        Assert.Contains("Curfew ordered in Goma", digest.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Guinea declares", digest.Html, StringComparison.Ordinal); // already sent at once
        Assert.DoesNotContain(ToReader, d => d.Html.Contains("thriller", StringComparison.Ordinal));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Through the real host: POST PollFeeds → breaking email at the fake SendGrid {breakingLatency.TotalSeconds:F1} s; POST SendDigests → digest {digestLatency.TotalSeconds:F1} s"));

        // A second cycle: nothing is due or new, nothing is sent.
        var polls = host.Executions("PollFeeds").Count;
        var digests = host.Executions("SendDigests").Count;
        await host.InvokeAsync("PollFeeds");
        await host.InvokeAsync("SendDigests");
        await host.WaitForAsync(() => host.Executions("PollFeeds").Count > polls && host.Executions("SendDigests").Count > digests, TimeSpan.FromSeconds(60), "the second cycle");
        await Task.Delay(RealHostFixture.VisibilityTimeout * 2); // two queue polling intervals for anything it might have queued
        Assert.Equal(2, ToReader.Count);
        Assert.Equal((2, 2), (fixture.Channels.Delivered(slackPath).Count, TelegramPosts())); // the test message and the alert, once
        Assert.Equal(1, fixture.Feeds.CountRequests("world"));

        // The worker's own telemetry reached both exporters.
        await host.WaitForAsync(() => fixture.Telemetry.Saw("/v1/metrics", "alerts.articles.scored") && fixture.Telemetry.Saw("/v1/metrics", "alerts.emails.accepted"),
            TimeSpan.FromSeconds(30), "the app's metrics at the OTLP endpoint");
        await host.WaitForAsync(() => fixture.Telemetry.Saw("/v1/traces", "alerts.score") && fixture.Telemetry.Saw("/v2.1/track", "alerts.score"),
            TimeSpan.FromSeconds(30), "the app's spans at the OTLP endpoint and Application Insights");
    }
}
