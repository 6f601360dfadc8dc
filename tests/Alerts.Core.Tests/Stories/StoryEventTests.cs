using Alerts.Core.Places;
using Alerts.Core.Stories;

namespace Alerts.Core.Tests.Stories;

public class StoryEventTests
{
    private static string[] Features(string title, string lead, params string[] signals) =>
        StoryEvent.Of(title, lead, signals, StoryEvent.PlaceKeys(PlaceDetector.Detect(title, lead)));

    [Fact]
    public void PlaceKeys_NameATownByTheNameItIsStoredUnder_WhateverTheLanguage()
    {
        var english = StoryEvent.PlaceKeys(PlaceDetector.Detect("Curfew in Latakia", "Syria imposed a curfew in Latakia after clashes."));
        var french = StoryEvent.PlaceKeys(PlaceDetector.Detect("Couvre-feu à Lattaquié", "La Syrie impose un couvre-feu à Lattaquié après des combats."));

        Assert.NotEmpty(english);
        Assert.Equal(english, french);
    }

    [Fact]
    public void Agreement_OneTownInTwoLanguages_WithItsSignal_IsOneEvent()
    {
        var english = Features("Curfew in Latakia", "Syria imposed a curfew in Latakia after clashes on the coast.", "curfew");
        var french = Features("Couvre-feu à Lattaquié", "La Syrie impose un couvre-feu à Lattaquié après des combats sur la côte.", "curfew");

        Assert.True(StoryEvent.Agreement(english, french, TimeSpan.FromHours(48)) > 0);
    }

    [Fact]
    public void Agreement_WithinHoursOfTheStart_APlaceAndASignalJoin()
    {
        string[] shot = ["p:=conakry", "p:conakry", "s:live-fire", "s:fatalities"];
        string[] protest = ["p:=conakry", "p:conakry", "s:live-fire"]; // the capital and a signal

        Assert.True(StoryEvent.Agreement(shot, protest, TimeSpan.FromHours(3)) > 0);
        Assert.Equal(0, StoryEvent.Agreement(shot, protest, TimeSpan.FromHours(22)));
        Assert.Equal(0, StoryEvent.Agreement(["p:=kabul", "d:6", "s:fatalities"], ["p:=kabul", "d:6"], TimeSpan.FromHours(2))); // a blast and arrests: no signal shared
        Assert.Equal(0, StoryEvent.Agreement(["d:4", "s:fatalities"], ["d:4", "s:fatalities"], TimeSpan.FromHours(2))); // four dead, no place
        Assert.Equal(0, StoryEvent.Agreement(["p:=kabul", "s:fatalities~"], ["p:=kabul", "s:fatalities~"], TimeSpan.FromHours(2))); // damped in both
    }

    [Fact]
    public void Agreement_ASignalFoundOnlyDamped_IsNoRareSignal_ButStillWhatTheReportTells()
    {
        // "Since the 2021 coup" in a report from Bamako is not a coup; a shooting "on the anniversary" is a shooting.
        Assert.Equal(0, StoryEvent.Agreement(["s:coup~", "n:goita"], ["s:coup", "n:keita"], TimeSpan.FromHours(6)));
        Assert.True(StoryEvent.Agreement(["p:=nairobi", "s:fatalities~"], ["p:=nairobi", "s:fatalities"], TimeSpan.FromHours(4)) > 0);
        Assert.Equal(1, StoryEvent.Compare(["s:curfew"], ["s:curfew"]).Evidence);
        Assert.Equal(0.5, StoryEvent.Compare(["s:curfew~"], ["s:curfew"]).Evidence);
    }

    [Fact]
    public void Compare_ATownAndItsDivision_CountOncePerPlace()
    {
        var (evidence, _) = StoryEvent.Compare(["p:+goma", "p:north-kivu"], ["p:+goma", "p:north-kivu"]);

        Assert.Equal(1.5, evidence); // a town named outside the capital: 1.5, however many of its names are shared
    }

    [Fact]
    public void Compare_ReportsPlacedInDifferentTowns_AreTwoEvents()
    {
        var (evidence, _) = StoryEvent.Compare(["p:+goma", "n:m23", "d:40", "s:fatalities"], ["p:+bukavu", "n:m23", "d:40", "s:fatalities"]);

        Assert.Equal(0, evidence);
    }

    [Fact]
    public void Agreement_OneRareSignal_JoinsWithinADayOfTheStorysStart_Only()
    {
        string[] arabic = ["s:coup"]; // Arabic has no capitals: its names are not read
        string[] english = ["n:zuniga", "n:murillo", "s:coup", "n:arce"];

        Assert.True(StoryEvent.Agreement(arabic, english, TimeSpan.FromHours(6)) > 0);
        Assert.Equal(0, StoryEvent.Agreement(arabic, english, TimeSpan.FromHours(30)));
        Assert.Equal(0, StoryEvent.Agreement(["s:fatalities"], ["n:zuniga", "s:fatalities"], TimeSpan.FromHours(6))); // deaths: reported of many events
    }
}
