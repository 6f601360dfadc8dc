namespace Alerts.Core.Scoring;

/// <summary>A keyword list as written by an admin, after parsing and before compiling.</summary>
public sealed record KeywordListDefinition
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public int Version { get; init; } = 1;
    public required SeverityThresholds Thresholds { get; init; }

    /// <summary>Each distinct signal after the first adds this share of the summed weights. Default 0.25.</summary>
    public double Combine { get; init; } = 0.25;

    /// <summary>Extra framing cues (fiction, reviews, games, drills, history) that damp matches, added to the built-in ones.</summary>
    public IReadOnlyList<PhraseSpec> Framing { get; init; } = [];

    /// <summary>Extra negation cues, added to the built-in ones.</summary>
    public IReadOnlyList<PhraseSpec> Negation { get; init; } = [];

    public IReadOnlyList<SignalDefinition> Signals { get; init; } = [];
}

/// <summary>Score needed for each severity; watch &lt; warning &lt; critical.</summary>
public sealed record SeverityThresholds(double Watch, double Warning, double Critical);

/// <summary>One escalation signal: what it is called, how much it weighs, and the rules that detect it.</summary>
public sealed record SignalDefinition
{
    public required string Id { get; init; }
    public required string Label { get; init; }
    public double Weight { get; init; }
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>Multiplier when the signal matches in the title. Default 1.5.</summary>
    public double TitleBoost { get; init; } = 1.5;

    public IReadOnlyList<RuleDefinition> Rules { get; init; } = [];

    /// <summary>Phrases that cancel a match in the same sentence ("exercise", "coup de grâce").</summary>
    public IReadOnlyList<PhraseSpec> Excludes { get; init; } = [];

    /// <summary>
    /// Phrases that, anywhere in the title or the lead (the first <see cref="KeywordScorer.LeadSentences"/> sentences),
    /// cancel every match of the signal: the article is about something else ("hurricane" for a state of emergency).
    /// </summary>
    public IReadOnlyList<PhraseSpec> ArticleExcludes { get; init; } = [];

    /// <summary>Phrases that, near a match in the same sentence, reverse it ("lifted", "withdrew").</summary>
    public IReadOnlyList<PhraseSpec> Reverses { get; init; } = [];

    public int Line { get; init; }
}

/// <summary>A match rule of a signal. <see cref="Unless"/> phrases cancel this rule's matches in the same sentence.</summary>
public abstract record RuleDefinition(int Line)
{
    public IReadOnlyList<PhraseSpec> Unless { get; init; } = [];

    /// <summary>
    /// A decisive rule states the event itself ("declared martial law", "seized power"): an undamped match of it weighs
    /// the list's critical threshold, so the article is critical on its own.
    /// </summary>
    public bool Decisive { get; init; }
}

/// <summary>Any of the phrases.</summary>
public sealed record PhraseRule(IReadOnlyList<PhraseSpec> Alternatives, int Line) : RuleDefinition(Line);

/// <summary>A term of each side within <see cref="Distance"/> words, either order, in one sentence unless widened.</summary>
public sealed record NearRule(int Distance, bool AcrossSentences, IReadOnlyList<PhraseSpec> Left, IReadOnlyList<PhraseSpec> Right, int Line) : RuleDefinition(Line);

/// <summary>A number of at least <see cref="Minimum"/> (digits or number words) within a few words of a term.</summary>
public sealed record QuantityRule(double Minimum, IReadOnlyList<PhraseSpec> Terms, int Line) : RuleDefinition(Line);

/// <summary>A sequence of normalized tokens, each exact or a prefix (written <c>suspend*</c>).</summary>
public sealed record PhraseSpec(IReadOnlyList<TokenSpec> Tokens, string Text, int Line, int Column);

/// <summary>One normalized token of a phrase.</summary>
public readonly record struct TokenSpec(string Text, bool IsPrefix);

/// <summary>A problem in a keyword list, with its 1-based position.</summary>
public sealed record ListError(int Line, int Column, string Message)
{
    public override string ToString() => $"{Line}:{Column}: {Message}";
}

/// <summary>A keyword list that failed validation; <see cref="Errors"/> holds every problem found.</summary>
public sealed class KeywordListException(IReadOnlyList<ListError> errors)
    : Exception("Invalid keyword list: " + string.Join("; ", errors.Take(5)) + (errors.Count > 5 ? $" (and {errors.Count - 5} more)" : ""))
{
    public IReadOnlyList<ListError> Errors { get; } = errors;
}
