using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

public class FeedDatesTests
{
    [Theory]
    [InlineData("Fri, 27 Nov 2026 21:14:00 +0000", "2026-11-27T21:14:00Z")]
    [InlineData("Fri, 27 Nov 2026 21:14:00 GMT", "2026-11-27T21:14:00Z")]
    [InlineData("27 Nov 2026 21:14:00 UT", "2026-11-27T21:14:00Z")]
    [InlineData("Fri, 27 Nov 2026 16:14:00 EST", "2026-11-27T21:14:00Z")]
    [InlineData("Fri, 27 Nov 2026 13:14:00 PST", "2026-11-27T21:14:00Z")]
    [InlineData("Fri, 27 Nov 2026 22:14 +0100", "2026-11-27T21:14:00Z")]
    [InlineData("Friday, 27 November 2026 21:14:00 +0000", "2026-11-27T21:14:00Z")]
    [InlineData("Fri, 7 Nov 2026 21:14:00 +0000", "2026-11-07T21:14:00Z")]
    [InlineData("Fri, 27 Nov 26 21:14:00 +0000", "2026-11-27T21:14:00Z")]
    [InlineData("Fri,27 Nov 2026 21:14:00 +00:00", "2026-11-27T21:14:00Z")]
    [InlineData("Fri, 27 Nov 2026 21:14:00", "2026-11-27T21:14:00Z")]
    [InlineData("Fri, 27 Nov 2026 21:14:00 GMT+3", "2026-11-27T18:14:00Z")]
    [InlineData("Nov 27 2026 21:14:00 GMT", "2026-11-27T21:14:00Z")]
    [InlineData("2026-11-27T21:14:00Z", "2026-11-27T21:14:00Z")]
    [InlineData("2026-11-27T21:14:00.123456Z", "2026-11-27T21:14:00.123456Z")]
    [InlineData("2026-11-28T00:14:00+03:00", "2026-11-27T21:14:00Z")]
    [InlineData("2026-11-28T00:14:00+0300", "2026-11-27T21:14:00Z")]
    [InlineData("2026-11-27T21:14:00", "2026-11-27T21:14:00Z")]
    [InlineData("2026-11-27 21:14:00", "2026-11-27T21:14:00Z")]
    [InlineData("2026-11-27T21:14Z", "2026-11-27T21:14:00Z")]
    [InlineData("2026-11-27", "2026-11-27T00:00:00Z")]
    [InlineData(" 2026-11-27T21:14:00Z ", "2026-11-27T21:14:00Z")]
    public void Parse_KnownForms_ReturnsUtcInstant(string input, string expected)
    {
        var parsed = FeedDates.Parse(input);

        Assert.NotNull(parsed);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Fri, 32 Nov 2026 21:14:00 GMT")]
    [InlineData("Fri, 27 Foo 2026 21:14:00 GMT")]
    [InlineData("Fri, 27 Nov 2026 25:14:00 GMT")]
    [InlineData("2026-13-01")]
    public void Parse_Garbage_ReturnsNull(string? input) => Assert.Null(FeedDates.Parse(input));
}
