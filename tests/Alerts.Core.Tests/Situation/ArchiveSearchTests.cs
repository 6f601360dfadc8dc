using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Core.Situation;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Tests.Situation;

public sealed class ArchiveSearchTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<string> Terms(string? text = null, string? country = null, Severity severity = Severity.None, string? signal = null, string? place = null) =>
        ArchiveSearch.Terms(new ArchiveQuery { Text = text, Country = country, MinimumSeverity = severity, Signal = signal, Place = place, From = Now.AddDays(-30), To = Now });

    [Theory]
    [InlineData("Kazakhstan curfew", "c:kz curfew")]
    [InlineData("Kazajistán curfew", "c:kz curfew")]
    [InlineData("couvre-feu en Côte d'Ivoire", "couvre feu c:ci")]
    [InlineData("Ivory Coast", "c:ci")]
    [InlineData("curfew in Papua New Guinea", "curfew c:pg")]
    [InlineData("Tchad", "c:td")]
    [InlineData("200 detained", "200 detained")]
    public void Words_ThatNameACountryInAnyLanguage_BecomeItsTag(string text, string expected) =>
        Assert.Equal(expected.Split(' '), Terms(text));

    [Fact]
    public void Fields_BecomeTags_AndBadOnesSayWhich()
    {
        Assert.Equal(["c:td", "p:goma", "s:martial-law", "v:warning"], Terms(country: "Tchad", place: "Goma", signal: "Martial law", severity: Severity.Warning));
        Assert.Equal(["r:central-asia"], Terms(country: "Central Asia"));
        Assert.Equal("country", Assert.Throws<ArchiveQueryException>(() => Terms(country: "Atlantis")).Field);
        Assert.Equal("q", Assert.Throws<ArchiveQueryException>(() => Terms(text: "a ?")).Field); // nothing searchable: not "everything"
        Assert.Equal("q", Assert.Throws<ArchiveQueryException>(() => Terms(text: "in the")).Field);
        Assert.Equal("to", Assert.Throws<ArchiveQueryException>(() => ArchiveSearch.Terms(new ArchiveQuery { From = Now, To = Now })).Field);
    }

    [Fact]
    public void TrendAlerts_GoOnlyToSubscribersWhoChoseThem()
    {
        var surge = new DigestItem("trend-kz-surge-20261205", "Reporting on Kazakhstan is 6x its usual rate", null, Severity.Warning, Now, ["KZ"], [], [new SignalMatch(TrendSignals.Surge, "Surge in reporting", "trends", 0, [])]);
        var curfew = surge with { StoryId = "s1", Signals = [new SignalMatch("curfew", "Curfew", "escalation", 6, [])] };

        Assert.False(AlertFilter.Matches(surge, new SubscriberPreferences())); // "all signals" are the lists' signals
        Assert.True(AlertFilter.Matches(curfew, new SubscriberPreferences()));
        Assert.True(AlertFilter.Matches(surge, new SubscriberPreferences { Signals = [TrendSignals.Surge] }));
        Assert.False(AlertFilter.Matches(surge, new SubscriberPreferences { Signals = [TrendSignals.Silence, "curfew"] }));
        Assert.True(AlertFilter.Matches(surge, new SubscriberPreferences { Signals = [TrendSignals.Surge], Countries = ["KZ"] }));
    }
}
