using Alerts.Core.Ingestion;

namespace Alerts.Core.Tests.Ingestion;

public class FeedScheduleTests
{
    private static readonly IngestionOptions Options = new();
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    [Fact]
    public void AfterSuccess_NoHints_WaitsInterval() => Assert.Equal(Interval, FeedSchedule.AfterSuccess(Options, Interval, null, null));

    [Fact]
    public void AfterSuccess_LongerMaxAge_Wins() =>
        Assert.Equal(TimeSpan.FromHours(1), FeedSchedule.AfterSuccess(Options, Interval, TimeSpan.FromHours(1), null));

    [Fact]
    public void AfterSuccess_LongerTtl_Wins() =>
        Assert.Equal(TimeSpan.FromMinutes(60), FeedSchedule.AfterSuccess(Options, Interval, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(60)));

    [Fact]
    public void AfterSuccess_ShortMaxAge_DoesNotPollFaster() =>
        Assert.Equal(Interval, FeedSchedule.AfterSuccess(Options, Interval, TimeSpan.FromSeconds(10), null));

    [Fact]
    public void AfterSuccess_HugeTtl_IsCappedAtMaxDelay() =>
        Assert.Equal(Options.MaxDelay, FeedSchedule.AfterSuccess(Options, Interval, null, TimeSpan.FromDays(30)));

    [Fact]
    public void AfterSuccess_TinyInterval_IsRaisedToMinimum() =>
        Assert.Equal(Options.MinPollInterval, FeedSchedule.AfterSuccess(Options, TimeSpan.FromSeconds(5), null, null));

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(5, 240)]
    [InlineData(8, 1440)]
    [InlineData(50, 1440)]
    public void AfterFailure_BacksOffExponentiallyUpToMaxDelay(int failures, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), FeedSchedule.AfterFailure(Options, Interval, failures, null));

    [Fact]
    public void AfterFailure_RetryAfterLongerThanBackoff_Wins() =>
        Assert.Equal(TimeSpan.FromHours(2), FeedSchedule.AfterFailure(Options, Interval, 1, TimeSpan.FromHours(2)));

    [Fact]
    public void AfterFailure_RetryAfterBeyondMaxDelay_IsCapped() =>
        Assert.Equal(Options.MaxDelay, FeedSchedule.AfterFailure(Options, Interval, 1, TimeSpan.FromDays(10)));
}
