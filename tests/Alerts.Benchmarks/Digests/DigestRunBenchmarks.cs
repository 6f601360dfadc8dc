using System.Diagnostics;
using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Email;
using Alerts.Infrastructure.Memory;
using Alerts.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alerts.Benchmarks.Digests;

/// <summary>
/// One SendDigests run for 10,000 due subscribers with varied filters (5 zones, 3 languages, country, region, signal and
/// severity filters) over 300 alerts, sent with the real SendGrid client to the fake SendGrid endpoint on loopback.
/// Baseline: one request per subscriber (MaxRecipientsPerRequest = 1); measured: identical digests share a request (up
/// to 1,000 personalizations). Requests made and the process's peak working set are printed at the end of each run.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class DigestRunBenchmarks
{
    private const int Subscribers = 10_000;
    private static readonly string[] Zones = ["UTC", "Europe/Paris", "Asia/Almaty", "America/New_York", "Africa/Khartoum"];
    private static readonly string[] Languages = ["en", "fr", "es"];
    private static readonly string[] Countries = ["KZ", "SD", "MM", "ML", "VE", "ET", "HT", "PK", "IR", "CD"];
    private static readonly string[] Signals = ["curfew", "live-fire", "internet-shutdown", "fatalities", "coup", "mass-arrests"];
    private static readonly string[] Regions = ["Central Asia", "Africa", "Americas", "Asia"];
    private FakeSendGrid _sendGrid = null!;
    private InMemoryAlertStore _alerts = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public async Task Setup()
    {
        _sendGrid = await FakeSendGrid.StartAsync();
        _sendGrid.Record = false; // count only: the measurement is of the service, not of the fake keeping every email
        _now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        _alerts = new InMemoryAlertStore();
        for (var i = 0; i < 300; i++)
        {
            var signal = Signals[i % Signals.Length];
            var severity = (Severity)(1 + (i % 3));
            await _alerts.TryAddAsync(new AlertRecord
            {
                StoryId = $"s{i:D4}",
                ArticleId = $"a{i:D4}",
                Severity = severity,
                Score = 20 * (int)severity,
                Title = $"Story {i}: {signal} reported as tensions rise",
                Url = $"https://news.example/{i}",
                FeedId = "f1",
                Signals = [signal],
                Countries = [Countries[(i * 7) % Countries.Length]],
                Sources = ["news.example", "wire.example"],
                SourceCount = 2,
                CreatedAt = _now.AddHours(-(i % 20)),
                ChangedAt = _now.AddHours(-(i % 20)),
                Evidence = [new SignalMatch(signal, signal, "escalation", 30, [new Evidence(ArticleField.Content, "evidence snippet for " + signal, signal)])],
            }, null, default);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Console.WriteLine($"// Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
        await _sendGrid.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<DigestRunReport> OneRequestPerSubscriber() => RunAsync(1);

    [Benchmark]
    public Task<DigestRunReport> SharedRequests() => RunAsync(EmailMessage.MaxRecipients);

    private async Task<DigestRunReport> RunAsync(int recipientsPerRequest)
    {
        var time = new FixedTime(_now);
        var subscribers = new InMemorySubscriberStore();
        for (var i = 0; i < Subscribers; i++)
        {
            await subscribers.TryAddAsync(Subscriber(i), default);
        }

        var email = Options.Create(new EmailOptions
        {
            FromAddress = "alerts@crisis-alerts.example",
            PublicBaseUrl = "https://alerts.example",
            SigningKey = Convert.ToBase64String(new byte[32]),
            MaxRecipientsPerRequest = recipientsPerRequest,
        });
        var sender = new SendGridEmailSender(new HttpClient(), Options.Create(new SendGridOptions { ApiKey = FakeSendGrid.ApiKey, BaseUrl = _sendGrid.BaseUrl }), time);
        var links = new SubscriptionLinks(email, time);
        var dispatcher = new EmailDispatcher(new InMemoryDeliveryStore(), sender, links, time, email, new EmailMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<EmailDispatcher>.Instance);
        var runner = new DigestRunner(subscribers, _alerts, dispatcher, links, time, email, NullLogger<DigestRunner>.Instance);

        var before = _sendGrid.AcceptedPersonalizations;
        var report = await runner.RunAsync(default);
        if (report.Accepted + report.Empty != Subscribers || _sendGrid.AcceptedPersonalizations - before != report.Accepted)
        {
            throw new InvalidOperationException($"Expected every subscriber served once, got {report} and {_sendGrid.AcceptedPersonalizations - before} emails.");
        }

        Console.WriteLine($"// {recipientsPerRequest} per request: {report.Accepted} digests, {report.Empty} empty, {report.Requests} SendGrid requests");
        return report;
    }

    private static Subscriber Subscriber(int i)
    {
        // Varied, but with the clustering real audiences have: many people pick the same few filters.
        var preferences = (i % 6) switch
        {
            0 => new SubscriberPreferences(),
            1 => new SubscriberPreferences { Countries = [Countries[i % Countries.Length]] },
            2 => new SubscriberPreferences { Regions = [Regions[i % Regions.Length]] },
            3 => new SubscriberPreferences { Signals = [Signals[i % Signals.Length]], MinimumSeverity = Severity.Watch },
            4 => new SubscriberPreferences { MinimumSeverity = Severity.Critical },
            _ => new SubscriberPreferences { Countries = [Countries[i % Countries.Length], Countries[(i + 3) % Countries.Length]], Signals = [Signals[i % Signals.Length]] },
        };
        var email = $"user{i}@example.org";
        return new Subscriber
        {
            Id = Core.Subscriptions.Subscriber.IdForEmail(email),
            Email = email,
            Status = SubscriberStatus.Active,
            TimeZone = Zones[i % Zones.Length],
            Language = Languages[(i / 5) % Languages.Length],
            DigestWatermark = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero),
            Preferences = preferences with { Frequency = DigestFrequency.Hourly },
        };
    }
}
