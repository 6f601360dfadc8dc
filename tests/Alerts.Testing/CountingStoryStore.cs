using Alerts.Core.Stories;

namespace Alerts.Testing;

/// <summary>A story store that counts the lookups, the candidates they found and the stories read, over another store.</summary>
public sealed class CountingStoryStore(IStoryStore inner) : IStoryStore
{
    private long _finds;
    private long _candidates;
    private long _gets;

    public long Finds => Interlocked.Read(ref _finds);

    public long Candidates => Interlocked.Read(ref _candidates);

    public long Gets => Interlocked.Read(ref _gets);

    public async Task<IReadOnlyList<StoryCandidate>> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var found = await inner.FindCandidatesAsync(keys, newest, since, cancellationToken);
        Interlocked.Increment(ref _finds);
        Interlocked.Add(ref _candidates, found.Count);
        return found;
    }

    public Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(storyId, cancellationToken);
    }

    public Task<bool> TryCreateAsync(Story story, StoryKeys keys, CancellationToken cancellationToken) => inner.TryCreateAsync(story, keys, cancellationToken);

    public Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken) => inner.UpdateAsync(storyId, change, cancellationToken);

    public Task<IAsyncDisposable> LockAsync(string key, TimeSpan lease, CancellationToken cancellationToken) => inner.LockAsync(key, lease, cancellationToken);
}
