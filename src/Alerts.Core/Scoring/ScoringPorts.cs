using Alerts.Core.Ingestion;
using Alerts.Core.Places;

namespace Alerts.Core.Scoring;

/// <summary>A keyword-list document as stored, with its concurrency token.</summary>
public sealed record StoredKeywordList(string Name, string Document, string ETag, DateTimeOffset? LastModified);

/// <summary>Where keyword lists live (one document per list, Blob storage in production).</summary>
public interface IKeywordListStore
{
    /// <summary>The ETag of every stored list, cheaply (no documents), to detect changes.</summary>
    Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(CancellationToken cancellationToken);

    Task<StoredKeywordList?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a document. <paramref name="ifMatch"/> null means "only if absent"; otherwise the write succeeds only when
    /// the stored ETag still matches. Returns the new ETag, or null when the condition failed.
    /// </summary>
    Task<string?> TrySaveAsync(string name, string document, string? ifMatch, CancellationToken cancellationToken);

    /// <summary>Deletes a list if its ETag still matches; false when it does not (or the list is gone).</summary>
    Task<bool> TryDeleteAsync(string name, string ifMatch, CancellationToken cancellationToken);
}

/// <summary>An article with its score, as stored for the admin API, digests and backtests.</summary>
public sealed record ScoredArticle
{
    public required string Id { get; init; }
    public required string FeedId { get; init; }
    public string? Url { get; init; }
    public string Title { get; init; } = "";
    public DateTimeOffset? Published { get; init; }

    /// <summary>The article's language: the feed's, checked against the text, or detected (<see cref="LanguageDetector.Resolve"/>).</summary>
    public string? Language { get; init; }

    /// <summary>
    /// False when no active list has signals in the article's language: it was scored, but "none" then means "not
    /// understood", not "calm". Counted per feed and shown to admins.
    /// </summary>
    public bool LanguageCovered { get; init; } = true;
    public required DateTimeOffset ScoredAt { get; init; }
    public required ScoreResult Result { get; init; }

    /// <summary>Name and version of each list that scored it ("escalation@3").</summary>
    public IReadOnlyList<string> Lists { get; init; } = [];

    /// <summary>ISO codes of the countries it names, main country first.</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];

    /// <summary>
    /// For an article that names no country, its source's country (<see cref="Places.SourceCountry"/>): its story and
    /// alert are placed there, but the map, search and the trend detector count only what articles name.
    /// </summary>
    public string? SourceCountry { get; init; }

    /// <summary>UN M49 sub-regions and regions of those countries ("Central Asia", "Asia").</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Its places below the country (cities, divisions), those of the main country first; at most 10.</summary>
    public IReadOnlyList<ArticlePlace> Places { get; init; } = [];

    /// <summary>The story it belongs to.</summary>
    public string? StoryId { get; init; }

    /// <summary>The text that was scored (at most 30,000 characters), kept for backtests of edited lists.</summary>
    public string Content { get; init; } = "";
}

/// <summary>An alert: a story whose articles reached severity watch or above. One per story.</summary>
public sealed record AlertRecord
{
    public required string StoryId { get; init; }

    /// <summary>The article that raised the alert first.</summary>
    public required string ArticleId { get; init; }
    public required Severity Severity { get; init; }
    public required double Score { get; init; }
    public required string Title { get; init; }
    public string? Url { get; init; }
    public required string FeedId { get; init; }
    public IReadOnlyList<string> Signals { get; init; } = [];
    public IReadOnlyList<string> Countries { get; init; } = [];

    /// <summary>The most specific place of the story in its main country ("Goma, North Kivu"), when its articles name one.</summary>
    public ArticlePlace? Place { get; init; }

    /// <summary>Distinct publishers that carried the story.</summary>
    public int SourceCount { get; init; } = 1;

    public DateTimeOffset? Published { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the alert was created or its severity last rose: digests pick up alerts changed since their watermark.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>The publishers (domains) that carried the story, first 20.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Why it alerted: each signal with its first pieces of evidence (merged over the story's articles).</summary>
    public IReadOnlyList<SignalMatch> Evidence { get; init; } = [];

    /// <summary>Merges signal evidence: the existing signals keep theirs, new signals are added (at most two snippets each).</summary>
    public static IReadOnlyList<SignalMatch> MergeEvidence(IReadOnlyList<SignalMatch> existing, IReadOnlyList<SignalMatch> added)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(added);
        var merged = existing.ToList();
        foreach (var signal in added)
        {
            if (!merged.Exists(s => s.Id == signal.Id))
            {
                merged.Add(signal with { Evidence = [.. signal.Evidence.Take(2)] });
            }
        }

        return merged;
    }
}

/// <summary>
/// Which alerts an admin asks for. The signal is matched without regard to case, by id or by its label written as
/// words ("Curfew", "martial law" and "martial-law" all find martial-law).
/// </summary>
public sealed record AlertQuery(DateTimeOffset Since, Severity? MinimumSeverity = null, string? Country = null, string? Signal = null)
{
    private readonly string? _signalId = Signal is null ? null : string.Join('-', Signal.Trim().ToLowerInvariant().Split([' ', '_', '-'], StringSplitOptions.RemoveEmptyEntries));

