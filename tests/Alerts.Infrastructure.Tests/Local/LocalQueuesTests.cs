using Alerts.Core.Scoring;
using Alerts.Infrastructure.Local;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Infrastructure.Tests.Local;

public sealed class LocalQueuesTests
{
    private static BreakingAlertMessage Message(string story, DateTimeOffset at) => new(story, "a-" + story, "Troops fire on protesters", null, 14, ["live-fire"], ["KZ"], 1, at);

    [Fact]
    public async Task DelayedBreakingMessage_IsHandedOutOnlyOnceDue_AndCountsAsWaitingMeanwhile()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var queues = new LocalQueues(time);
        await queues.EnqueueAsync(Message("now", time.GetUtcNow()), default);
        await queues.EnqueueAsync(Message("later", time.GetUtcNow()), TimeSpan.FromMinutes(6), default);

        Assert.Equal(["now"], queues.Pending(LocalQueues.Breaking).Select(p => p.Message.Breaking!.StoryId));
        Assert.Equal(2, queues.Waiting(LocalQueues.Breaking)); // stored, so a restart keeps it

        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(["now", "later"], queues.Pending(LocalQueues.Breaking).Select(p => p.Message.Breaking!.StoryId));
    }
}
