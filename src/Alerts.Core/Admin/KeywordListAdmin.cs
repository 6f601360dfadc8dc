using System.Text.Json;
using Alerts.Core.Ingestion;
using Alerts.Core.Scoring;
using Microsoft.Extensions.Logging;

namespace Alerts.Core.Admin;

/// <summary>What a save, delete or restore did.</summary>
public enum ListWriteStatus
{
    Saved,
    Deleted,

    /// <summary>The document does not validate: nothing was written.</summary>
    Invalid,

    /// <summary>No If-Match (and not a creation with If-None-Match: *).</summary>
    PreconditionRequired,

    /// <summary>The ETag is stale: someone else changed the list.</summary>
    Conflict,
    NotFound,
}

public sealed record ListWriteResult(ListWriteStatus Status, string? ETag = null, IReadOnlyList<ListError>? Errors = null, KeywordListVersion? Version = null, string? Document = null);

/// <summary>A stored list with what the scorers make of it.</summary>
public sealed record KeywordListSummary(string Name, [property: System.Text.Json.Serialization.JsonPropertyName("etag")] string ETag, DateTimeOffset? LastModified, bool Valid, int Signals, int? DocumentVersion, string? FirstError);

/// <summary>A pasted article scored with the live lists: severity, the lists that scored it (name@version), places and evidence.</summary>
public sealed record ArticleScore(Severity Severity, double Score, IReadOnlyList<string> Lists, IReadOnlyList<string> Countries, IReadOnlyList<string> Regions, IReadOnlyList<Places.ArticlePlace> Places, IReadOnlyList<SignalMatch> Signals, IReadOnlyList<CancelledMatch> Cancelled);

/// <summary>An article to backtest: given in the request, or read from the scored articles.</summary>
public sealed record BacktestArticle(string? Id, string Title, string Content, string? Url = null, DateTimeOffset? Published = null);

/// <summary>An article whose severity differs between the live lists and the draft, with the evidence of each.</summary>
public sealed record BacktestChange(string? Id, string Title, string? Url, Severity Live, Severity Draft, double LiveScore, double DraftScore, IReadOnlyList<SignalMatch> LiveSignals, IReadOnlyList<SignalMatch> DraftSignals);

/// <summary>Counts per severity with the live lists and with the draft, and the articles that change (most changed first).</summary>
/// <summary>
/// A backtest's answer. <see cref="Articles"/> were scored: the newest stored in the window, at most
/// <see cref="KeywordListAdmin.MaxStoredArticles"/> (<see cref="MoreInWindow"/> when the window holds older ones that
/// were left out); <see cref="Complete"/> is false when the time limit stopped the scoring first, and
/// <see cref="Note"/> says what was left out.
/// </summary>
public sealed record BacktestResult(int Articles, IReadOnlyDictionary<Severity, int> Live, IReadOnlyDictionary<Severity, int> Draft, int NewAlerts, int DroppedAlerts, int ChangedTotal, IReadOnlyList<BacktestChange> Changes)
{
    public bool MoreInWindow { get; init; }

    public bool Complete { get; init; } = true;

    public string? Note { get; init; }
}

/// <summary>
/// Keyword lists for admins: only a valid document is ever stored; every write needs the ETag it was based on (or
/// If-None-Match: * to create), so two admins cannot overwrite each other; every write is recorded as a version with
/// its author and the signals it added, removed or changed; a draft can be backtested against stored articles with the
/// live lists as the baseline. A storage retry that re-sends a write which had already committed is not reported as a
/// conflict: the stored document is compared with the one sent.
/// </summary>
public sealed partial class KeywordListAdmin(IKeywordListStore store, IKeywordListHistory history, KeywordListProvider provider, IScoredArticleStore articles, TimeProvider time, ILogger<KeywordListAdmin> logger)
{
    public const int MaxChangesReturned = 200;

    /// <summary>Stored articles a backtest scores at most: the newest of the window (each is scored twice).</summary>
    public const int MaxStoredArticles = 2_000;

    /// <summary>How long a backtest scores before it answers with what it has.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<KeywordListSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<KeywordListSummary>();
        foreach (var name in (await store.GetVersionsAsync(cancellationToken)).Keys.Order(StringComparer.Ordinal))
        {
            if (await store.GetAsync(name, cancellationToken) is not { } stored)
            {
                continue;
            }

            var (definition, errors) = KeywordListParser.TryParse(stored.Document);
            result.Add(new KeywordListSummary(name, stored.ETag, stored.LastModified, definition is not null, definition?.Signals.Count ?? 0, definition?.Version, errors.Count > 0 ? errors[0].ToString() : null));
        }

