using Alerts.Core.Stories;
using Xunit.Abstractions;

namespace Alerts.Core.Tests.Stories;

public class StorySignatureTests(ITestOutputHelper output)
{
    private static IEnumerable<(bool Same, string TitleA, string LeadA, string TitleB, string LeadB)> Pairs() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Stories", "pairs.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .Select(f => (f[0] == "same", f[1], f[2], f[3], f[4]));

    [Fact]
    public void Similarity_LabelledPairs_MeetPairPrecisionAndRecall()
    {
        int tp = 0, fp = 0, fn = 0, pairs = 0;
        var report = new List<string>();
        foreach (var (same, titleA, leadA, titleB, leadB) in Pairs())
        {
            pairs++;
            var a = StorySignature.Of(titleA, leadA);
            var b = StorySignature.Of(titleB, leadB);
            var similarity = a.Similarity(b);
            var candidates = a.BandKeys("KZ").Intersect(b.BandKeys("KZ")).Any();
            var clustered = candidates && similarity >= StoryClusterer.SimilarityThreshold;
            report.Add($"{(same ? "same" : "diff")} {similarity:0.00} {(candidates ? "cand" : "----")} {titleA} / {titleB}");
            if (clustered && same)
            {
                tp++;
            }
            else if (clustered)
            {
                fp++;
            }
            else if (same)
            {
                fn++;
            }
        }

        var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
        var recall = (double)tp / (tp + fn);
        output.WriteLine($"{pairs} pairs: pair precision {precision:P1}, recall {recall:P1}");
        report.OrderBy(r => r, StringComparer.Ordinal).ToList().ForEach(output.WriteLine);
        Assert.True(pairs >= 60);
        Assert.True(precision >= 0.95 && recall >= 0.9, $"precision {precision:P1}, recall {recall:P1}");
    }

    [Fact]
    public void Signature_RoundTripsThroughBytes()
    {
        var signature = StorySignature.Of("Curfew in Almaty", "Authorities imposed a curfew.");

        Assert.Equal(1.0, StorySignature.FromBytes(signature.ToBytes()).Similarity(signature));
    }

    [Fact]
    public void Signature_IsInsensitiveToCaseAccentsAndStopWords()
    {
        var a = StorySignature.Of("État d'urgence à Bamako", "");
        var b = StorySignature.Of("ETAT D URGENCE BAMAKO", "");

        Assert.Equal(1.0, a.Similarity(b));
        Assert.Equal(a.BandKeys("ML"), b.BandKeys("ML"));
        Assert.Empty(a.BandKeys("ML").Intersect(a.BandKeys("SN")));
    }
}
