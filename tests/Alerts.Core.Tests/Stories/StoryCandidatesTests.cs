using Alerts.Core.Stories;

namespace Alerts.Core.Tests.Stories;

public sealed class StoryCandidatesTests
{
    [Fact]
    public void Choose_TheStoriesSharingTheMostBands_AtMostFourteenOutsideTheNewest_ThenTheNewest()
    {
        // 30 stories share bands: s00 shares 31, s01 30, ... s29 2. The country's newest are s03, s20, s21 and n1 (shares none).
        var shared = Enumerable.Range(0, 30).ToDictionary(i => $"s{i:D2}", i => 31 - i);
        shared["s30"] = 1; // one band: what common words give unrelated stories
        string[] newest = ["s20", "n1", "s03", "s21", "n1"];

        var chosen = StoryCandidates.Choose(shared, newest);

        // Older stories s00–s14 but s03 (14 of them) are read; s03, s20 and s21 cost nothing more (the newest come with
        // the lookup); then the newest sharing fewer than two bands.
        Assert.Equal([.. Enumerable.Range(0, 15).Select(i => $"s{i:D2}"), "s20", "s21", "n1"], chosen);
        Assert.Equal(StoryClusterer.MaxOlderCandidates, chosen.Count(id => !newest.Contains(id)));
    }

    [Fact]
    public void Choose_NoMoreThanMaxCandidatesSharingBands_WhenManyAreAmongTheNewest()
    {
        var shared = Enumerable.Range(0, 40).ToDictionary(i => $"s{i:D2}", i => 40 - i);
        var newest = Enumerable.Range(0, 16).Select(i => $"s{i * 2:D2}").ToList();

        var chosen = StoryCandidates.Choose(shared, newest);

        Assert.Equal(StoryClusterer.MaxCandidates, chosen.Count);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"s{i:D2}"), chosen); // the first 24: 12 newest, 12 older
    }
}
