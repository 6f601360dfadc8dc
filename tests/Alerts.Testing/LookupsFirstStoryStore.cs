using Alerts.Core.Stories;

namespace Alerts.Testing;

/// <summary>
/// A story store that holds every creation until a number of lookups have been made through the stores sharing its
/// <see cref="Race"/>: instances that all look before any creates, the race that creation must survive.
/// </summary>
public sealed class LookupsFirstStoryStore(IStoryStore inner, LookupsFirstStoryStore.Race race) : IStoryStore
{
    /// <summary>What the racing stores share: how many lookups to wait for.</summary>
    public sealed class Race(int lookups)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _lookups;

        internal void Looked()
        {
            if (Interlocked.Increment(ref _lookups) >= lookups)
            {
                _done.TrySetResult();
            }
        }

        internal Task Done => _done.Task;
    }

    public async Task<StoryLookup> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var found = await inner.FindCandidatesAsync(keys, newest, since, cancellationToken);
        race.Looked();
        return found;
    }

    public Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken) => inner.GetAsync(storyId, cancellationToken);

    public async Task<StoryCreation> TryCreateAsync(Story story, StoryKeys keys, string? indexVersion, CancellationToken cancellationToken)
    {
        await race.Done.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return await inner.TryCreateAsync(story, keys, indexVersion, cancellationToken);
    }

    public Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken) => inner.UpdateAsync(storyId, change, cancellationToken);
}
