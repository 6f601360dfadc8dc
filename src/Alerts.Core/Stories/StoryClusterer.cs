namespace Alerts.Core.Stories;

/// <summary>
/// Puts each article into a story: one event in one country, followed across feeds and languages.
/// <list type="bullet">
/// <item>Only stories of the article's main country within <see cref="Window"/> are candidates: its LSH bands are
/// scoped to that country, with the country's <see cref="MaxRecent"/> newest stories (reports of one event in another
/// language share few words, so bands alone would miss them). A story keeps its first article's main country.</item>
/// <item>At most <see cref="MaxCandidates"/> band candidates are compared, those sharing the most bands, so the work per
/// article stays flat however many stories the window holds.</item>
/// <item>An article joins the most similar candidate whose words agree (<see cref="StorySignature"/>, at least
/// <see cref="SimilarityThreshold"/>) or whose event agrees (<see cref="StoryEvent"/>: the same names, numbers and
/// signals), else starts a new story.</item>
/// </list>
/// A new story is created only if no other story of the article's main country was created since its lookup; else the
/// country's newest stories are looked at again, so that two instances scoring near-duplicates at the same moment
/// produce one story, without a lock. Joining is idempotent: the same article
/// joined twice changes nothing.
/// </summary>
public sealed class StoryClusterer(IStoryStore store)
{
    /// <summary>Estimated word similarity from which two articles of one country are the same story.</summary>
    public const double SimilarityThreshold = 0.4;

    /// <summary>The scope of articles with no country.</summary>
    public const string NoCountry = "none";

    /// <summary>Most band candidates compared per article: those sharing the most bands.</summary>
    public const int MaxCandidates = 24;

    /// <summary>
    /// Most band candidates compared that are not among the country's newest (whose sketches every lookup reads anyway):
    /// their sketches are read in one request (the Table service allows 15 comparisons per filter), so a lookup costs
    /// four requests at most.
    /// </summary>
    public const int MaxOlderCandidates = 14;

    /// <summary>
    /// Fewest bands a story must share with an article to be compared as a band candidate. One shared band is what
    /// common words give unrelated stories; a story as similar as <see cref="SimilarityThreshold"/> shares five on
    /// average and fewer than two about one time in forty (and is compared anyway if it is among the country's newest).
    /// </summary>
    public const int MinSharedBands = 2;

    /// <summary>Newest stories read per band key, and newest stories of the article's country compared as well.</summary>
    public const int MaxRecent = 16;

    /// <summary>How long a story stays open to new articles.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(72);

    // A story is created only if no other story of its country was created since the lookup; each conflict means one was.
    private const int MaxCreationAttempts = 20;

    public async Task<StoryAssignment> AssignAsync(StoryArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        var probe = Probe.Of(article);
        var (existing, version) = await FindAsync(article, probe, cancellationToken);
        for (var attempt = 1; existing is null; attempt++)
        {
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
                Signature = probe.Signature.ToBytes(),
                Event = probe.Event,
            };
            switch (await store.TryCreateAsync(story, probe.Keys, version, cancellationToken))
            {
                case StoryCreation.Created:
                    return new StoryAssignment(story, true);
                case StoryCreation.Existed:
                    // Created before by a run that died after creating it, or by this article's attempt that met a conflict: join it.
                    return new StoryAssignment(await JoinAsync(story.Id, article, probe, cancellationToken), false);
                case StoryCreation.Conflict when attempt >= MaxCreationAttempts:
                    throw new InvalidOperationException($"Stories of {article.MainCountry} were created faster than article {article.ArticleId} could start one ({attempt} attempts); the message is retried.");
                default:
                    // Another instance created a story of the country since the lookup (perhaps of this very event, from a
                    // near-duplicate scored at the same moment): it is among the country's newest, so that range alone
                    // (one read) finds it.
                    (existing, version) = await FindAsync(article, probe with { Keys = probe.Keys with { Bands = [] } }, cancellationToken);
                    break;
            }
        }

