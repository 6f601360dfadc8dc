using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Stories in Azure Tables: the story rows in the stories table; the lookup index in the bands table, laid out so that an
/// article's lookup and a new story's index rows cost a handful of requests whatever the number of stories:
/// <list type="bullet">
/// <item>One partition per scope (main country, or "none") and 72-hour bucket (<c>KZ~6789</c>). A story is indexed in
/// the bucket of its first sighting and the next, so the stories of the last 72 hours are all in the partition of the
/// article's own bucket: one partition is read.</item>
/// <item>Band rows (RK <c>b07-3fa9c2d1e0b4a6f2</c>): one property per story (<c>S</c> + id = first-seen ticks), added by
/// merge, so a story's 32 band rows and its sketch row are written in one batch per partition. A band row holding
/// <see cref="MaxPerBand"/> stories takes no more: a band value that common (the minimum hashes of common words) says
/// nothing about which story an article belongs to.</item>
/// <item>Sketch rows (RK <c>r</c> + newest-first ticks + <c>-</c> + id): what comparing an article needs (signature,
/// event features, articles), newest first, so the scope's newest are one range.</item>
/// <item>A head row (RK <c>h</c>) whose ETag is the partition's version, read by every query of a lookup: every batch
/// that indexes a story moves it, the first bucket's on the condition that it is the one the creator's lookup read, so
/// two instances that look up in one partition at the same moment do not both create a story of one event (the second
/// looks again and finds the first's), without a lease.</item>
/// </list>
/// A lookup is three queries (each with the head; the scope's newest sketches and the 32 band rows: a filter allows 15
/// comparisons), then at most one for the sketches of the nearest band candidates not among the newest
/// (<see cref="StoryClusterer.MaxOlderCandidates"/>); no story is read until one is joined.
/// </summary>
public sealed partial class TableStoryStore : IStoryStore
{
    /// <summary>Most stories one band row of a partition takes.</summary>
    public const int MaxPerBand = 200;

    private const string HeadRow = "h";
    private const string AnyHead = "*";
    private const string MovedHead = "moved"; // the head moved while the lookup ran: creating from it is a conflict
    private const int MaxComparisons = 15; // per $filter, by the Table service's rules
    private static readonly TimeSpan Bucket = StoryClusterer.Window;
    private readonly TableClient _stories;
    private readonly TableClient _bands;
    private readonly TimeProvider _time;
    private readonly Lazily _created;

    // Band rows seen full by a lookup of this instance, so that a new story does not try to add itself to them.
    private readonly ConcurrentDictionary<(string Partition, string Row), bool> _full = new();

    public TableStoryStore(StorageClients clients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _stories = clients.Table(clients.Options.StoriesTable);
        _bands = clients.Table(clients.Options.StoryBandsTable);
        _time = time;
        _created = new Lazily(async ct =>
        {
            await _stories.CreateIfNotExistsAsync(ct);
            await _bands.CreateIfNotExistsAsync(ct);
        });
    }

    public async Task<StoryLookup> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await _created.EnsureAsync(cancellationToken);
        var partition = Partition(keys.Scope, BucketOf(since + Bucket));
        var bands = BandRows(keys);

        // The scope's newest sketches and the first bands in one query, the other bands in as few as the filter allows;
        // each reads the head too, so that a story created while they run (its rows seen by some, not others) shows.
        var recentRange = "(" + TableClient.CreateQueryFilter($"RowKey gt {"r"} and RowKey lt {SketchPrefix(since) + "."}") + ")";
        var head = RowIs(HeadRow);
        var first = bands.Take(MaxComparisons - 4).ToList();
        var queries = new List<Task<List<TableEntity>>> { QueryAsync(partition, [recentRange, head, .. first.Select(RowIs)], first.Count + 1 + newest, cancellationToken) };
        queries.AddRange(bands.Skip(first.Count).Chunk(MaxComparisons - 2).Select(chunk => QueryAsync(partition, [head, .. chunk.Select(RowIs)], chunk.Length + 1, cancellationToken)));
        var rows = (await Task.WhenAll(queries)).SelectMany(r => r).ToList();
        var heads = rows.Where(r => r.RowKey == HeadRow).Select(r => r.ETag.ToString()).ToList();
        var version = partition + "|" + (heads.Count == 0 ? "" : heads.Count == queries.Count && heads.Distinct(StringComparer.Ordinal).Count() == 1 ? heads[0] : MovedHead);

