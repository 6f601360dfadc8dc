using Alerts.Core.Stories;

namespace Alerts.Testing;

/// <summary>A story store that counts the lookups, the stories they gave to compare and the stories read, over another store.</summary>
public sealed class CountingStoryStore(IStoryStore inner) : IStoryStore
{
    private long _finds;
    private long _compared;
    private long _gets;

    public long Finds => Interlocked.Read(ref _finds);

    /// <summary>Stories the lookups gave to compare (sketches).</summary>
    public long Compared => Interlocked.Read(ref _compared);

    public long Gets => Interlocked.Read(ref _gets);

    public async Task<StoryLookup> FindCandidatesAsync(StoryKeys keys, int newest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var found = await inner.FindCandidatesAsync(keys, newest, since, cancellationToken);
        Interlocked.Increment(ref _finds);
        Interlocked.Add(ref _compared, found.Sketches.Count);
        return found;
    }

    public Task<Story?> GetAsync(string storyId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(storyId, cancellationToken);
    }

    public Task<StoryCreation> TryCreateAsync(Story story, StoryKeys keys, string? indexVersion, CancellationToken cancellationToken) => inner.TryCreateAsync(story, keys, indexVersion, cancellationToken);

    public Task<Story?> UpdateAsync(string storyId, Func<Story, Story> change, CancellationToken cancellationToken) => inner.UpdateAsync(storyId, change, cancellationToken);
}
