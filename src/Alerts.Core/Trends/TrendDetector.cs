namespace Alerts.Core.Trends;

/// <summary>What the detector found for one country in the hour that just ended.</summary>
public sealed record TrendFinding(TrendKind Kind, int Observed, double Expected, double Probability, string Evidence);

public enum TrendKind
{
    /// <summary>Far more reporting than this country's usual rate for this hour of the week.</summary>
    Surge,

    /// <summary>The feeds that usually publish about this country stopped, while the others kept publishing.</summary>
    Silence,
}

/// <summary>The detector's thresholds. The defaults are the ones the simulated-stream tests measure.</summary>
public sealed record TrendOptions
{
    /// <summary>Weeks of history the baseline is taken from (the same hour of the week in each). Default 4 (28 days).</summary>
    public int BaselineWeeks { get; init; } = 4;

    /// <summary>A surge needs a Poisson upper-tail probability below this under the baseline rate. Default 1e-6.</summary>
    public double SurgeProbability { get; init; } = 1e-6;

    /// <summary>A surge needs at least this many times the expected count. Default 3.</summary>
    public double SurgeRatio { get; init; } = 3;

    /// <summary>A surge needs at least this many articles in the hour: a handful is never a surge. Default 8.</summary>
    public int SurgeMinimum { get; init; } = 8;

    /// <summary>Hours of silence looked at. Default 3.</summary>
    public int SilenceHours { get; init; } = 3;

    /// <summary>A silence needs the probability of seeing so few articles under the baseline below this. Default 1e-5.</summary>
    public double SilenceProbability { get; init; } = 1e-5;

    /// <summary>The other feeds must have published at least this share of their own usual count meanwhile. Default 0.5.</summary>
    public double OthersStillPublishing { get; init; } = 0.5;
}

/// <summary>
/// Surges and silences in the reporting on a country, from hourly article counts (oldest first, the last element the
/// hour that just ended). The baseline of an hour is the mean of the same hour of the week over the last
/// <see cref="TrendOptions.BaselineWeeks"/> weeks, smoothed with the neighbouring hours, so the daily and weekly rhythm
/// of news is expected, not flagged. A surge is a Poisson upper-tail test against that rate plus a minimum ratio and
/// count; a silence is a lower-tail test over the last hours, and only while the other feeds keep publishing (when
/// everything stops, it is our own outage or the publishers', not the country's).
/// </summary>
public static class TrendDetector
{
    private const int HoursPerWeek = 24 * 7;

    /// <summary>
    /// Checks the last hour of <paramref name="country"/> (hourly counts about the country) against its history, and the
    /// last hours of silence against <paramref name="others"/> (hourly counts from all other feeds, same hours).
    /// Null when there is not enough history (the baseline weeks and one hour) or nothing unusual.
    /// </summary>
    public static TrendFinding? Evaluate(IReadOnlyList<int> country, IReadOnlyList<int> others, TrendOptions? options = null) =>
        Evaluate(country, others, "articles", options);

    /// <summary>
    /// The surge test alone on another hourly count about the country (distinct sources: one feed flooding does not
    /// make a surge of them), its evidence counting <paramref name="unit"/>.
    /// </summary>
    public static TrendFinding? EvaluateSurge(IReadOnlyList<int> counts, string unit, TrendOptions? options = null) =>
        Evaluate(counts, counts, unit, options) is { Kind: TrendKind.Surge } surge ? surge : null;

    private static TrendFinding? Evaluate(IReadOnlyList<int> country, IReadOnlyList<int> others, string unit, TrendOptions? options)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(others);
        options ??= new TrendOptions();
        var now = country.Count - 1;
        if (now < (options.BaselineWeeks * HoursPerWeek) + 1 || others.Count != country.Count)
        {
            return null;
        }

