using Alerts.Core.Places;
using Alerts.Core.Scoring;

namespace Alerts.Core.Situation;

/// <summary>
/// What an archive search asks: words (every one must be in the title or lead; a country's name in any language the
/// gazetteer knows stands for the country, so "Kazajistán" finds English reports on Kazakhstan), a country or region
/// by name or code, a place, a signal, a lowest severity, and the days when the service read the articles.
/// </summary>
public sealed record ArchiveQuery
{
    public string? Text { get; init; }
    public string? Country { get; init; }
    public string? Place { get; init; }
    public string? Signal { get; init; }
    public Severity MinimumSeverity { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
}

/// <summary>One page of results, newest first, and the opaque token of the next page (null at the end).</summary>
public sealed record ArchivePage(IReadOnlyList<ArchiveEntry> Items, string? Continuation, IReadOnlyList<string> Terms);

/// <summary>A query that cannot be answered: which field and why.</summary>
public sealed class ArchiveQueryException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Archive search: the query read into index terms (<see cref="Terms"/>), checked, and answered by the store, which
/// never reads the archive whole (a day-partitioned word index in Azure, <see cref="DayIndexSearch"/>; FTS5 in the
/// embedded store).
/// </summary>
public sealed class ArchiveSearch(IArchiveStore archive)
{
    /// <summary>Days one search may cover.</summary>
    public const int MaxDays = 366;

    public async Task<ArchivePage> SearchAsync(ArchiveQuery query, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = Terms(query);
        var page = await archive.SearchAsync(terms, query.From, query.To, continuation, pageSize, cancellationToken);
        return page with { Terms = terms };
    }

    /// <summary>
    /// The index terms of a query. Words that name a country (in any language the gazetteer has, up to four words
    /// long) become that country's tag; the other words are folded as the index folds them.
    /// </summary>
    public static IReadOnlyList<string> Terms(ArchiveQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.To <= query.From)
        {
            throw new ArchiveQueryException("to", "'to' must be after 'from'.");
        }

        if ((query.To - query.From).TotalDays > MaxDays)
        {
            throw new ArchiveQueryException("from", $"A search covers at most {MaxDays} days.");
        }

        var terms = new List<string>();
        if (query.Text is { Length: > 0 } text)
        {
            // Names are looked up on every token ("Côte d'Ivoire" is "cote d ivoire"), the words left are those the index keeps.
            var tokens = TextNormalizer.Tokens(text);
            for (var i = 0; i < tokens.Count;)
            {
                var taken = 0;
                for (var n = Math.Min(5, tokens.Count - i); n >= 1 && taken == 0; n--)
                {
                    if (Gazetteer.Default.FindName(string.Join(' ', tokens.Skip(i).Take(n))) is { } named)
                    {
                        terms.Add(ArchiveTokens.Country(named.Code));
                        taken = n;
                    }
                }

                if (taken == 0)
                {
                    terms.AddRange(ArchiveTokens.Words(tokens[i]));
                    taken = 1;
                }

                i += taken;
            }

            if (terms.Count == 0)
            {
                throw new ArchiveQueryException("q", $"'{text}' has no word the archive can search for (words of two letters or more, or numbers).");
            }
        }

        if (query.Country is { Length: > 0 } country)
        {
            terms.Add(Gazetteer.Default.FindCountry(country) is { } found ? ArchiveTokens.Country(found.Code)
                : Gazetteer.Default.InRegion(country.Trim()).Any() ? ArchiveTokens.Region(country)
                : throw new ArchiveQueryException("country", $"'{country}' is neither a country nor a region this service knows: give a name (Chad, Tchad), an ISO 3166 code (TD) or a UN region (Central Asia)."));
        }

        if (query.Place is { Length: > 0 } place)
        {
            terms.Add(ArchiveTokens.Place(place));
        }

        if (query.Signal is { Length: > 0 } signal)
        {
            terms.Add(ArchiveTokens.Signal(string.Join('-', signal.Trim().ToLowerInvariant().Split([' ', '_', '-'], StringSplitOptions.RemoveEmptyEntries))));
        }

        if (query.MinimumSeverity > Severity.None)
        {
            terms.Add(ArchiveTokens.AtLeast(query.MinimumSeverity));
        }

