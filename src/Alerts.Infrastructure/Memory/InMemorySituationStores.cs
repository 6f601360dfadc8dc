using System.Runtime.CompilerServices;
using Alerts.Core.Situation;

namespace Alerts.Infrastructure.Memory;

/// <summary>
/// The archive over record tables (memory, or the embedded store): entries keyed "day|key" and a keys-only word index
/// "day|word|key", so that a word's articles of a day, newest first, are one range read whatever the archive holds.
/// </summary>
public sealed class InMemoryArchiveStore : IArchiveStore, IDayIndex
{
    private const int PageSize = 256;
    private readonly IRecordTable<ArchiveEntry> _entries;
    private readonly IRecordTable<WordRow> _words;

    public InMemoryArchiveStore(IRecordTables? tables = null)
    {
        tables ??= MemoryRecordTables.Instance;
        _entries = tables.Open<ArchiveEntry>("archive");
        _words = tables.Open<WordRow>("archivewords", keysOnly: true);
    }

    /// <summary>An article under one word: the row's key says it all.</summary>
    public sealed record WordRow
    {
        public static WordRow Instance { get; } = new();
    }

    public long Count => _entries.Count("");

    public Task AddAsync(ArchiveEntry entry, IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tokens);
        var day = entry.Day;
        _words.PutMany([.. tokens.Select(t => (day + "|" + t + "|" + entry.Key, WordRow.Instance))]);
        _entries.Put(day + "|" + entry.Key, entry);
        return Task.CompletedTask;
    }

    public Task<ArchivePage> SearchAsync(IReadOnlyList<string> terms, DateTimeOffset from, DateTimeOffset until, string? continuation, int pageSize, CancellationToken cancellationToken) =>
        DayIndexSearch.SearchAsync(this, terms, from, until, continuation, pageSize, cancellationToken);

    public Task<IReadOnlyList<string>> SeekAsync(string day, string? token, string from, int limit, CancellationToken cancellationToken)
    {
        var prefix = token is null ? day + "|" : day + "|" + token + "|";
        var keys = token is null
            ? _entries.KeyRanges([(prefix + from, prefix + RecordOrder.End)], limit)[0]
            : _words.KeyRanges([(prefix + from, prefix + RecordOrder.End)], limit)[0];
        return Task.FromResult<IReadOnlyList<string>>([.. keys.Select(k => k[prefix.Length..])]);
    }

    public Task<IReadOnlyList<ArchiveEntry>> GetAsync(string day, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Task.FromResult<IReadOnlyList<ArchiveEntry>>([.. keys.Select(k => _entries.Find(day + "|" + k)).OfType<ArchiveEntry>()]);
    }

    public async IAsyncEnumerable<ArchiveEntry> ListAsync(DateTimeOffset from, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var day = ArchiveKeys.Day(until.AddTicks(-1)); string.CompareOrdinal(day, ArchiveKeys.Day(from)) >= 0; day = ArchiveKeys.Day(ArchiveKeys.DayStart(day).AddDays(-1)))
        {
            var prefix = day + "|";
            string? after = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = _entries.KeyRange(prefix + ArchiveKeys.AtOrBefore(until.AddTicks(-1)), prefix + RecordOrder.End, after, PageSize);
                foreach (var (_, entry) in page)
                {
                    if (entry.ReadAt < from)
                    {
                        yield break;
                    }

                    yield return entry;
                }

                if (page.Count == 0)
                {
                    break;
                }

                after = page[^1].Key;
            }
        }

        await Task.CompletedTask;
    }
}

/// <summary>Hours and days of activity over record tables, keyed "h|time" and "d|time"; late hours in a table of their own.</summary>
public sealed class InMemoryActivityStore(IRecordTables? tables = null) : RecordCollection<ActivityPeriod>(tables, "activity"), IActivityStore
{
    private readonly IRecordTable<LateHour> _late = (tables ?? MemoryRecordTables.Instance).Open<LateHour>("activitylate");
    private readonly Lock _lateGate = new();

    public Task MarkLateAsync(DateTimeOffset hour, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lateGate)
        {
            _late.Put(RecordOrder.Of(hour), new LateHour(hour, at));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LateHour>> ListLateAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LateHour>>([.. _late.KeyRange("", RecordOrder.End, null, 1000).Select(r => r.Item)]);

    public Task ClearLateAsync(LateHour late, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(late);
        lock (_lateGate)
        {
            if (_late.Find(RecordOrder.Of(late.Hour)) is { } current && current.MarkedAt <= late.MarkedAt)
            {
                _late.Remove(RecordOrder.Of(late.Hour));
            }
        }

        return Task.CompletedTask;
    }

    public Task PutAsync(ActivityPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        Put(Key(period.Span, period.Start), period);
        return Task.CompletedTask;
    }

    public Task<ActivityPeriod?> GetAsync(ActivitySpan span, DateTimeOffset start, CancellationToken cancellationToken) =>
        Task.FromResult(Get(Key(span, start)));

    public Task<IReadOnlyList<ActivityPeriod>> ListAsync(ActivitySpan span, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        return Task.FromResult<IReadOnlyList<ActivityPeriod>>([.. Range(Key(span, from), Key(span, until)).Select(r => r.Item)]);
    }

    private static string Prefix(ActivitySpan span) => span == ActivitySpan.Hour ? "h|" : "d|";

    private static string Key(ActivitySpan span, DateTimeOffset start) => Prefix(span) + RecordOrder.Of(start);
}
