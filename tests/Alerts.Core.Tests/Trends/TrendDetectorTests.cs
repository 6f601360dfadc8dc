using Alerts.Core.Trends;

namespace Alerts.Core.Tests.Trends;

/// <summary>
/// Surges and silences on generated hourly streams: Poisson counts with a daily rhythm (a peak in the afternoon, a trough
/// at night) and quieter weekends, 60 simulated days, several countries from rare to busy, a fixed seed.
/// </summary>
public sealed class TrendDetectorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Days = 60;
    private const int Hours = Days * 24;

    /// <summary>The usual rate of hour <paramref name="hour"/> for a country with <paramref name="perHour"/> articles an hour on average.</summary>
    private static double Rate(double perHour, int hour)
    {
        var hourOfDay = hour % 24;
        var daily = Math.Max(0.2, 1 + (0.8 * Math.Sin(2 * Math.PI * (hourOfDay - 9) / 24)));
        var weekend = (hour / 24 % 7) is 5 or 6 ? 0.6 : 1;
        return perHour * daily * weekend;
    }

    private static int Poisson(Random random, double lambda)
    {
        // Knuth's method in pieces of at most 20, so that e^-λ never underflows.
        var total = 0;
        for (var left = lambda; left > 0; left -= 20)
        {
            var limit = Math.Exp(-Math.Min(left, 20));
            var product = random.NextDouble();
            while (product > limit)
            {
                total++;
                product *= random.NextDouble();
            }
        }

        return total;
    }

    private static int[] Stream(Random random, double perHour, int hours = Hours, Func<int, double>? factor = null) =>
        [.. Enumerable.Range(0, hours).Select(h => Poisson(random, Rate(perHour, h) * (factor?.Invoke(h) ?? 1)))];

    [Fact]
    public void OrdinaryRhythm_Over60Days_RaisesNoFlag()
    {
        var random = new Random(20261205);
        var others = Stream(random, 200);
        var evaluations = 0;
        var flags = new List<string>();
        foreach (var perHour in new[] { 0.3, 1, 3, 10, 30 })
        {
            var country = Stream(random, perHour);
            for (var end = (28 * 24) + 1; end < Hours; end++)
            {
                evaluations++;
                if (TrendDetector.Evaluate(country[..(end + 1)], others[..(end + 1)]) is { } finding)
                {
                    flags.Add($"{perHour}/h at hour {end}: {finding.Kind} {finding.Evidence}");
                }
            }
        }

        output.WriteLine($"{flags.Count} flags in {evaluations} hourly checks over {Days - 28} days of 5 countries");
        Assert.True(flags.Count == 0, string.Join("\n", flags));
    }

    // At one article an hour, five times the rate in a single hour is not yet evidence (about 1 in 10,000 ordinary hours
    // reach it): such a country is flagged when the surge lasts, the busier ones in its first hour.
    [Theory]
    [InlineData(3.0)]
    [InlineData(10.0)]
    [InlineData(30.0)]
    public void AFiveFoldSurge_IsFlaggedInItsFirstHour(double perHour)
    {
        var random = new Random(7);
        var surgeHour = Hours - 10 - 24; // a weekday afternoon
        surgeHour -= surgeHour % 24 - 15;
        var country = Stream(random, perHour, surgeHour + 1, h => h == surgeHour ? 5 : 1);
        var others = Stream(random, 200, surgeHour + 1);

        var finding = TrendDetector.Evaluate(country, others);

        Assert.NotNull(finding);
        Assert.Equal(TrendKind.Surge, finding.Kind);
        Assert.Contains("articles in the last hour", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void ACountrysFeedsFallSilent_WhileTheOthersPublish_IsFlagged()
    {
        var random = new Random(11);
        var end = Hours - 1 - (Hours % 24) + 14; // an early afternoon
        var country = Stream(random, 10, end + 1, h => h > end - 3 ? 0 : 1);
        var others = Stream(random, 200, end + 1);

        var finding = TrendDetector.Evaluate(country, others);

        Assert.Equal(TrendKind.Silence, finding?.Kind);
        Assert.Contains("while the other feeds published", finding!.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void EverythingFallsSilent_IsOurOutage_NotTheCountrys()
    {
        var random = new Random(11);
        var end = Hours - 1 - (Hours % 24) + 14;
        var country = Stream(random, 10, end + 1, h => h > end - 3 ? 0 : 1);
        var others = Stream(random, 200, end + 1, h => h > end - 3 ? 0 : 1);

        Assert.Null(TrendDetector.Evaluate(country, others));
    }

    [Fact]
    public void WithoutFourWeeksOfHistory_NothingIsSaid()
    {
        var random = new Random(3);

        Assert.Null(TrendDetector.Evaluate(Stream(random, 3, 20 * 24, h => h > 470 ? 10 : 1), Stream(random, 200, 20 * 24)));
    }

    [Theory]
    [InlineData(0, 2.0, 1.0)]
    [InlineData(5, 2.0, 0.0526530173437111)]
    [InlineData(30, 3.0, 4.2770477214268715e-20)]
    public void PoissonUpperTail_MatchesTheDistribution(int k, double lambda, double expected)
    {
        Assert.Equal(expected, TrendDetector.PoissonUpperTail(k, lambda), expected * 0.05 + 1e-24);
    }
}
