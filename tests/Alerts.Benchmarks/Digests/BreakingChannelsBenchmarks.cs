using System.Diagnostics;
using Alerts.Core.Channels;
using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Channels;
using Alerts.Infrastructure.Email;
using Alerts.Infrastructure.Http;
using Alerts.Infrastructure.Memory;
using Alerts.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alerts.Benchmarks.Digests;

/// <summary>
/// One critical alert to 10,000 matching subscribers, sent by BreakingAlertSender with the real SendGrid client and the
/// real channel sender (through the safe connector) to the fakes on loopback; in-memory subscriber and delivery stores.
/// Baseline: everyone by email (today's path: identical emails share a SendGrid request). Measured: the same 10,000
/// spread over the channels: 40% email, 15% each webhook, Slack, Teams and Telegram (channel users without email).
/// Requests made are printed at the end of each run and checked: every subscriber served exactly once.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class BreakingChannelsBenchmarks
{
    private const int Subscribers = 10_000;
    private static readonly string[] Languages = ["en", "fr", "es"];
    private FakeSendGrid _sendGrid = null!;
    private FakeChannelReceiver _receivers = null!;
    private InMemoryAlertStore _alerts = null!;
    private readonly DateTimeOffset _now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private int _run;

    [GlobalSetup]
    public async Task Setup()
    {
        _sendGrid = await FakeSendGrid.StartAsync();
        _sendGrid.Record = false;
        _receivers = await FakeChannelReceiver.StartAsync();
        _alerts = new InMemoryAlertStore();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Console.WriteLine($"// Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
        await _sendGrid.DisposeAsync();
        await _receivers.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<BreakingReport> EmailOnly() => RunAsync(channels: false);

    [Benchmark]
    public Task<BreakingReport> SpreadOverChannels() => RunAsync(channels: true);

    private async Task<BreakingReport> RunAsync(bool channels)
    {
        var story = "s-bench-" + Interlocked.Increment(ref _run);
        var alert = new AlertRecord
        {
            StoryId = story,
            ArticleId = "a-" + story,
            Severity = Severity.Critical,
            Score = 60,
            Title = "Troops fire on protesters in Almaty as curfew begins",
            Url = "https://news.example/almaty",
            FeedId = "f1",
            Signals = ["live-fire", "curfew"],
            Countries = ["KZ"],
            Sources = ["news.example", "wire.example"],
            SourceCount = 2,
            CreatedAt = _now,
            ChangedAt = _now,
            Evidence = [new SignalMatch("live-fire", "Live fire", "escalation", 30, [new Evidence(ArticleField.Content, "soldiers opened fire on the crowd", "open fire", null, "opened fire")])],
        };
        await _alerts.TryAddAsync(alert, null, default);
        var subscribers = new InMemorySubscriberStore();
        var secrets = new List<(string Url, string Secret)>();
        for (var i = 0; i < Subscribers; i++)
        {
            var subscriber = Subscriber(i, channels);
            if (subscriber.Channels.FirstOrDefault(c => c.Kind == ChannelKind.Webhook) is { } hook)
            {
                secrets.Add((hook.Target, hook.Secret!));
            }

            await subscribers.TryAddAsync(subscriber, default);
        }

        foreach (var (url, secret) in secrets)
        {
            _receivers.Secret(url, secret);
        }

        var time = new FixedTime(_now);
        var email = Options.Create(new EmailOptions { FromAddress = "alerts@crisis-alerts.example", PublicBaseUrl = "https://alerts.example", SigningKey = Convert.ToBase64String(new byte[32]), MaxImmediatePerHour = 1000 });
        var metrics = new EmailMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var deliveries = new InMemoryDeliveryStore();
        var mail = new EmailDispatcher(deliveries, new SendGridEmailSender(new HttpClient(), Options.Create(new SendGridOptions { ApiKey = FakeSendGrid.ApiKey, BaseUrl = _sendGrid.BaseUrl }), time), new SubscriptionLinks(email, time), time, email, metrics, NullLogger<EmailDispatcher>.Instance);
        var channelOptions = new ChannelOptions { AllowLoopback = true, TelegramBotToken = FakeChannelReceiver.TelegramToken, TelegramApiBaseUrl = _receivers.BaseUrl };
        var poster = new HttpChannelSender(new HttpClient(SafeConnector.CreatePostingHandler(new DnsHostResolver(), true, channelOptions.Timeout)), Options.Create(channelOptions), time);
        var log = new WarningLog();
        var channelDispatcher = new ChannelDispatcher(deliveries, poster, subscribers, time, email, metrics, log);
        var sender = new BreakingAlertSender(subscribers, _alerts, mail, channelDispatcher, new SubscriptionLinks(email, time), new NoQueue(), time, email, metrics, NullLogger<BreakingAlertSender>.Instance);

        var emailsBefore = _sendGrid.AcceptedPersonalizations;
        var postsBefore = _receivers.Delivered().Count;
        var report = await sender.SendAsync(new BreakingAlertMessage(story, alert.ArticleId, alert.Title, alert.Url, alert.Score, alert.Signals, alert.Countries, alert.SourceCount, _now), default);
        var emails = _sendGrid.AcceptedPersonalizations - emailsBefore;
        var posts = _receivers.Delivered().Count - postsBefore;
        if (report.Matched != Subscribers || report.Accepted != Subscribers || emails + posts != Subscribers)
        {
            throw new InvalidOperationException($"Expected every subscriber served once, got {report}, {emails} emails and {posts} channel posts.");
        }

        Console.WriteLine($"// {(channels ? "channels" : "email only")}: {emails} emails, {posts} channel posts, {report.Requests} requests");
        foreach (var (message, count) in log.Counts)
        {
            Console.WriteLine($"//   {count} x {message}");
        }
        return report;
    }

    private Subscriber Subscriber(int i, bool channels)
    {
        var address = $"user{i}@example.org";
        var kind = i % 20;
        var subscriber = new Subscriber
        {
            Id = Core.Subscriptions.Subscriber.IdForEmail(address),
            Email = address,
            Status = SubscriberStatus.Active,
            Language = Languages[i % Languages.Length],
            Preferences = new SubscriberPreferences { Countries = i % 2 == 0 ? ["KZ"] : [] },
        };
        if (!channels || kind < 8)
        {
            return subscriber; // 40% stay on email
        }

        var channel = (kind - 8) switch
        {
            < 3 => new Channel { Id = "c" + i, Kind = ChannelKind.Webhook, Target = _receivers.WebhookUrl("h" + i), Secret = Channel.NewSecret(), Active = true },
            < 6 => new Channel { Id = "c" + i, Kind = ChannelKind.Slack, Target = _receivers.SlackUrl("s" + i), Active = true },
            < 9 => new Channel { Id = "c" + i, Kind = ChannelKind.Teams, Target = _receivers.TeamsUrl("t" + i), Active = true },
            _ => new Channel { Id = "c" + i, Kind = ChannelKind.Telegram, Target = (-1_000_000 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Active = true },
        };
        return subscriber with { Channels = [channel], Preferences = subscriber.Preferences with { ImmediateByEmail = false } };
    }

    /// <summary>Counts the dispatcher's retries and refusals by message, to print with the run's figures.</summary>
    private sealed class WarningLog : Microsoft.Extensions.Logging.ILogger<ChannelDispatcher>
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (!text.Contains(" accepted after 1 attempts", StringComparison.Ordinal))
            {
                var key = System.Text.RegularExpressions.Regex.Replace(text, "[0-9a-f]{24}/breaking:[^ ]+", "…");
                Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
            }
        }
    }

    private sealed class NoQueue : IBreakingQueue
    {
        public Task EnqueueAsync(BreakingAlertMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("Nothing should wait.");

        public Task EnqueueAsync(BreakingAlertMessage message, TimeSpan delay, CancellationToken cancellationToken) => throw new InvalidOperationException("Nothing should wait: " + message.StoryId);
    }
}
