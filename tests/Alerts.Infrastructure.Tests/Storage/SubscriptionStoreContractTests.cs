using Alerts.Core.Digests;
using Alerts.Core.Subscriptions;
using Alerts.Infrastructure.Memory;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Infrastructure.Tests.Storage;

/// <summary>The contract every subscriber, delivery and rate-limit store keeps; run against Tables (Azurite) and memory.</summary>
public abstract class SubscriptionStoreContractTests
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    protected abstract ISubscriberStore Subscribers { get; }

    protected abstract IDeliveryStore Deliveries { get; }

    protected abstract IRateLimiter Limiter { get; }

    protected abstract Core.Feedback.IFeedbackStore Feedback { get; }

    [Fact]
    public async Task Feedback_TheLatestWordPerStoryAndSubscriberCounts_ListedSinceATime()
    {
        var at = Time.GetUtcNow();
        Core.Feedback.FeedbackRecord Word(string story, string subscriber, Core.Feedback.FeedbackKind kind, DateTimeOffset when) =>
            new() { StoryId = story, SubscriberId = subscriber, Kind = kind, At = when, Title = "Curfew in Khartoum", Signals = ["curfew"], Rules = ["escalation/curfew: curfew"], Countries = ["SD"] };

        await Feedback.RecordAsync(Word("s1", "ana", Core.Feedback.FeedbackKind.FalseAlarm, at.AddDays(-10)), default);
        await Feedback.RecordAsync(Word("s1", "ana", Core.Feedback.FeedbackKind.Useful, at.AddHours(-1)), default); // she changed her mind
        await Feedback.RecordAsync(Word("s1", "bo", Core.Feedback.FeedbackKind.WrongPlace, at.AddHours(-2)), default);
        await Feedback.RecordAsync(Word("s0", "bo", Core.Feedback.FeedbackKind.FalseAlarm, at.AddDays(-40)), default);

        var recent = await Feedback.ListAsync(at.AddDays(-7), default);

        Assert.Equal([("ana", Core.Feedback.FeedbackKind.Useful), ("bo", Core.Feedback.FeedbackKind.WrongPlace)], recent.Select(r => (r.SubscriberId, r.Kind)).Order());
        var ana = recent.Single(r => r.SubscriberId == "ana");
        Assert.Equal(["curfew"], ana.Signals);
        Assert.Equal(["escalation/curfew: curfew"], ana.Rules);
        Assert.Equal(["SD"], ana.Countries);
        Assert.Equal("Curfew in Khartoum", ana.Title);
        Assert.Equal(3, (await Feedback.ListAsync(at.AddDays(-60), default)).Count);

        await Feedback.DeleteAllAsync("bo", default); // erasure

        Assert.Equal(["ana"], (await Feedback.ListAsync(at.AddDays(-60), default)).Select(r => r.SubscriberId));
    }

    private static Subscriber Subscriber(string email = "ana@example.org") => new()
    {
        Id = Core.Subscriptions.Subscriber.IdForEmail(email),
        Email = email,
        DisplayName = "Ana",
        TimeZone = "Asia/Almaty",
        Language = "fr",
        Preferences = new SubscriberPreferences { Frequency = DigestFrequency.Weekly, Day = DayOfWeek.Friday, At = new TimeOnly(18, 30), Countries = ["KZ"], Signals = ["curfew"] },
        Immediate = [new ImmediateSend("s1", new DateTimeOffset(2026, 11, 28, 11, 0, 0, TimeSpan.Zero))],
        PausedUntil = new DateTimeOffset(2026, 12, 12, 9, 0, 0, TimeSpan.Zero),
        FeedKey = "k3y",
        PendingChannel = new PendingChannel(Core.Channels.ChannelKind.Slack, "https://hooks.slack.com/services/T/B/X"),
        Channels =
        [
            new Core.Channels.Channel { Id = "c1", Kind = Core.Channels.ChannelKind.Webhook, Target = "https://hooks.example/a", Secret = "s3cret", Active = true, AddedAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), VerifiedAt = new DateTimeOffset(2026, 12, 1, 0, 1, 0, TimeSpan.Zero) },
            new Core.Channels.Channel { Id = "c2", Kind = Core.Channels.ChannelKind.Telegram, Target = "-100123", LastError = "HTTP 403: bot was blocked" },
        ],
    };

    [Fact]
    public async Task Subscriber_AddGetRoundTrip_KeepsEveryField()
    {
        var subscriber = Subscriber();
        Assert.True(await Subscribers.TryAddAsync(subscriber, default));
        Assert.False(await Subscribers.TryAddAsync(subscriber, default));

        var read = await Subscribers.GetAsync(subscriber.Id, default);

        Assert.NotNull(read);
        Assert.Equal(subscriber with { Version = read.Version, Preferences = read.Preferences, Immediate = read.Immediate, Channels = read.Channels }, read);
        Assert.Equal(subscriber.Channels, read.Channels);
        Assert.Equal(subscriber.Preferences.Countries, read.Preferences.Countries);
        Assert.Equal(subscriber.Preferences.Signals, read.Preferences.Signals);
        Assert.Equal((subscriber.Preferences.Frequency, subscriber.Preferences.Day, subscriber.Preferences.At), (read.Preferences.Frequency, read.Preferences.Day, read.Preferences.At));
        Assert.Equal(subscriber.Immediate, read.Immediate);
    }

    [Fact]
    public async Task Subscriber_ConcurrentUpdates_AllApply()
    {
        var subscriber = Subscriber("bo@example.org");
        await Subscribers.TryAddAsync(subscriber with { Immediate = [] }, default);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Subscribers.UpdateAsync(subscriber.Id, s => s with { Immediate = [.. s.Immediate, new ImmediateSend("story" + i, Time.GetUtcNow())] }, default)));

        var read = await Subscribers.GetAsync(subscriber.Id, default);
        Assert.Equal(8, read!.Immediate.Select(i => i.StoryId).Distinct().Count());
    }

    [Fact]
    public async Task Subscriber_ListByStatus_DeleteErases()
    {
        var active = Subscriber("chen@example.org") with { Status = SubscriberStatus.Active };
        var pending = Subscriber("dana@example.org");
        await Subscribers.TryAddAsync(active, default);
        await Subscribers.TryAddAsync(pending, default);

        var listed = new List<Subscriber>();
        await foreach (var s in Subscribers.ListAsync(SubscriberStatus.Active, default))
        {
            listed.Add(s);
        }

        Assert.Contains(listed, s => s.Id == active.Id);
        Assert.DoesNotContain(listed, s => s.Id == pending.Id);
        var read = (await Subscribers.GetAsync(active.Id, default))!;
        Assert.NotNull(read.Version);
        var changed = (await Subscribers.UpdateAsync(active.Id, s => s with { DisplayName = "Chen" }, default))!;
        Assert.NotEqual(read.Version, changed.Version);
        Assert.False(await Subscribers.DeleteAsync(active.Id, read.Version, default)); // changed since: kept
        Assert.NotNull(await Subscribers.GetAsync(active.Id, default));
        Assert.True(await Subscribers.DeleteAsync(active.Id, changed.Version, default));
        Assert.Null(await Subscribers.GetAsync(active.Id, default));
        Assert.False(await Subscribers.DeleteAsync(active.Id, null, default));
        Assert.True(await Subscribers.DeleteAsync(pending.Id, null, default));
        Assert.Null(await Subscribers.UpdateAsync(active.Id, s => s with { DisplayName = "x" }, default));
    }

    private static Delivery Delivery(string subscriberId = "sub1") => new() { SubscriberId = subscriberId, Id = "digest:20261128T0700Z", Kind = "digest", Cutoff = new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.Zero) };

    [Fact]
    public async Task Delivery_ConcurrentClaims_ExactlyOneWins()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Deliveries.TryClaimAsync(Delivery(), Time.GetUtcNow(), TimeSpan.FromMinutes(10), default)));

        Assert.Single(claims, c => c.Status == ClaimStatus.Claimed);
        Assert.All(claims.Where(c => c.Status != ClaimStatus.Claimed), c => Assert.Equal(ClaimStatus.Busy, c.Status));
    }

    [Fact]
    public async Task Delivery_Accepted_IsNeverClaimedAgain()
    {
        var claim = await Deliveries.TryClaimAsync(Delivery(), Time.GetUtcNow(), TimeSpan.FromMinutes(10), default);
        await Deliveries.CompleteAsync(claim.Delivery, DeliveryState.Accepted, Time.GetUtcNow(), null, null, default);
        Time.Advance(TimeSpan.FromDays(1));

        var again = await Deliveries.TryClaimAsync(Delivery(), Time.GetUtcNow(), TimeSpan.FromMinutes(10), default);

        Assert.Equal(ClaimStatus.AlreadyAccepted, again.Status);
        Assert.Equal(Delivery().Cutoff, again.Delivery.Cutoff);
        Assert.NotNull(again.Delivery.AcceptedAt);
    }

    [Fact]
    public async Task Delivery_DeferredOrExpired_CanBeClaimedAfterItsTime_FailedNever()
    {
        var claim = await Deliveries.TryClaimAsync(Delivery(), Time.GetUtcNow(), TimeSpan.FromMinutes(10), default);
        await Deliveries.CompleteAsync(claim.Delivery, DeliveryState.Deferred, Time.GetUtcNow(), "HTTP 503", Time.GetUtcNow().AddMinutes(5), default);

        Assert.Equal(ClaimStatus.Busy, (await Deliveries.TryClaimAsync(Delivery(), Time.GetUtcNow().AddMinutes(4), TimeSpan.FromMinutes(10), default)).Status);
        var retaken = await Deliveries.TryClaimAsync(Delivery(), Time.GetUtcNow().AddMinutes(6), TimeSpan.FromMinutes(10), default);
        Assert.Equal(ClaimStatus.Claimed, retaken.Status);
        Assert.Equal(2, retaken.Delivery.Attempts);

        await Deliveries.CompleteAsync(retaken.Delivery, DeliveryState.Failed, Time.GetUtcNow(), "HTTP 400", null, default);
        Assert.Equal(ClaimStatus.Failed, (await Deliveries.TryClaimAsync(Delivery(), Time.GetUtcNow().AddDays(1), TimeSpan.FromMinutes(10), default)).Status);
        Assert.Equal("HTTP 400", (await Deliveries.GetAsync("sub1", Delivery().Id, default))!.Error);
    }

    [Fact]
    public async Task Delivery_DeleteAll_RemovesOnlyThatSubscribersRecords()
    {
        await Deliveries.TryClaimAsync(Delivery("a"), Time.GetUtcNow(), TimeSpan.FromMinutes(1), default);
        await Deliveries.TryClaimAsync(Delivery("a") with { Id = "breaking:s9" }, Time.GetUtcNow(), TimeSpan.FromMinutes(1), default);
        await Deliveries.TryClaimAsync(Delivery("b"), Time.GetUtcNow(), TimeSpan.FromMinutes(1), default);

        await Deliveries.DeleteAllAsync("a", default);

        Assert.Null(await Deliveries.GetAsync("a", Delivery().Id, default));
        Assert.Null(await Deliveries.GetAsync("a", "breaking:s9", default));
        Assert.NotNull(await Deliveries.GetAsync("b", Delivery().Id, default));
    }

    [Fact]
    public async Task RateLimiter_AllowsTheLimitPerWindow_ThenSaysHowLongToWait()
    {
        var results = new List<TimeSpan?>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await Limiter.TryAcquireAsync("client:abc", 3, TimeSpan.FromHours(1), default));
        }

        Assert.Equal([null, null, null], results.Take(3));
        Assert.Equal(TimeSpan.FromHours(1), results[3]);
        Assert.Null(await Limiter.TryAcquireAsync("client:other", 3, TimeSpan.FromHours(1), default));
        Time.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(await Limiter.TryAcquireAsync("client:abc", 3, TimeSpan.FromHours(1), default));
    }

    [Fact]
    public async Task RateLimiter_ConcurrentRequests_NeverExceedTheLimit()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Limiter.TryAcquireAsync("address:x", 4, TimeSpan.FromHours(1), default)));

        Assert.Equal(4, results.Count(r => r is null));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableSubscriptionStoreTests : SubscriptionStoreContractTests
{
    public TableSubscriptionStoreTests(AzuriteFixture azurite)
    {
        var clients = azurite.CreateClients(out _);
        Subscribers = new TableSubscriberStore(clients);
        Deliveries = new TableDeliveryStore(clients);
        Limiter = new TableRateLimiter(clients, Time);
        Feedback = new TableFeedbackStore(clients);
    }

    protected override ISubscriberStore Subscribers { get; }

    protected override IDeliveryStore Deliveries { get; }

    protected override IRateLimiter Limiter { get; }

    protected override Core.Feedback.IFeedbackStore Feedback { get; }
}

public sealed class InMemorySubscriptionStoreTests : SubscriptionStoreContractTests
{
    public InMemorySubscriptionStoreTests()
    {
        Limiter = new InMemoryRateLimiter(Time);
        Feedback = new InMemoryFeedbackStore();
    }

    protected override ISubscriberStore Subscribers { get; } = new InMemorySubscriberStore();

    protected override IDeliveryStore Deliveries { get; } = new InMemoryDeliveryStore();

    protected override IRateLimiter Limiter { get; }

    protected override Core.Feedback.IFeedbackStore Feedback { get; }
}
