using System.Text.Json.Serialization;

namespace Alerts.Core.Scoring;

/// <summary>How urgent an article is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    None,
    Watch,
    Warning,
    Critical,
}

/// <summary>Where in the article a match was found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArticleField>))]
public enum ArticleField
{
    Title,
    Content,
}

/// <summary>The outcome of scoring one article with every active list, with the evidence for each signal.</summary>
public sealed record ScoreResult(Severity Severity, double Score, IReadOnlyList<SignalMatch> Signals, IReadOnlyList<CancelledMatch> Cancelled)
{
    public static ScoreResult Empty { get; } = new(Severity.None, 0, [], []);
}

/// <summary>A signal found in the article: its effective weight and the text that shows it.</summary>
public sealed record SignalMatch(string Id, string Label, string List, double Weight, IReadOnlyList<Evidence> Evidence);

/// <summary>
/// One piece of evidence: the field, a short snippet, the rule that matched, any damping applied, and the article's own
/// words that matched (from the first matched word to the last, as written; found in <see cref="Text"/> to highlight it).
/// </summary>
public sealed record Evidence(ArticleField Field, string Text, string Rule, string? DampedBy = null, string? Matched = null);

/// <summary>A candidate match that did not count, and why ("negated by 'no one'", "excluded by 'exercise'", ...).</summary>
public sealed record CancelledMatch(string SignalId, ArticleField Field, string Text, string Reason);
