namespace Alerts.Core.Stories;

/// <summary>Groups near-duplicate articles from different feeds into stories (see <see cref="StorySignature"/>).</summary>
public static partial class StoryClusterer
{
    /// <summary>Estimated similarity from which two articles are the same story.</summary>
    public const double SimilarityThreshold = 0.4;

    /// <summary>How long a story stays open to new articles.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(72);
}
