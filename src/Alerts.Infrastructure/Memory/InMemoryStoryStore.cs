using System.Collections.Concurrent;
using Alerts.Core.Stories;

namespace Alerts.Infrastructure.Memory;

/// <summary>Stories in process memory, for the command line and benchmarks; same contract as the table store.</summary>
public sealed class InMemoryStoryStore : IStoryStore
{
    private readonly ConcurrentDictionary<string, Story> _stories = new(StringComparer.Ordinal);
    // Band keys and scopes ("KZ-recent") alike: the stories indexed under the key, about in the order of first sighting.
    private readonly ConcurrentDictionary<string, RecentIndex> _index = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly IRecordJournal? _journal;

    /// <summary>With a journal, stories and their band index are written through and loaded again by the next run.</summary>
    public InMemoryStoryStore(IRecordJournal? journal = null)
    {
        _journal = journal;
        if (journal is null)
        {
            return;
        }

        foreach (var (key, story) in JournalJson.LoadAll<Story>(journal, "stories"))
        {
            _stories[key] = story;
        }

        foreach (var (key, firstSeen) in JournalJson.LoadAll<DateTimeOffset>(journal, "storybands"))
        {
            var split = key.LastIndexOf('|');
            if (split > 0)
            {
                _index.GetOrAdd(key[..split], _ => new RecentIndex()).Add(key[(split + 1)..], firstSeen);
            }
        }

        foreach (var index in _index.Values)
        {
            index.Sort();
        }
    }

    private const string ScopeSuffix = "-recent";

    public int Count => _stories.Count;

    public Task<IReadOnlyList<StoryCandidate>> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var shared = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in keys.Bands)
        {
            if (_index.TryGetValue(key, out var band))
            {
                foreach (var id in band.Newest(newest, since))
                {
                    shared[id] = shared.GetValueOrDefault(id) + 1;
                }
            }
        }

        if (_index.TryGetValue(keys.Scope + ScopeSuffix, out var scope))
        {
            foreach (var id in scope.Newest(newest, since))
            {
                shared.TryAdd(id, 0);
            }
        }

        return Task.FromResult<IReadOnlyList<StoryCandidate>>([.. shared.Select(p => new StoryCandidate(p.Key, p.Value))]);
    }

    public Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken) =>
        Task.FromResult(_stories.TryGetValue(storyId, out var story) ? story : null);

    public Task<bool> TryCreateAsync(Story story, StoryKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(keys);
        var stored = story with { Version = Guid.NewGuid().ToString("N") };
        if (!_stories.TryAdd(story.Id, stored))
        {
            return Task.FromResult(false);
        }

        _journal?.Save("stories", story.Id, JournalJson.Write(stored));
        foreach (var key in keys.Bands.Append(keys.Scope + ScopeSuffix))
        {
            _index.GetOrAdd(key, _ => new RecentIndex()).Add(story.Id, story.FirstSeen);
            _journal?.Save("storybands", key + "|" + story.Id, JournalJson.Write(story.FirstSeen));
        }

        return Task.FromResult(true);
    }

    public Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (_stories.TryGetValue(storyId, out var current))
        {
            var updated = change(current);
            if (ReferenceEquals(updated, current))
            {
                return Task.FromResult<Story?>(current);
            }

            updated = updated with { Version = Guid.NewGuid().ToString("N") };
            lock (_stories) // the journal gets writes in the order they won
            {
                if (_stories.TryUpdate(storyId, updated, current))
                {
                    _journal?.Save("stories", storyId, JournalJson.Write(updated));
                    return Task.FromResult<Story?>(updated);
                }
            }
        }

        return Task.FromResult<Story?>(null);
    }

    public async Task<IAsyncDisposable> LockAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The stories of one key in the order they were created (about the order of their first sighting).</summary>
    private sealed class RecentIndex
    {
        // Stories arrive about in time order; looking this far back from the end finds the newest ones.
        private const int LookBack = 4;
        private readonly List<(string Id, DateTimeOffset FirstSeen)> _stories = [];

        public void Add(string id, DateTimeOffset firstSeen)
        {
            lock (_stories)
            {
                _stories.Add((id, firstSeen));
            }
        }

        public void Sort()
        {
            lock (_stories)
            {
                _stories.Sort((a, b) => a.FirstSeen.CompareTo(b.FirstSeen));
            }
        }

        public List<string> Newest(int count, DateTimeOffset since)
        {
            lock (_stories)
            {
                if (_stories.Count <= count)
                {
                    return [.. _stories.Where(s => s.FirstSeen >= since).Select(s => s.Id)];
                }

                var from = Math.Max(0, _stories.Count - (count * LookBack));
                return [.. _stories.Skip(from).Where(s => s.FirstSeen >= since).OrderByDescending(s => s.FirstSeen).Take(count).Select(s => s.Id)];
            }
        }
    }
}