        return [.. terms.Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>
/// Search over a <see cref="IDayIndex"/>: each day of the range (newest first) through its word index, by a leapfrog
/// intersection of the terms, each term's keys read from where the others have got to, a page of keys at a time. The
/// work grows with the matches and the days asked for, not with the articles stored. Continuation: "day:key".
/// </summary>
public static class DayIndexSearch
{
    private const int SeekPage = 64;

    public static async Task<ArchivePage> SearchAsync(IDayIndex index, IReadOnlyList<string> terms, DateTimeOffset from, DateTimeOffset until, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(terms);
        var (day, start) = Start(until, continuation);
        var firstDay = ArchiveKeys.Day(from);
        var lowest = ArchiveKeys.AtOrBefore(from); // keys after this one are older than From
        var items = new List<ArchiveEntry>(pageSize);
        while (string.CompareOrdinal(day, firstDay) >= 0)
        {
            var keys = await MatchesAsync(index, day, terms, start, lowest, pageSize - items.Count, cancellationToken);
            items.AddRange(await index.GetAsync(day, keys.Matches, cancellationToken));
            if (keys.Next is { } next)
            {
                return new ArchivePage(items, day + ":" + next, terms);
            }

            day = ArchiveKeys.Day(ArchiveKeys.DayStart(day).AddDays(-1));
            start = "";
            if (items.Count >= pageSize)
            {
                return new ArchivePage(items, string.CompareOrdinal(day, firstDay) >= 0 ? day + ":" : null, terms);
            }
        }

        return new ArchivePage(items, null, terms);
    }

    private static (string Day, string From) Start(DateTimeOffset until, string? continuation)
    {
        var lastDay = ArchiveKeys.Day(until.AddTicks(-1));
        if (continuation is null)
        {
            return (lastDay, ArchiveKeys.AtOrBefore(until.AddTicks(-1)));
        }

        var parts = continuation.Split(':', 2);
        if (parts.Length != 2 || !DateTime.TryParseExact(parts[0], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)
            || string.CompareOrdinal(parts[0], lastDay) > 0)
        {
            throw new ArchiveQueryException("continuation", "The continuation token is not one this search gave.");
        }

        return (parts[0], parts[1]);
    }

    // Up to `limit` keys of the day carrying every term, from `from` on, older ones than `lowest` excluded; and where the
    // next page starts when the day has more.
    private static async Task<(IReadOnlyList<string> Matches, string? Next)> MatchesAsync(IDayIndex index, string day, IReadOnlyList<string> terms, string from, string lowest, int limit, CancellationToken cancellationToken)
    {
        var cursors = terms.Count == 0 ? [new Cursor(index, day, null)] : terms.Select(t => new Cursor(index, day, t)).ToArray();
        var matches = new List<string>();
        var candidate = from;
        while (true)
        {
            var agreed = 0;
            for (var i = 0; agreed < cursors.Length; i = (i + 1) % cursors.Length)
            {
                var key = await cursors[i].SeekAsync(candidate, cancellationToken);
                if (key is null || string.CompareOrdinal(key, lowest) > 0 && !key.StartsWith(lowest, StringComparison.Ordinal))
                {
                    return (matches, null); // this day has no more
                }

                if (key == candidate)
                {
                    agreed++;
                }
                else
                {
                    candidate = key;
                    agreed = 1;
                }
            }

            if (matches.Count == limit)
            {
                return (matches, candidate);
            }

            matches.Add(candidate);
            candidate += "\0";
        }
    }

    /// <summary>One term's keys in one day, read a page at a time from where the search has got to.</summary>
    private sealed class Cursor(IDayIndex index, string day, string? token)
    {
        private IReadOnlyList<string> _page = [];
        private string? _pageFrom;
        private bool _pageIsLast;

        public async Task<string?> SeekAsync(string from, CancellationToken cancellationToken)
        {
            if (_pageFrom is null || string.CompareOrdinal(from, _pageFrom) < 0 || (_page.Count > 0 && string.CompareOrdinal(from, _page[^1]) > 0 && !_pageIsLast) || (_page.Count == 0 && !_pageIsLast))
            {
                _page = await index.SeekAsync(day, token, from, SeekPage, cancellationToken);
                _pageFrom = from;
                _pageIsLast = _page.Count < SeekPage;
            }

            foreach (var key in _page)
            {
                if (string.CompareOrdinal(key, from) >= 0)
                {
                    return key;
                }
            }

            return null;
        }
    }
}
