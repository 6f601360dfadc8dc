namespace Alerts.Core.Stories;

/// <summary>
/// Puts each article into a story: the most similar story (by <see cref="StorySignature"/>) among those sharing an LSH
/// band and seen within <see cref="Window"/>, else a new one. New stories are created under a short lease on the
/// article's main country, after looking again, so that two instances scoring near-duplicates at the same moment
/// produce one story. Joining is idempotent: the same article joined twice changes nothing.
/// </summary>
public sealed class StoryClusterer(IStoryStore store)
{
    /// <summary>Estimated similarity from which two articles are the same story.</summary>
    public const double SimilarityThreshold = 0.4;

    /// <summary>How long a story stays open to new articles.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(72);

    private static readonly TimeSpan CreationLease = TimeSpan.FromSeconds(30);

    public async Task<StoryAssignment> AssignAsync(StoryArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        var signature = StorySignature.Of(article.Title, article.Lead);
        var bands = signature.BandKeys();
        if (await FindAsync(article, signature, bands, cancellationToken) is { } existing)
        {
            return new StoryAssignment(await JoinAsync(existing, article, cancellationToken), false);
        }

        await using (await store.LockAsync("story-" + (article.Countries.Count > 0 ? article.Countries[0] : "none"), CreationLease, cancellationToken))
        {
            if (await FindAsync(article, signature, bands, cancellationToken) is { } created)
            {
                return new StoryAssignment(await JoinAsync(created, article, cancellationToken), false);
            }

            var story = new Story
            {
                Id = "s" + article.ArticleId,
                FirstArticleId = article.ArticleId,
                Title = article.Title,
                FirstSeen = article.Time,
                LastSeen = article.Time,
                Sources = [article.Source],
                Countries = article.Countries,
                MaxSeverity = article.Severity,
                ArticleIds = [article.ArticleId],
                Signature = signature.ToBytes(),
            };
            if (await store.TryCreateAsync(story, bands, cancellationToken))
            {
                return new StoryAssignment(story, true);
            }

            // Created before by a run that crashed after creating it: join it.
            return new StoryAssignment(await JoinAsync(story.Id, article, cancellationToken), false);
        }
    }

    /// <summary>The id of the story the article would join, if any, without changing anything.</summary>
    public Task<string?> FindAsync(StoryArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        var signature = StorySignature.Of(article.Title, article.Lead);
        return FindAsync(article, signature, signature.BandKeys(), cancellationToken);
    }

    private async Task<string?> FindAsync(StoryArticle article, StorySignature signature, IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        var candidates = await store.FindCandidatesAsync(bands, article.Time - Window, cancellationToken);
        string? best = null;
        var bestSimilarity = 0.0;
        foreach (var id in candidates)
        {
            var story = await store.GetAsync(id, cancellationToken);
            if (story is null || Math.Abs((article.Time - story.FirstSeen).TotalHours) > Window.TotalHours)
            {
                continue;
            }

            var similarity = story.ArticleIds.Contains(article.ArticleId) ? 1 : StorySignature.FromBytes(story.Signature).Similarity(signature);
            if (similarity >= SimilarityThreshold && (similarity > bestSimilarity || (similarity == bestSimilarity && string.CompareOrdinal(id, best) < 0)))
            {
                best = id;
                bestSimilarity = similarity;
            }
        }

        return best;
    }

    private async Task<Story> JoinAsync(string storyId, StoryArticle article, CancellationToken cancellationToken) =>
        await store.UpdateAsync(storyId, story => story.ArticleIds.Contains(article.ArticleId) ? story : story with
        {
            LastSeen = article.Time > story.LastSeen ? article.Time : story.LastSeen,
            Sources = story.Sources.Contains(article.Source) ? story.Sources : [.. story.Sources, article.Source],
            Countries = [.. story.Countries.Union(article.Countries)],
            MaxSeverity = article.Severity > story.MaxSeverity ? article.Severity : story.MaxSeverity,
            ArticleIds = story.ArticleIds.Count >= 50 ? story.ArticleIds : [.. story.ArticleIds, article.ArticleId],
        }, cancellationToken) ?? throw new InvalidOperationException($"Story {storyId} disappeared while joining it.");
}