        // Surge: the hour that just ended.
        var expected = Baseline(country, now, options);
        var observed = country[now];
        var upper = PoissonUpperTail(observed, expected);
        if (observed >= options.SurgeMinimum && observed >= options.SurgeRatio * expected && upper < options.SurgeProbability)
        {
            return new TrendFinding(TrendKind.Surge, observed, Math.Round(expected, 2), upper,
                $"{observed} {unit} in the last hour against {expected:0.#} usual for this hour of the week ({observed / Math.Max(expected, 0.1):0.#}x)");
        }

        // Silence: the last hours together, while the other feeds publish as usual.
        var hours = Enumerable.Range(now - options.SilenceHours + 1, options.SilenceHours).ToList();
        var expectedQuiet = hours.Sum(h => Baseline(country, h, options));
        var observedQuiet = hours.Sum(h => country[h]);
        var lower = PoissonLowerTail(observedQuiet, expectedQuiet);
        var othersExpected = hours.Sum(h => Baseline(others, h, options));
        var othersObserved = hours.Sum(h => others[h]);
        if (lower < options.SilenceProbability && othersExpected > 0 && othersObserved >= options.OthersStillPublishing * othersExpected)
        {
            return new TrendFinding(TrendKind.Silence, observedQuiet, Math.Round(expectedQuiet, 2), lower,
                $"{observedQuiet} articles in the last {options.SilenceHours} hours against {expectedQuiet:0.#} usual, while the other feeds published {othersObserved} ({othersExpected:0.#} usual)");
        }

        return null;
    }

    /// <summary>The usual count of hour <paramref name="hour"/>: the same hour of the week in past weeks, with its neighbours.</summary>
    internal static double Baseline(IReadOnlyList<int> counts, int hour, TrendOptions options)
    {
        double sum = 0;
        var samples = 0;
        for (var week = 1; week <= options.BaselineWeeks; week++)
        {
            for (var offset = -1; offset <= 1; offset++)
            {
                var at = hour - (week * HoursPerWeek) + offset;
                if (at >= 0 && at < counts.Count)
                {
                    sum += counts[at] * (offset == 0 ? 2 : 1);
                    samples += offset == 0 ? 2 : 1;
                }
            }
        }

        // Never zero: a country with no history still has a small chance of news in any hour.
        return Math.Max(samples == 0 ? 0 : sum / samples, 0.2);
    }

    /// <summary>P(X ≥ k) for X ~ Poisson(λ), summed in log space (exact for the counts news gives).</summary>
    public static double PoissonUpperTail(int k, double lambda) =>
        k <= 0 ? 1 : k > lambda ? Math.Min(1, UpperTerms(k, lambda)) : Math.Max(0, 1 - PoissonLowerTail(k - 1, lambda)); // above the mean, summed directly: no cancellation

    /// <summary>P(X ≤ k) for X ~ Poisson(λ).</summary>
    public static double PoissonLowerTail(int k, double lambda)
    {
        if (k < 0)
        {
            return 0;
        }

        // Terms e^-λ λ^i / i!, accumulated from i = 0; for k far above λ the sum is 1 within rounding, and the upper
        // tail is then computed directly from the terms above k.
        if (k > lambda + 10 * Math.Sqrt(lambda) + 10)
        {
            return 1 - UpperTerms(k + 1, lambda);
        }

        double sum = 0;
        var logTerm = -lambda;
        for (var i = 0; i <= k; i++)
        {
            if (i > 0)
            {
                logTerm += Math.Log(lambda) - Math.Log(i);
            }

            sum += Math.Exp(logTerm);
        }

        return Math.Min(1, sum);
    }

    private static double UpperTerms(int from, double lambda)
    {
        var logTerm = -lambda + (from * Math.Log(lambda)) - LogFactorial(from);
        double sum = 0;
        for (var i = from; i < from + 1000; i++)
        {
            if (i > from)
            {
                logTerm += Math.Log(lambda) - Math.Log(i);
            }

            var term = Math.Exp(logTerm);
            sum += term;
            if (term < sum * 1e-16)
            {
                break;
            }
        }

        return sum;
    }

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
