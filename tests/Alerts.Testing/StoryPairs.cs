using System.Globalization;
using System.Text.Json;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Memory;

namespace Alerts.Testing;

/// <summary>One report of a labelled story pair: its language, main country, title and lead.</summary>
public sealed record StoryPairSide(string Lang, string Country, string Title, string Lead, double HoursApart, DateTimeOffset? Date = null, string? Url = null);

/// <summary>Two reports labelled as one event (<see cref="Same"/>) or two, with the kind of pair.</summary>
public sealed record StoryPair(string Id, string Kind, bool Same, StoryPairSide A, StoryPairSide B);

/// <summary>What the clusterer made of a pair.</summary>
public sealed record StoryPairOutcome(StoryPair Pair, bool Joined, string CountryA, string CountryB, double Similarity, double EventSimilarity, string Shared);

/// <summary>
/// Labelled story pairs (JSON lines: <c>id, kind, same, a, b</c> with <c>lang, country, title</c> and <c>lead</c> or
/// <c>content</c>; <c>b.hoursApart</c>) run through the real pipeline pieces: country detection, the default keyword
/// lists for signals, and a <see cref="StoryClusterer"/> over the embedded store, one fresh store per pair.
/// </summary>
public static class StoryPairs
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<StoryPair> Load(string path) =>
        File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(Parse).ToList();

    public static StoryPair Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        return new StoryPair(root.GetProperty("id").GetString()!, root.GetProperty("kind").GetString()!, root.GetProperty("same").GetBoolean(), Side(root.GetProperty("a")), Side(root.GetProperty("b")));
    }

    public static async Task<StoryPairOutcome> EvaluateAsync(StoryPair pair, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var clusterer = new StoryClusterer(new InMemoryStoryStore());
        var a = Article("a", pair.A, T0);
        var b = Article("b", pair.B, T0.AddHours(pair.B.HoursApart));
        if (pair.A.Date is { } dateA && pair.B.Date is { } dateB)
        {
            b = b with { Time = T0 + (dateB - dateA) }; // real pairs: their publication dates
        }

        var first = await clusterer.AssignAsync(a, cancellationToken);
        var second = await clusterer.AssignAsync(b, cancellationToken);
        var similarity = StorySignature.Of(a.Title, a.Lead, a.Signals ?? []).Similarity(StorySignature.Of(b.Title, b.Lead, b.Signals ?? []));
        var ea = StoryEvent.Of(a.Title, a.Lead, a.Signals ?? [], a.Places);
        var eb = StoryEvent.Of(b.Title, b.Lead, b.Signals ?? [], b.Places);
        var (evidence, overlap) = StoryEvent.Compare(ea, eb);
        return new StoryPairOutcome(pair, first.Story.Id == second.Story.Id, a.MainCountry, b.MainCountry, similarity, overlap, evidence.ToString(CultureInfo.InvariantCulture) + " " + string.Join(' ', ea.Intersect(eb)));
    }

    private static StoryArticle Article(string id, StoryPairSide side, DateTimeOffset time)
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, side.Title, side.Lead, time);
        var places = PlaceDetector.ForArticle(side.Title, side.Lead, side.Url, side.Lang.Length > 0 ? side.Lang : null);
        var signals = StoryEvent.SignalsOf(result); // as ArticleScorer gives them to the clusterer
        return new StoryArticle(id, side.Title, side.Lead, null, "feed-" + id, time, [.. places.Countries.Select(c => c.Code)], result.Severity, signals, StoryEvent.PlaceKeys(places));
    }

    private static StoryPairSide Side(JsonElement e)
    {
        string Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var hours = e.TryGetProperty("hoursApart", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetDouble() : 0;
        var lead = Text("lead");
        DateTimeOffset? date = DateTimeOffset.TryParseExact(Text("date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : DateInUrl(Text("url"));
        return new StoryPairSide(Text("lang"), Text("country"), Text("title"), lead.Length > 0 ? lead : Text("content"), hours, date, Text("url") is { Length: > 0 } url ? url : null);
    }

    // A real page's date when the pair gives none: its URL's /2023/01/12/, /20210525/ or /2011/06/ (mid-month).
    private static DateTimeOffset? DateInUrl(string url)
    {
        var m = System.Text.RegularExpressions.Regex.Match(url, @"[/_-]((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])(?:[/-]?(0[1-9]|[12]\d|3[01]))?(?:[/_-]|$)");
        if (!m.Success)
        {
            return null;
        }

        var day = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 15;
        return new DateTimeOffset(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), day, 12, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Pair precision and recall, and the same per kind, as lines of text.</summary>
    public static IEnumerable<string> Report(IReadOnlyList<StoryPairOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var (precision, recall) = Figures(outcomes);
        yield return string.Create(CultureInfo.InvariantCulture, $"{outcomes.Count} pairs: pair precision {precision:0.000}, recall {recall:0.000}, cross-country joins {outcomes.Count(o => o.Joined && !o.Pair.Same && o.Pair.A.Country != o.Pair.B.Country)}");
        foreach (var kind in outcomes.GroupBy(o => o.Pair.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"  {kind.Key,-24} {kind.Count(),4} pairs, joined {kind.Count(o => o.Joined),4}, main country detected right on both sides {kind.Count(o => o.CountryA == o.Pair.A.Country && o.CountryB == o.Pair.B.Country),4}");
        }
    }

    public static (double Precision, double Recall) Figures(IReadOnlyList<StoryPairOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var tp = outcomes.Count(o => o.Joined && o.Pair.Same);
        var fp = outcomes.Count(o => o.Joined && !o.Pair.Same);
        var fn = outcomes.Count(o => !o.Joined && o.Pair.Same);
        return (tp + fp == 0 ? 1 : (double)tp / (tp + fp), tp + fn == 0 ? 1 : (double)tp / (tp + fn));
    }
}