        var recent = rows.Where(r => r.RowKey.StartsWith('r')).Take(newest).Select(ToSketch).ToList();
        var firstSeen = new Dictionary<string, long>(StringComparer.Ordinal);
        var shared = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.RowKey.StartsWith('b')))
        {
            var postings = Postings(row).ToList();
            if (postings.Count >= MaxPerBand)
            {
                _full.TryAdd((partition, row.RowKey), true);
            }

            foreach (var (id, ticks) in postings.Where(p => p.Ticks >= since.UtcTicks).OrderByDescending(p => p.Ticks).Take(newest))
            {
                shared[id] = shared.GetValueOrDefault(id) + 1;
                firstSeen[id] = ticks;
            }
        }

        var chosen = StoryCandidates.Choose(shared, recent.Select(s => s.StoryId));
        var known = recent.ToDictionary(s => s.StoryId, StringComparer.Ordinal);
        var missing = chosen.Where(id => !known.ContainsKey(id)).Select(id => SketchRow(new DateTimeOffset(firstSeen[id], TimeSpan.Zero), id)).ToList();
        // One chunk: at most StoryClusterer.MaxOlderCandidates are not among the newest.
        var fetched = await Task.WhenAll(missing.Chunk(MaxComparisons - 1).Select(chunk => QueryAsync(partition, [.. chunk.Select(RowIs)], chunk.Length, cancellationToken)));
        foreach (var row in fetched.SelectMany(r => r))
        {
            var sketch = ToSketch(row);
            known[sketch.StoryId] = sketch;
        }

        return new StoryLookup([.. chosen.Where(known.ContainsKey).Select(id => known[id] with { SharedBands = shared.GetValueOrDefault(id) })], version);
    }

    // One query of a partition: its rows matching any of the conditions, in key order, at most `count` of them.
    private async Task<List<TableEntity>> QueryAsync(string partition, IReadOnlyList<string> anyOf, int count, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        if (anyOf.Count == 0 || count <= 0)
        {
            return rows;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" + string.Join(" or ", anyOf) + ")";
        await foreach (var page in _bands.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(count, 1000), cancellationToken: cancellationToken).AsPages())
        {
            rows.AddRange(page.Values);
            if (rows.Count >= count)
            {
                break; // a page may come back short (the service stops a scan at 5 seconds): only then is another read
            }
        }

        return rows;
    }

    private static IEnumerable<(string Id, long Ticks)> Postings(TableEntity row) =>
        row.Where(p => p.Key.Length > 1 && p.Key[0] is 'S' or 'X' && p.Value is long).Select(p => (StoryOf(p.Key), (long)p.Value));

    // A story's property in a band row: "S" + its id when that is a valid property name, else "X" + the id's UTF-8 in hex.
    private static string PostingName(string storyId)
    {
        if (PlainId().IsMatch(storyId))
        {
            return "S" + storyId;
        }

        var hex = Convert.ToHexString(Encoding.UTF8.GetBytes(storyId));
        return hex.Length < 250 ? "X" + hex : throw new ArgumentException($"A story id is at most 124 bytes long: '{storyId[..40]}…'.", nameof(storyId));
    }

    private static string StoryOf(string posting) => posting[0] == 'S' ? posting[1..] : Encoding.UTF8.GetString(Convert.FromHexString(posting.AsSpan(1)));

    public async Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _stories.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(storyId), storyId, cancellationToken: cancellationToken);
        return response.HasValue ? ToStory(response.Value!) : null;
    }

    public async Task<StoryCreation> TryCreateAsync(Story story, StoryKeys keys, string? indexVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(keys);
        var posting = PostingName(story.Id);
        var bucket = BucketOf(story.FirstSeen);
        var partition = Partition(keys.Scope, bucket);
        var head = AnyHead;
        if (indexVersion is not null)
        {
            // The lookup read the partition of the article's time, which is the new story's first sighting.
            head = indexVersion.Split('|', 2) is [var read, var etag] && read == partition
                ? etag
                : throw new ArgumentException($"The index version '{indexVersion}' is not one of a lookup of partition {partition}.", nameof(indexVersion));
            if (head == MovedHead)
            {
                return StoryCreation.Conflict;
            }
        }

        await _created.EnsureAsync(cancellationToken);
        var existed = false;
        try
        {
            await _stories.AddEntityAsync(ToEntity(story), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created before, by a run that may have died before indexing it (this is then its retry), or by this
            // article's attempt that met a conflict: the stored story is indexed. Upserts, so nothing doubles, and a crash
            // between the row and its index never hides a story.
            existed = true;
            var stored = await GetAsync(story.Id, cancellationToken) ?? story;
            if (BucketOf(stored.FirstSeen) != bucket)
            {
                // First seen at another time by the run that created it (a retry long after): its own buckets, unchecked.
                (bucket, head) = (BucketOf(stored.FirstSeen), AnyHead);
                partition = Partition(keys.Scope, bucket);
            }

            story = stored;
        }

        // The first bucket's batch carries the check (it is the partition the lookup read); the next bucket's is written
        // once that holds, and moves its head too, so that a lookup there meanwhile (an article of the next bucket) looks again.
        var bands = BandRows(keys);
        if (!await IndexAsync(partition, story, posting, bands, head, cancellationToken))
        {
            return StoryCreation.Conflict;
        }

        await IndexAsync(Partition(keys.Scope, bucket + 1), story, posting, bands, AnyHead, cancellationToken);
        return existed ? StoryCreation.Existed : StoryCreation.Created;
    }

    /// <summary>
    /// The index rows a story adds in the buckets of its first sighting and the next, as <see cref="TryCreateAsync"/>
    /// writes them: its band postings (each merged into a row other stories share) and its sketch. For tools that load
    /// an index in bulk.
    /// </summary>
    public static IEnumerable<TableEntity> IndexRows(Story story, StoryKeys keys)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(keys);
        var bucket = BucketOf(story.FirstSeen);
        var bands = BandRows(keys);
        return new[] { bucket, bucket + 1 }
            .Select(b => Partition(keys.Scope, b))
            .SelectMany(partition => BandPostings(partition, story, PostingName(story.Id), bands).Append(ToSketchRow(partition, story)));
    }

    private static IEnumerable<TableEntity> BandPostings(string partition, Story story, string posting, IReadOnlyList<string> bands) =>
        bands.Select(row => new TableEntity(partition, row) { [posting] = story.FirstSeen.UtcTicks });

    // A story's band postings and its sketch in one partition: one batch, which also moves the partition's head, on the
    // condition that it is still `head` (its ETag as the lookup read it; "" when it had none; AnyHead: whatever it is);
    // false when it had moved (another story was created since). An action the service refuses (a band row at its
    // property limit that this instance had not seen full) is left out and the rest sent again.
    private async Task<bool> IndexAsync(string partition, Story story, string posting, IReadOnlyList<string> bands, string head, CancellationToken cancellationToken)
    {
        var moved = new TableEntity(partition, HeadRow) { ["Story"] = story.Id };
        var actions = BandPostings(partition, story, posting, bands)
            .Where(row => !_full.ContainsKey((partition, row.RowKey)))
            .Select(row => new TableTransactionAction(TableTransactionActionType.UpsertMerge, row))
            .Append(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToSketchRow(partition, story)))
            .Prepend(head switch
            {
                "" => new TableTransactionAction(TableTransactionActionType.Add, moved),
                AnyHead => new TableTransactionAction(TableTransactionActionType.UpsertMerge, moved),
                _ => new TableTransactionAction(TableTransactionActionType.UpdateMerge, moved, new ETag(head)),
            })
            .ToList();

        while (true)
        {
            try
            {
                await _bands.SubmitTransactionAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException ex) when (head != AnyHead && ex.FailedTransactionActionIndex == 0 && ex.Status is 409 or 412 or 404)
            {
                return false;
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex is int index && index > 0 && index < actions.Count - 1 && IsFull(ex.ErrorCode))
            {
                _full.TryAdd((partition, actions[index].Entity.RowKey), true);
                actions.RemoveAt(index);
            }
        }
    }

    private static bool IsFull(string? errorCode) => errorCode == TableErrorCode.TooManyProperties.ToString() || errorCode == TableErrorCode.EntityTooLarge.ToString();

    public async Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var updated = await OptimisticUpdate.RunAsync<Story>(
            async () => await GetAsync(storyId, cancellationToken) is { } story ? (story, new ETag(story.Version!)) : null,
            change,
            async (updated, etag) =>
            {
                var response = await _stories.UpdateEntityAsync(ToEntity(updated), etag, TableUpdateMode.Replace, cancellationToken);
                return updated with { Version = response.Headers.ETag?.ToString() };
            });
        if (updated is not null)
        {
            // The sketches carry what joining changes (the event's features, the articles): kept in step in both buckets.
            // Also when nothing changed: that is a retry, whose first run may have died between the story and its sketch.
            var bucket = BucketOf(updated.FirstSeen);
            await Task.WhenAll(new[] { bucket, bucket + 1 }.Select(b => RefreshSketchAsync(Partition(updated.MainCountry, b), updated, cancellationToken)));
        }

        return updated;
    }

    private async Task RefreshSketchAsync(string partition, Story story, CancellationToken cancellationToken)
    {
        var sketch = ToSketchRow(partition, story);
        try
        {
            await _bands.UpdateEntityAsync(new TableEntity(partition, sketch.RowKey) { ["Event"] = sketch["Event"], ["ArticleIds"] = sketch["ArticleIds"] }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && story.Signature.Length > 0)
        {
            // Found in one bucket, missing from the other: its creation stopped between the two batches (a crash, or a
            // first batch whose answer was lost and whose retry met its own head). Indexed there now, so that articles
            // of the next bucket still find it.
            await IndexAsync(partition, story, PostingName(story.Id), BandRows(StoryKeys.Of(story)), AnyHead, cancellationToken);
        }
    }

    private static long BucketOf(DateTimeOffset time) => time.UtcTicks / Bucket.Ticks;

    private static string Partition(string scope, long bucket) => scope + "~" + bucket.ToString(CultureInfo.InvariantCulture);

    // An article's band rows, once each: "KZ-b07-3fa9c2d1e0b4a6f2" in scope "KZ" is row "b07-3fa9c2d1e0b4a6f2".
    private static List<string> BandRows(StoryKeys keys) =>
        [.. keys.Bands.Select(band => band.StartsWith(keys.Scope + "-", StringComparison.Ordinal) ? band[(keys.Scope.Length + 1)..] : "b" + band).Distinct(StringComparer.Ordinal)];

    private static string SketchPrefix(DateTimeOffset firstSeen) =>
        "r" + (DateTimeOffset.MaxValue.UtcTicks - firstSeen.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string SketchRow(DateTimeOffset firstSeen, string storyId) => SketchPrefix(firstSeen) + "-" + storyId;

    private static string RowIs(string rowKey) => TableClient.CreateQueryFilter($"RowKey eq {rowKey}");

    private static TableEntity ToSketchRow(string partition, Story story) => new(partition, SketchRow(story.FirstSeen, story.Id))
    {
        ["Story"] = story.Id,
        ["FirstSeen"] = story.FirstSeen,
        ["Country"] = story.MainCountry,
        ["Signature"] = story.Signature,
        ["Event"] = story.Event is null ? null : string.Join(",", story.Event),
        ["ArticleIds"] = string.Join(",", story.ArticleIds),
    };

    // Shared bands are the lookup's to count: 0 here.
    private static StorySketch ToSketch(TableEntity e) => new(
        e.GetString("Story") ?? e.RowKey[(e.RowKey.IndexOf('-', StringComparison.Ordinal) + 1)..],
        e.GetDateTimeOffset("FirstSeen") ?? DateTimeOffset.MinValue,
        e.GetString("Country") ?? StoryClusterer.NoCountry,
        e.GetBinary("Signature") ?? [],
        e.GetString("Event") is { } features ? Split(features) : null,
        Split(e.GetString("ArticleIds")),
        0);

    [GeneratedRegex("^[A-Za-z0-9_]{1,250}$")]
    private static partial Regex PlainId();

    private static TableEntity ToEntity(Story story) => new(TableKeys.Partition(story.Id), story.Id)
    {
        ["FirstArticleId"] = story.FirstArticleId,
        ["Title"] = TableKeys.Clip(story.Title, 2000),
        ["FirstSeen"] = story.FirstSeen,
        ["LastSeen"] = story.LastSeen,
        ["Sources"] = string.Join(",", story.Sources),
        ["SourceCount"] = story.Sources.Count,
        ["Countries"] = string.Join(",", story.Countries),
        ["MaxSeverity"] = story.MaxSeverity.ToString(),
        ["ArticleIds"] = string.Join(",", story.ArticleIds),
        ["Signature"] = story.Signature,
        ["Event"] = story.Event is null ? null : string.Join(",", story.Event),
    };

    private static Story ToStory(TableEntity e) => new()
    {
        Id = e.RowKey,
        FirstArticleId = e.GetString("FirstArticleId") ?? "",
        Title = e.GetString("Title") ?? "",
        FirstSeen = e.GetDateTimeOffset("FirstSeen") ?? DateTimeOffset.MinValue,
        LastSeen = e.GetDateTimeOffset("LastSeen") ?? DateTimeOffset.MinValue,
        Sources = Split(e.GetString("Sources")),
        Countries = Split(e.GetString("Countries")),
        MaxSeverity = Enum.TryParse<Severity>(e.GetString("MaxSeverity"), out var severity) ? severity : Severity.None,
        ArticleIds = Split(e.GetString("ArticleIds")),
        Signature = e.GetBinary("Signature") ?? [],
        Event = e.GetString("Event") is { } features ? Split(features) : null,
        Version = e.ETag.ToString(),
    };

    private static string[] Split(string? value) => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
}