    public bool Matches(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.ChangedAt >= Since
            && (MinimumSeverity is null || alert.Severity >= MinimumSeverity)
            && (Country is null || alert.Countries.Contains(Country, StringComparer.OrdinalIgnoreCase))
            && (_signalId is null || alert.Signals.Contains(_signalId, StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>One page of alerts and the opaque token of the next (null at the end).</summary>
public sealed record AlertPage(IReadOnlyList<AlertRecord> Alerts, string? Continuation);

/// <summary>A critical alert to send at once, on the <c>breaking</c> queue.</summary>
public sealed record BreakingAlertMessage(string StoryId, string ArticleId, string Title, string? Url, double Score, IReadOnlyList<string> Signals, IReadOnlyList<string> Countries, int SourceCount, DateTimeOffset CreatedAt, ArticlePlace? Place = null);

/// <summary>Scored articles (a table in production); saving the same article again replaces it.</summary>
public interface IScoredArticleStore
{
    Task SaveAsync(ScoredArticle article, CancellationToken cancellationToken);

    Task<ScoredArticle?> GetAsync(string articleId, CancellationToken cancellationToken);

    /// <summary>Articles scored at or after <paramref name="since"/>, newest first, read as a stream from an index by time (a reader that stops early reads no older one).</summary>
    IAsyncEnumerable<ScoredArticle> ListNewestAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>Alert records, one per story, with a once-only hand-off to the breaking queue.</summary>
public interface IAlertStore
{
    /// <summary>
    /// Adds the alert if there is none for its story; false when one exists. With <paramref name="breakingClaimedUntil"/>
    /// (a critical alert) it is added with its breaking hand-off claimed by this caller until then, in the same write.
    /// </summary>
    Task<bool> TryAddAsync(AlertRecord alert, DateTimeOffset? breakingClaimedUntil, CancellationToken cancellationToken);

    Task<AlertRecord?> GetAsync(string storyId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the story's alert, re-applying on a conflicting write, and when the changed
    /// alert is critical claims the right to queue its breaking message in the same write: <see cref="BreakingClaim.Claimed"/>
    /// for exactly one caller until the lease expires; otherwise whether it is queued already or held (and until when).
    /// A null alert (and <see cref="BreakingClaim.None"/>) when the story has none.
    /// </summary>
    Task<AlertUpdate> UpdateAsync(string storyId, Func<AlertRecord, AlertRecord> change, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records that the breaking message was queued; later claims fail.</summary>
    Task MarkBreakingQueuedAsync(string storyId, CancellationToken cancellationToken);

    /// <summary>A page of alerts changed at or after <paramref name="query"/>'s Since, filtered, with a token for the next page.</summary>
    Task<AlertPage> QueryAsync(AlertQuery query, string? continuation, int pageSize, CancellationToken cancellationToken);

    /// <summary>Alerts whose <see cref="AlertRecord.ChangedAt"/> is after <paramref name="since"/> and at or before <paramref name="until"/>.</summary>
    Task<IReadOnlyList<AlertRecord>> ListChangedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>The <c>breaking</c> queue.</summary>
/// <summary>An alert as changed, and the claim on its breaking hand-off (none unless it is critical).</summary>
public sealed record AlertUpdate(AlertRecord? Alert, BreakingClaim Claim);

/// <summary>The answer to a breaking hand-off claim.</summary>
/// <param name="Claimed">This caller queues the message (then marks it queued).</param>
/// <param name="Queued">Someone queued it already: nothing to do.</param>
/// <param name="HeldUntil">Someone else holds the claim until then (or none: no such alert).</param>
public readonly record struct BreakingClaim(bool Claimed, bool Queued, DateTimeOffset? HeldUntil)
{
    public static BreakingClaim Won => new(true, false, null);

    public static BreakingClaim AlreadyQueued => new(false, true, null);

    public static BreakingClaim None => new(false, false, null);

    public static BreakingClaim Held(DateTimeOffset until) => new(false, false, until);
}

public interface IBreakingQueue
{
    Task EnqueueAsync(BreakingAlertMessage message, CancellationToken cancellationToken);

    /// <summary>Queues <paramref name="message"/> to be delivered no sooner than <paramref name="delay"/> from now.</summary>
    Task EnqueueAsync(BreakingAlertMessage message, TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>What scoring one article did; <paramref name="SourceCount"/> is the number of sources of its story (0: it is in none).</summary>
public sealed record ScoreOutcome(ScoredArticle Article, bool AlertCreated, bool BreakingQueued, int SourceCount = 1);

/// <summary>Reads the full text of an article whose queue message was shortened.</summary>
public static class ArticleMessageText
{
    /// <summary>Characters of a title that are scored; a headline is a few hundred at most.</summary>
    public const int MaxTitleCharacters = 2_000;

    /// <summary>
    /// Characters of content that are scored (about 30,000 words; a long news article is 10,000 to 40,000 characters).
    /// Feeds choose the length: the rest of a longer text is not read, so that one item costs bounded time.
    /// </summary>
    public const int MaxContentCharacters = 200_000;

    /// <summary>The text to score: the full content when the message was cut, within the caps above.</summary>
    public static async Task<(string Title, string Content)> ReadAsync(ArticleMessage message, IArticleContentStore contents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(contents);
        if (message.ContentTruncated && await contents.GetAsync(message.Id, cancellationToken) is { } full)
        {
            return Capped(full.Title, full.Content);
        }

        return Capped(message.Title, message.Content.Length > 0 ? message.Content : message.Summary);
    }

    /// <summary>Title and content within <see cref="MaxTitleCharacters"/> and <see cref="MaxContentCharacters"/>, cut before a word.</summary>
    public static (string Title, string Content) Capped(string? title, string? content) =>
        (Cut(title ?? "", MaxTitleCharacters), Cut(content ?? "", MaxContentCharacters));

    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var end = max;
        while (end > max - 100 && !char.IsWhiteSpace(text[end]))
        {
            end--; // not in the middle of a word, if a space is near
        }

        return text[..(end > max - 100 ? end : max)];
    }
}
