using System.Globalization;
using Alerts.Core.Places;
using Alerts.Core.Scoring;

namespace Alerts.Core.Situation;

/// <summary>
/// A scored article as the archive keeps it: what a search result, the activity roll-up and the map need, without its
/// text beyond the lead. One per article, written when it is scored (again, the same, when it is scored twice).
/// </summary>
public sealed record ArchiveEntry
{
    /// <summary>Characters of the article's text kept (and searched) after the title.</summary>
    public const int LeadLength = 600;

    public required string ArticleId { get; init; }
    public required string FeedId { get; init; }
    public string? StoryId { get; init; }
    public string Title { get; init; } = "";
    public string Lead { get; init; } = "";
    public string? Url { get; init; }
    public DateTimeOffset? Published { get; init; }
    /// <summary>When the service first read it (the fetch that found it): the same on every retry of its scoring.</summary>
    public required DateTimeOffset ReadAt { get; init; }
    public Severity Severity { get; init; }
    public IReadOnlyList<string> Signals { get; init; } = [];

    /// <summary>ISO codes, main country first.</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>The main place in the main country, if any.</summary>
    public ArticlePlace? Place { get; init; }
    public string? Language { get; init; }

    /// <summary>The publisher (the URL's host without "www."), else "feed:ID".</summary>
    public string Source => Stories.StoryArticle.SourceOf(Url, FeedId);

    /// <summary>Its day (UTC, yyyyMMdd): the archive's partition.</summary>
    public string Day => ArchiveKeys.Day(ReadAt);

    /// <summary>Its key within the day: newest first, then the article id.</summary>
    public string Key => ArchiveKeys.Entry(ReadAt, ArticleId);

    public static ArchiveEntry From(ScoredArticle article, DateTimeOffset readAt)
    {
        ArgumentNullException.ThrowIfNull(article);
        var lead = article.Content.Length <= LeadLength ? article.Content : article.Content[..LeadLength];
        return new ArchiveEntry
        {
            ArticleId = article.Id,
            FeedId = article.FeedId,
            StoryId = article.StoryId,
            Title = article.Title,
            Lead = lead,
            Url = article.Url,
            Published = article.Published,
            ReadAt = readAt,
            Severity = article.Result.Severity,
            Signals = [.. article.Result.Signals.Select(s => s.Id)],
            Countries = article.Countries,
            Regions = article.Regions,
            Place = article.Places.Count > 0 && article.Countries.Count > 0 && article.Places[0].Country == article.Countries[0] ? article.Places[0] : null,
            Language = article.Language,
        };
    }
}

/// <summary>The archive's keys: a day per partition, and within it entries newest first.</summary>
public static class ArchiveKeys
{
    public static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateTimeOffset DayStart(string day) =>
        new(DateTime.ParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), TimeSpan.Zero);

    /// <summary>19 digits that sort newest first, then the article id.</summary>
    public static string Entry(DateTimeOffset readAt, string articleId) =>
        (DateTimeOffset.MaxValue.UtcTicks - readAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + articleId;

    /// <summary>The first key of entries read at or before <paramref name="time"/> (keys sort newest first).</summary>
    public static string AtOrBefore(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The time an entry key stands for.</summary>
    public static DateTimeOffset TimeOf(string key) =>
        new(DateTimeOffset.MaxValue.UtcTicks - long.Parse(key.AsSpan(0, 19), CultureInfo.InvariantCulture), TimeSpan.Zero);
}

/// <summary>
/// The words an entry is found by: the folded words of its title and lead (case and accents ignored), and tags for
/// its countries (<c>c:kz</c>), regions (<c>r:central-asia</c>), main place (<c>p:goma</c>), signals
/// (<c>s:curfew</c>), language (<c>l:ru</c>) and severity, cumulative (<c>v:warning</c> on every article at warning
/// or above, so that "at least warning" is one tag).
/// </summary>
public static class ArchiveTokens
{
    /// <summary>Words of the text indexed per article, at most (the tags come on top).</summary>
    public const int MaxWords = 120;

    public static IReadOnlyList<string> Of(ArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var tokens = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(entry.Title + "\n" + entry.Lead))
        {
            if (seen.Add(word))
            {
                tokens.Add(word);
                if (tokens.Count == MaxWords)
                {
                    break;
                }
            }
        }

        tokens.AddRange(entry.Countries.Select(Country));
        tokens.AddRange(entry.Regions.Select(Region).Distinct(StringComparer.Ordinal));
        tokens.AddRange(entry.Signals.Select(Signal).Distinct(StringComparer.Ordinal));
        if (entry.Place is { } place)
        {
            tokens.Add(Place(place.Name));
            if (place.Division.Length > 0)
            {
                tokens.Add(Place(place.Division));
            }
        }

        if (entry.Language is { Length: > 0 } language)
        {
            tokens.Add("l:" + language.ToLowerInvariant());
        }

        for (var s = Severity.Watch; s <= entry.Severity; s++)
        {
            tokens.Add(AtLeast(s));
        }

        return [.. tokens.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The searchable words of a text: folded tokens of two characters or more (or a digit), not function words ("in", "en", "the").</summary>
    public static IEnumerable<string> Words(string text) =>
        TextNormalizer.Tokens(text).Where(t => (t.Length >= 2 || (t.Length == 1 && char.IsDigit(t[0]))) && !Stories.StorySignature.IsStopWord(t));

    public static string Country(string code) => "c:" + code.ToLowerInvariant();

    public static string Region(string name) => "r:" + string.Join('-', TextNormalizer.Tokens(name));

    public static string Place(string name) => "p:" + string.Join('-', TextNormalizer.Tokens(name));

    public static string Signal(string id) => "s:" + id.ToLowerInvariant();

    public static string AtLeast(Severity severity) => "v:" + severity.ToString().ToLowerInvariant();
}

/// <summary>
/// The archive: entries and their words (Azure Tables in production, a partition per day with its word index; SQLite
/// FTS5 in the embedded store).
/// </summary>
public interface IArchiveStore
{
    /// <summary>Writes the entry and its words (replacing those of an earlier write of the same article).</summary>
    Task AddAsync(ArchiveEntry entry, IReadOnlyList<string> tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="pageSize"/> entries read in [<paramref name="from"/>, <paramref name="until"/>) that carry
    /// every one of <paramref name="terms"/> (all entries when there are none), newest first, and the store's opaque
    /// token for the next page (null at the end). A token the store did not give is an <see cref="ArchiveQueryException"/>.
    /// </summary>
    Task<ArchivePage> SearchAsync(IReadOnlyList<string> terms, DateTimeOffset from, DateTimeOffset until, string? continuation, int pageSize, CancellationToken cancellationToken);

    /// <summary>Entries read in [<paramref name="from"/>, <paramref name="until"/>), newest first, read as a stream.</summary>
    IAsyncEnumerable<ArchiveEntry> ListAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>An index of entries by day and word, newest first within a day (the Azure table, memory): what <see cref="DayIndexSearch"/> reads.</summary>
public interface IDayIndex
{
    /// <summary>
    /// Up to <paramref name="limit"/> entry keys of <paramref name="day"/> at or after <paramref name="from"/> in key
    /// order (newest first) that carry <paramref name="token"/>, or every entry's key when it is null.
    /// </summary>
    Task<IReadOnlyList<string>> SeekAsync(string day, string? token, string from, int limit, CancellationToken cancellationToken);

    /// <summary>The entries of <paramref name="day"/> with these keys (those that exist), in the order given.</summary>
    Task<IReadOnlyList<ArchiveEntry>> GetAsync(string day, IReadOnlyList<string> keys, CancellationToken cancellationToken);
}
