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
    public async Task<SeedResult> SeedFromOpmlAsync(string opml, CancellationToken cancellationToken)
    {
        int added = 0, present = 0;
        var rejected = new List<string>();
        foreach (var entry in Opml.Read(opml))
        {
            if (!Uri.TryCreate(entry.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || (checker is not null && await checker.CheckAsync(entry.Url, cancellationToken) is not null))
            {
                rejected.Add(entry.Url);
                continue;
            }

            var feed = new FeedRecord
            {
                Id = FeedRecord.IdForUrl(entry.Url),
                Url = uri.AbsoluteUri,
                Title = entry.Title,
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
}
