using Alerts.Testing;
using Xunit.Abstractions;

namespace Alerts.Infrastructure.Tests.Memory;

/// <summary>
/// 242 labelled story pairs written for the project (TestData/Stories/story-pairs.jsonl): the same event in two of
/// en/fr/es, the same event retold, the same kind of event in two countries in deliberately similar words, and two
/// events of one country within 60 hours. Each pair goes through country detection, the default lists and the
/// clusterer over the embedded store.
/// </summary>
public sealed class StoryPairsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LabelledPairs_NoCrossCountryJoin_PrecisionAndRecallHold()
    {
        var pairs = StoryPairs.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Stories", "story-pairs.jsonl"));
        var outcomes = new List<StoryPairOutcome>();
        foreach (var pair in pairs)
        {
            outcomes.Add(await StoryPairs.EvaluateAsync(pair));
        }

        foreach (var line in StoryPairs.Report(outcomes))
        {
            output.WriteLine(line);
        }

        var (precision, recall) = StoryPairs.Figures(outcomes);
        Assert.Equal(242, pairs.Count);
        Assert.DoesNotContain(outcomes, o => o.Joined && o.Pair.A.Country != o.Pair.B.Country);
        Assert.True(precision >= 0.98, $"pair precision {precision:0.000}");
        // Measured 0.902 with precision 0.991 (0.808 before the early-hours rule, the Tripoli and territory fixes, damped
        // signals as event features and the lists' "prise du pouvoir", "went dark" and French foreign soldiers; 0.683
        // before the place layer's names, the rare-signal rule and partial agreement, 0 before stories were keyed on the
        // event).
        Assert.True(recall >= 0.9, $"pair recall {recall:0.000}");
    }

    [Theory]
    [InlineData("o066", true)] // arrests in Dhaka retold: words agree in part (0.20), the event too (Dhaka, arrests)
    [InlineData("o076", true)] // arrests in Harare retold
    [InlineData("o224", false)] // a protester shot in Conakry and a fuel depot explosion there 22 hours later: words 0.14
    [InlineData("o084", true)] // two young men shot in Conakry and a deadly protest there 3 hours later: the early hours
    [InlineData("o012", true)] // "des militaires annoncent la prise du pouvoir" in Libreville (a coup in the French list) and "a coup" there
    [InlineData("o063", true)] // police shoot protesters dead in Nairobi "on the anniversary": damped signals still say what happened
    public async Task Pairs_WordsAndEventAgreeingInPart_AreOneEvent_OnlyTogether(string id, bool joined)
    {
        var pair = StoryPairs.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Stories", "story-pairs.jsonl")).Single(p => p.Id == id);

        var outcome = await StoryPairs.EvaluateAsync(pair);

        Assert.Equal(joined, outcome.Joined);
        Assert.True(outcome.Similarity < Core.Stories.StoryClusterer.SimilarityThreshold); // not by words alone
    }
}
