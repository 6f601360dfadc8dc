using Alerts.Core.Feeds;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Ingestion;

/// <summary>What seeding added.</summary>
public sealed record SeedResult(int Added, int AlreadyPresent, IReadOnlyList<string> Rejected);

/// <summary>
/// Adds feeds to the registry from an OPML list; feeds already present are left as they are. With a URL checker (the
/// admin API), URLs the fetcher would refuse (private, loopback, link-local addresses) are rejected too.
/// </summary>
public sealed class FeedSeeder(IFeedRegistry registry, TimeProvider time, IOptions<IngestionOptions> options, Admin.IFeedUrlChecker? checker = null)
{
    /// <exception cref="FeedParseException">The document is not OPML.</exception>
    public Task<SeedResult> SeedFromOpmlAsync(string opml, CancellationToken cancellationToken) =>
        SeedAsync(Opml.Read(opml).Select(e => (e.Url, e.Title)), localFiles: false, cancellationToken);

    /// <summary>
    /// Adds feeds given by URL and title. http(s) URLs are taken (checked by the URL checker when there is one); with
    /// <paramref name="localFiles"/> (an operator's list for <c>alerts run</c>), file: URLs too, and nothing is checked
    /// here: the local fetcher checks every connection. Anything else is rejected.
    /// </summary>
    public async Task<SeedResult> SeedAsync(IEnumerable<(string Url, string Title)> feeds, bool localFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        int added = 0, present = 0;
        var rejected = new List<string>();
        foreach (var (url, title) in feeds)
        {
            if (!await AcceptableAsync(url, localFiles, cancellationToken))
            {
                rejected.Add(url);
                continue;
            }

            var feed = new FeedRecord
            {
                Id = FeedRecord.IdForUrl(url),
                Url = new Uri(url).AbsoluteUri,
                Title = title,
                PollInterval = options.Value.DefaultPollInterval,
                NextDueAt = time.GetUtcNow(),
            };
            if (await registry.AddAsync(feed, cancellationToken))
            {
                added++;
            }
            else
            {
                present++;
            }
        }

        return new SeedResult(added, present, rejected);
    }

    private async Task<bool> AcceptableAsync(string url, bool localFiles, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.IsFile)
        {
            return localFiles;
        }

        return (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && (localFiles || checker is null || await checker.CheckAsync(url, cancellationToken) is null);
    }
}
