using System.Collections.Concurrent;
using Alerts.Core.Stories;

namespace Alerts.Infrastructure.Memory;

/// <summary>Stories in process memory, for the command line and benchmarks; same contract as the table store.</summary>
public sealed class InMemoryStoryStore : IStoryStore
{
    private readonly ConcurrentDictionary<string, Story> _stories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, DateTimeOffset>> _bands = new(StringComparer.Ordinal);
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
                _bands.GetOrAdd(key[..split], _ => new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal))[key[(split + 1)..]] = firstSeen;
            }
        }
    }

    public int Count => _stories.Count;

    public Task<IReadOnlyList<string>> FindCandidatesAsync(IReadOnlyList<string> bandKeys, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bandKeys);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in bandKeys)
        {
            if (_bands.TryGetValue(key, out var stories))
            {
                foreach (var (id, firstSeen) in stories)
                {
                    if (firstSeen >= since)
                    {
                        ids.Add(id);
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<string>>([.. ids]);
    }

    public Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken) =>
        Task.FromResult(_stories.TryGetValue(storyId, out var story) ? story : null);

    public Task<bool> TryCreateAsync(Story story, IReadOnlyList<string> bandKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(bandKeys);
        var stored = story with { Version = Guid.NewGuid().ToString("N") };
        if (!_stories.TryAdd(story.Id, stored))
        {
            return Task.FromResult(false);
        }

        _journal?.Save("stories", story.Id, JournalJson.Write(stored));
        foreach (var key in bandKeys)
        {
            _bands.GetOrAdd(key, _ => new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal))[story.Id] = story.FirstSeen;
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
}