        return result;
    }

    public Task<StoredKeywordList?> GetAsync(string name, CancellationToken cancellationToken) => store.GetAsync(name, cancellationToken);

    /// <summary>Validates without saving: every error with line and column.</summary>
    public static IReadOnlyList<ListError> Validate(string name, string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var (definition, errors) = KeywordListParser.TryParse(document);
        if (definition is not null && definition.Name != name)
        {
            var line = document.Split('\n').Select((text, i) => (text, i)).FirstOrDefault(l => l.text.TrimStart().StartsWith("list:", StringComparison.Ordinal));
            return [new ListError(line.text is null ? 1 : line.i + 1, 1, $"The list is named '{definition.Name}' but is saved as '{name}': make them the same.")];
        }

        return errors;
    }

    /// <summary>Saves a valid document based on <paramref name="ifMatch"/> (its ETag), or creates it when <paramref name="create"/> (If-None-Match: *).</summary>
    public async Task<ListWriteResult> SaveAsync(string name, string document, string? ifMatch, bool create, string author, CancellationToken cancellationToken, string action = "updated")
    {
        ArgumentNullException.ThrowIfNull(document);
        if (ifMatch is null && !create)
        {
            return new ListWriteResult(ListWriteStatus.PreconditionRequired);
        }

        var errors = Validate(name, document);
        if (errors.Count > 0)
        {
            return new ListWriteResult(ListWriteStatus.Invalid, Errors: errors);
        }

        var previous = ifMatch is null ? null : await store.GetAsync(name, cancellationToken);
        if (ifMatch is not null && previous is null)
        {
            return new ListWriteResult(ListWriteStatus.NotFound);
        }

        // One version number: the document's own "version:" line is set to the number this save is stored as, so
        // that scores ("escalation@4") and the version history speak of the same thing.
        var versions = await history.ListAsync(name, cancellationToken);
        var number = (versions.Count == 0 ? (previous is null ? 0 : 1) : versions.Max(v => v.Number)) + 1;
        document = WithVersion(document, number);

        var etag = await store.TrySaveAsync(name, document, ifMatch, cancellationToken);
        if (etag is null)
        {
            // A conflict, unless the store already holds exactly this document: a retried write that had committed.
            var current = await store.GetAsync(name, cancellationToken);
            var last = versions.Count == 0 ? null : versions.MaxBy(v => v.Number);
            if (current is not null && last is not null && last.ETag == current.ETag && current.Document == WithVersion(document, last.Number))
            {
                return new ListWriteResult(ListWriteStatus.Saved, current.ETag, Version: last, Document: current.Document); // saved and recorded before
            }

            if (current is null || current.Document != document)
            {
                return new ListWriteResult(ListWriteStatus.Conflict, current?.ETag);
            }

            etag = current.ETag;
        }

        if (previous is not null && versions.Count == 0)
        {
            // A list that predates the history (seeded defaults, a store filled by hand) becomes version 1, so it can be restored.
            await history.AppendAsync(new KeywordListVersion
            {
                Name = name,
                Action = "initial",
                Author = "system",
                At = previous.LastModified ?? time.GetUtcNow(),
                Summary = Summarize(null, previous.Document),
                Document = previous.Document,
                ETag = previous.ETag,
            }, cancellationToken);
        }

        var version = await history.AppendAsync(new KeywordListVersion
        {
            Name = name,
            Action = ifMatch is null ? "created" : action,
            Author = author,
            At = time.GetUtcNow(),
            Summary = Summarize(previous?.Document, document),
            Document = document,
            ETag = etag,
        }, cancellationToken);
        LogSaved(logger, name, version.Number, author);
        return new ListWriteResult(ListWriteStatus.Saved, etag, Version: version, Document: document);
    }

    /// <summary>
    /// <paramref name="document"/> with its top-level <c>version:</c> line set to <paramref name="number"/> (added after
    /// the <c>list:</c> line when there is none); everything else, comments included, as written.
    /// </summary>
    public static string WithVersion(string document, int number)
    {
        ArgumentNullException.ThrowIfNull(document);
        var lines = document.Split('\n');
        var value = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("version:", StringComparison.Ordinal))
            {
                var comment = lines[i].IndexOf(" #", StringComparison.Ordinal);
                lines[i] = "version: " + value + (comment < 0 ? (lines[i].EndsWith('\r') ? "\r" : "") : lines[i][comment..]);
                return string.Join('\n', lines);
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("list:", StringComparison.Ordinal))
            {
                return string.Join('\n', lines.Take(i + 1).Append("version: " + value + (lines[i].EndsWith('\r') ? "\r" : "")).Concat(lines.Skip(i + 1)));
            }
        }

        return document;
    }

    public async Task<ListWriteResult> DeleteAsync(string name, string? ifMatch, string author, CancellationToken cancellationToken)
    {
        if (ifMatch is null)
        {
            return new ListWriteResult(ListWriteStatus.PreconditionRequired);
        }

        var current = await store.GetAsync(name, cancellationToken);
        if (current is null)
        {
            return new ListWriteResult(ListWriteStatus.NotFound);
        }

        if (current.ETag != ifMatch || !await store.TryDeleteAsync(name, ifMatch, cancellationToken))
        {
            var now = await store.GetAsync(name, cancellationToken);
            return now is null ? new ListWriteResult(ListWriteStatus.Deleted) : new ListWriteResult(ListWriteStatus.Conflict, now.ETag);
        }

        var version = await history.AppendAsync(new KeywordListVersion
        {
            Name = name,
            Action = "deleted",
            Author = author,
            At = time.GetUtcNow(),
            Summary = Summarize(current.Document, null),
            ETag = "deleted:" + current.ETag,
        }, cancellationToken);
        LogDeleted(logger, name, author);
        return new ListWriteResult(ListWriteStatus.Deleted, Version: version);
    }

    /// <summary>Makes version <paramref name="number"/> live again (as a new version). Without If-Match it replaces whatever is live.</summary>
    public async Task<ListWriteResult> RestoreAsync(string name, int number, string? ifMatch, string author, CancellationToken cancellationToken)
    {
        var version = await history.GetAsync(name, number, cancellationToken);
        if (version is null || version.Document.Length == 0)
        {
            return new ListWriteResult(ListWriteStatus.NotFound);
        }

        var current = await store.GetAsync(name, cancellationToken);
        var basedOn = ifMatch ?? current?.ETag;
        return await SaveAsync(name, version.Document, basedOn, create: basedOn is null, author, cancellationToken, action: $"restored from version {number}");
    }

    /// <summary>Scores a pasted article with the live lists, as the scorer would (the story step aside), and finds its places.</summary>
    public async Task<ArticleScore> ScoreAsync(string title, string content, CancellationToken cancellationToken)
    {
        var snapshot = await provider.GetAsync(cancellationToken);
        var result = KeywordScorer.Score(snapshot.Compiled, title, content, time.GetUtcNow());
        var places = Places.PlaceDetector.ForArticle(title, content, null, null);
        return new ArticleScore(result.Severity, result.Score, snapshot.Versions, [.. places.Countries.Select(c => c.Code)], [.. places.Regions], [.. places.Places.Take(10).Select(Places.ArticlePlace.From)], result.Signals, result.Cancelled);
    }

    public Task<IReadOnlyList<KeywordListVersion>> VersionsAsync(string name, CancellationToken cancellationToken) => history.ListAsync(name, cancellationToken);

    public Task<KeywordListVersion?> VersionAsync(string name, int number, CancellationToken cancellationToken) => history.GetAsync(name, number, cancellationToken);

    /// <summary>
    /// Scores <paramref name="given"/> articles, or the articles scored in the last <paramref name="days"/> days, with the
    /// live lists and with the live lists where <paramref name="name"/> is replaced by <paramref name="draft"/>.
    /// </summary>
    public async Task<(BacktestResult? Result, IReadOnlyList<ListError> Errors)> BacktestAsync(string name, string draft, IReadOnlyList<BacktestArticle>? given, int days, CancellationToken cancellationToken)
    {
        var errors = Validate(name, draft);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var snapshot = await provider.GetAsync(cancellationToken);
        var draftDefinition = KeywordListParser.Parse(draft);
        var draftCompiled = CompiledKeywordLists.Compile([.. snapshot.Definitions.Where(d => d.Name != name), draftDefinition]);

        // Bounded work: a time limit on top of the caller's cancellation (a client that leaves, a host that stops).
        using var limit = new CancellationTokenSource(TimeLimit, time);
        var (source, more) = given is not null ? ([.. given], false) : await StoredAsync(days, cancellationToken, limit.Token);

        var live = Enum.GetValues<Severity>().ToDictionary(s => s, _ => 0);
        var drafted = Enum.GetValues<Severity>().ToDictionary(s => s, _ => 0);
        var changes = new List<BacktestChange>();
        var scored = 0;
        foreach (var article in source)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (limit.IsCancellationRequested)
            {
                break;
            }

            var (title, content) = ArticleMessageText.Capped(article.Title, article.Content);
            var before = KeywordScorer.Score(snapshot.Compiled, title, content, article.Published);
            var after = KeywordScorer.Score(draftCompiled, title, content, article.Published);
            scored++;
            live[before.Severity]++;
            drafted[after.Severity]++;
            if (before.Severity != after.Severity)
            {
                changes.Add(new BacktestChange(article.Id, article.Title, article.Url, before.Severity, after.Severity, before.Score, after.Score, before.Signals, after.Signals));
            }
        }

        var ordered = changes.OrderByDescending(c => Math.Abs((int)c.Draft - (int)c.Live)).ThenByDescending(c => c.Draft).ToList();
        var complete = scored == source.Count;
        return (new BacktestResult(
            scored,
            live,
            drafted,
            changes.Count(c => c.Live < Severity.Watch && c.Draft >= Severity.Watch),
            changes.Count(c => c.Live >= Severity.Watch && c.Draft < Severity.Watch),
            changes.Count,
            [.. ordered.Take(MaxChangesReturned)])
        {
            MoreInWindow = more,
            Complete = complete,
            Note = !complete ? $"Stopped after {TimeLimit.TotalSeconds:0} s: {scored} of {source.Count} articles scored (newest first)."
                : more ? $"A sample: the newest {scored} articles stored in the last {days} day(s) were scored; older ones in that window were left out."
                : null,
        }, []);
    }

    /// <summary>
    /// The newest <see cref="MaxStoredArticles"/> stored articles of the last <paramref name="days"/> days, newest first,
    /// read from the store's newest-first index (nothing older is read), and whether the window holds more. Reading
    /// stops at the time limit.
    /// </summary>
    private async Task<(List<BacktestArticle> Sample, bool More)> StoredAsync(int days, CancellationToken cancellationToken, CancellationToken limit)
    {
        var sample = new List<BacktestArticle>();
        var more = false;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit);
        try
        {
            await foreach (var article in articles.ListNewestAsync(time.GetUtcNow().AddDays(-days), linked.Token))
            {
                if (sample.Count == MaxStoredArticles)
                {
                    more = true;
                    break;
                }

                sample.Add(new BacktestArticle(article.Id, article.Title, article.Content, article.Url, article.Published ?? article.ScoredAt));
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // the time limit, not the caller: score the sample read so far
        }

        return (sample, more);
    }

    /// <summary>Signals added, removed and changed between two documents (either may be absent or invalid).</summary>
    public static VersionSummary Summarize(string? before, string? after)
    {
        var old = Signals(before);
        var now = Signals(after);
        return new VersionSummary(
            [.. now.Keys.Except(old.Keys).Order(StringComparer.Ordinal)],
            [.. old.Keys.Except(now.Keys).Order(StringComparer.Ordinal)],
            [.. now.Keys.Intersect(old.Keys).Where(k => old[k] != now[k]).Order(StringComparer.Ordinal)]);
    }

    // A signal's content without line numbers, so that moving it does not count as a change.
    private static Dictionary<string, string> Signals(string? document)
    {
        if (document is null || KeywordListParser.TryParse(document).Definition is not { } definition)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return definition.Signals.ToDictionary(
            s => s.Id,
            s => JsonSerializer.Serialize(new
            {
                s.Label,
                s.Weight,
                s.Languages,
                s.TitleBoost,
                Rules = s.Rules.Select(r => RuleText(r) + " unless " + string.Join("|", r.Unless.Select(p => p.Text))),
                Excludes = s.Excludes.Select(p => p.Text),
                Reverses = s.Reverses.Select(p => p.Text),
            }, ArticleMessage.JsonOptions),
            StringComparer.Ordinal);
    }

    private static string RuleText(RuleDefinition rule) => rule switch
    {
        PhraseRule p => "phrase " + string.Join("|", p.Alternatives.Select(a => a.Text)),
        NearRule n => $"near {n.Distance} {n.AcrossSentences} " + string.Join("|", n.Left.Select(a => a.Text)) + " / " + string.Join("|", n.Right.Select(a => a.Text)),
        QuantityRule q => $"quantity {q.Minimum} " + string.Join("|", q.Terms.Select(a => a.Text)),
        _ => rule.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Keyword list {List} saved as version {Version} by {Author}")]
    private static partial void LogSaved(ILogger logger, string list, int version, string author);

    [LoggerMessage(Level = LogLevel.Information, Message = "Keyword list {List} deleted by {Author}")]
    private static partial void LogDeleted(ILogger logger, string list, string author);
}