        return new StoryAssignment(await JoinAsync(existing, article, probe, cancellationToken), false);
    }

    /// <summary>The id of the story the article would join, if any, without changing anything.</summary>
    public async Task<string?> FindAsync(StoryArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        return (await FindAsync(article, Probe.Of(article), cancellationToken)).StoryId;
    }

    /// <summary>
    /// How well a story matches an article: above 1 for the same article, its word similarity when that reaches
    /// <see cref="SimilarityThreshold"/>, else its event overlap when the events agree; 0 when it is not the same story.
    /// </summary>
    internal static double Match(StorySketch story, StoryArticle article, StorySignature signature, IReadOnlyList<string> features)
    {
        if (story.MainCountry != article.MainCountry)
        {
            return 0;
        }

        if (story.ArticleIds.Contains(article.ArticleId, StringComparer.Ordinal))
        {
            return 2;
        }

        var similarity = StorySignature.FromBytes(story.Signature).Similarity(signature);
        if (similarity >= SimilarityThreshold)
        {
            return similarity;
        }

        // Without a country, one shared rare signal says nothing (two coups in two countries).
        return StoryEvent.Agreement(story.Event, features, article.MainCountry == NoCountry ? TimeSpan.MaxValue : article.Time - story.FirstSeen, similarity);
    }

    // The story to join, if any, and the version of the country's index the lookup read.
    private async Task<(string? StoryId, string? IndexVersion)> FindAsync(StoryArticle article, Probe probe, CancellationToken cancellationToken)
    {
        var lookup = await store.FindCandidatesAsync(probe.Keys, MaxRecent, article.Time - Window, cancellationToken);
        string? best = null;
        var bestMatch = 0.0;
        foreach (var story in lookup.Sketches)
        {
            if (Math.Abs((article.Time - story.FirstSeen).TotalHours) > Window.TotalHours)
            {
                continue;
            }

            var match = Match(story, article, probe.Signature, probe.Event);
            if (match > 0 && (match > bestMatch || (match == bestMatch && string.CompareOrdinal(story.StoryId, best) < 0)))
            {
                best = story.StoryId;
                bestMatch = match;
            }
        }

        return (best, lookup.IndexVersion);
    }

    private async Task<Story> JoinAsync(string storyId, StoryArticle article, Probe probe, CancellationToken cancellationToken) =>
        await store.UpdateAsync(storyId, story => story.ArticleIds.Contains(article.ArticleId) ? story : story with
        {
            LastSeen = article.Time > story.LastSeen ? article.Time : story.LastSeen,
            Sources = story.Sources.Contains(article.Source) ? story.Sources : [.. story.Sources, article.Source],
            // The main country stays the first article's; only the same main country gets here (its other countries add).
            Countries = story.Countries.Count > 0 && article.MainCountry != story.MainCountry ? story.Countries : [.. story.Countries.Union(article.Countries)],
            MaxSeverity = article.Severity > story.MaxSeverity ? article.Severity : story.MaxSeverity,
            ArticleIds = story.ArticleIds.Count >= 50 ? story.ArticleIds : [.. story.ArticleIds, article.ArticleId],
            Event = StoryEvent.Merge(story.Event, probe.Event),
        }, cancellationToken) ?? throw new InvalidOperationException($"Story {storyId} disappeared while joining it.");

    /// <summary>An article's signature, event features and index keys, computed once per assignment.</summary>
    private sealed record Probe(StorySignature Signature, IReadOnlyList<string> Event, StoryKeys Keys)
    {
        public static Probe Of(StoryArticle article)
        {
            var signals = article.Signals ?? [];
            var signature = StorySignature.Of(article.Title, article.Lead, signals);
            return new Probe(signature, StoryEvent.Of(article.Title, article.Lead, signals, article.Places), new StoryKeys(article.MainCountry, signature.BandKeys(article.MainCountry)));
        }
    }
}
