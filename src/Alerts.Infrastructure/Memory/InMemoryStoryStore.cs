using System.Collections.Concurrent;
using Alerts.Core.Stories;

namespace Alerts.Infrastructure.Memory;

/// <summary>
/// Stories over record tables (memory, or the embedded store), for the command line and benchmarks; same contract as
/// the table store. The index holds one row per story and key (its bands and its scope), keyed by the key, then newest
/// first: the newest stories of a key since a time are one range read, whatever the number of stories.
/// </summary>
public sealed class InMemoryStoryStore : IStoryStore
{
    private const string ScopeSuffix = "-recent";
    private readonly IRecordTable<Story> _stories;
    private readonly IRecordTable<IndexRow> _index;
    // Per scope, how many stories this process has created in it: the index version a creation is checked against.
    private readonly ConcurrentDictionary<string, long> _created = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // Every article reads its country's newest stories and its nearest: the same few hundred, read again and again.
    // This process writes every story, so the recently used ones are kept, parsed, and always current.
    private readonly RecentStories _recent = new(4_096);

    /// <summary>A story under one index key: the row's key says it all ("key|newest-first time|story").</summary>
    public sealed record IndexRow
    {
        public static IndexRow Instance { get; } = new();
    }

    public InMemoryStoryStore(IRecordTables? tables = null)
    {
        tables ??= MemoryRecordTables.Instance;
        _stories = tables.Open<Story>("stories");
        _index = tables.Open<IndexRow>("storyindex", keysOnly: true);

        // Stores written before this layout kept "key|story" rows with the first sighting as the value.
        foreach (var (key, json) in tables.DrainLegacy("storybands"))
        {
            var split = key.LastIndexOf('|');
            if (split > 0 && TryRead(json, out var firstSeen))
            {
                _index.Put(IndexKey(key[..split], firstSeen, key[(split + 1)..]), IndexRow.Instance);
            }
        }
    }

    public long Count => _stories.Count("");

    public Task<StoryLookup> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var version = IndexVersion(keys.Scope); // read before the index: a story created meanwhile changes it
        // Each key's newest stories since the time: one range of the index per key, all read in one step.
        var ranges = keys.Bands.Append(keys.Scope + ScopeSuffix).Select(key => (key + "|", key + "|" + RecordOrder.Newest(since) + "|" + RecordOrder.End)).ToList();
        var found = _index.KeyRanges(ranges, newest);
        var shared = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Bands.Count; i++)
        {
            foreach (var key in found[i])
            {
                var id = StoryOf(key);
                shared[id] = shared.GetValueOrDefault(id) + 1;
            }
        }

        var sketches = new List<StorySketch>();
        foreach (var id in StoryCandidates.Choose(shared, found[^1].Select(StoryOf)))
        {
            if (Read(id) is { } story)
            {
                sketches.Add(StorySketch.Of(story, shared.GetValueOrDefault(id)));
            }
        }

        return Task.FromResult(new StoryLookup(sketches, version));
    }

    private string IndexVersion(string scope) => _created.GetValueOrDefault(scope).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string StoryOf(string indexKey) => indexKey[(indexKey.LastIndexOf('|') + 1)..];

    public Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken) => Task.FromResult(Read(storyId));

    private Story? Read(string storyId) => _recent.Get(storyId) ?? _recent.Add(_stories.Find(storyId));

    public Task<StoryCreation> TryCreateAsync(Story story, StoryKeys keys, string? indexVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate) // check the version, add and index as one step
        {
            if (indexVersion is not null && indexVersion != IndexVersion(keys.Scope))
            {
                return Task.FromResult(StoryCreation.Conflict);
            }

            var stored = story with { Version = Guid.NewGuid().ToString("N") };
            var added = _stories.TryAdd(story.Id, stored);
            if (added)
            {
                _recent.Add(stored);
            }

            // Indexed again when it was there (a retry of a run that died before its index): the rows are keys, written twice alike.
            var indexed = added ? stored : _stories.Find(story.Id) ?? stored;
            _index.PutMany([.. keys.Bands.Append(keys.Scope + ScopeSuffix).Select(key => (IndexKey(key, indexed.FirstSeen, indexed.Id), IndexRow.Instance))]);
            _created.AddOrUpdate(keys.Scope, 1, (_, count) => count + 1);
            return Task.FromResult(added ? StoryCreation.Created : StoryCreation.Existed);
        }
    }

    public Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate) // read, change and write as one step
        {
            if ((_recent.Get(storyId) ?? _stories.Find(storyId)) is not { } current)
            {
                return Task.FromResult<Story?>(null);
            }

            var updated = change(current);
            if (ReferenceEquals(updated, current))
            {
                return Task.FromResult<Story?>(current);
            }

            updated = updated with { Version = Guid.NewGuid().ToString("N") };
            _stories.Put(storyId, updated);
            _recent.Add(updated);
            return Task.FromResult<Story?>(updated);
        }
    }

    private static string IndexKey(string key, DateTimeOffset firstSeen, string storyId) => key + "|" + RecordOrder.Newest(firstSeen) + "|" + storyId;

    private static bool TryRead(string json, out DateTimeOffset value)
    {
        try
        {
            value = RecordJson.Read<DateTimeOffset>(json);
            return true;
        }
        catch (Exception ex) when (RecordJson.IsUnreadable(ex))
        {
            value = default;
            return false;
        }
    }

    /// <summary>The most recently used stories, at most a given number (least recently used first out).</summary>
    private sealed class RecentStories(int capacity)
    {
        private readonly Dictionary<string, LinkedListNode<Story>> _byId = new(StringComparer.Ordinal);
        private readonly LinkedList<Story> _order = new();
        private readonly Lock _gate = new();

        public Story? Get(string id)
        {
            lock (_gate)
            {
                if (!_byId.TryGetValue(id, out var node))
                {
                    return null;
                }

                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value;
            }
        }

        public Story? Add(Story? story)
        {
            if (story is null)
            {
                return null;
            }

            lock (_gate)
            {
                if (_byId.Remove(story.Id, out var old))
                {
                    _order.Remove(old);
                }

                _byId[story.Id] = _order.AddFirst(story);
                if (_byId.Count > capacity)
                {
                    _byId.Remove(_order.Last!.Value.Id);
                    _order.RemoveLast();
                }
            }

            return story;
        }
    }
}
