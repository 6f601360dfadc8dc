using System.Security.Cryptography;
using System.Text;
using Alerts.Core.Digests;
using Alerts.Core.Scoring;

namespace Alerts.Core.Subscriptions;

/// <summary>
/// A subscriber's own feed of the alerts their filters match (Atom or JSON Feed, for a feed reader), read with a token
/// of its own: the subscriber id and a random key stored on the subscriber, so that replacing the key revokes every copy
/// of the old link. It never carries the admin key, and it grants nothing but reading this list.
/// </summary>
public sealed class PersonalFeed(ISubscriberStore subscribers, IAlertStore alerts, TimeProvider time)
{
    /// <summary>How far back the feed looks, and how many alerts it holds at most.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);
    public const int MaxItems = 100;

    /// <summary>The subscriber's feed token, or null before they created one.</summary>
    public static string? TokenFor(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return subscriber.FeedKey is { Length: > 0 } key ? subscriber.Id + "." + key : null;
    }

    /// <summary>Gives the subscriber a new feed key: the old link stops working at once.</summary>
    public async Task<Subscriber?> ReplaceKeyAsync(string subscriberId, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return await subscribers.UpdateAsync(subscriberId, s => s with { FeedKey = key }, cancellationToken);
    }

    /// <summary>The active or paused subscriber whose feed <paramref name="token"/> is, or null (unknown, replaced, unsubscribed, erased).</summary>
    public async Task<Subscriber?> ResolveAsync(string? token, CancellationToken cancellationToken)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || token!.Length > 200)
        {
            return null;
        }

        var subscriber = await subscribers.GetAsync(token[..dot], cancellationToken);
        return subscriber is { Status: SubscriberStatus.Active, FeedKey: { Length: > 0 } key }
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(token[(dot + 1)..]))
            ? subscriber
            : null;
    }

    /// <summary>The newest alerts of the last 30 days that the subscriber's filters match, at most <see cref="MaxItems"/>.</summary>
    public async Task<IReadOnlyList<AlertRecord>> ItemsAsync(Subscriber subscriber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var query = new AlertQuery(time.GetUtcNow() - Window, subscriber.Preferences.MinimumSeverity);
        var matching = new List<AlertRecord>();
        string? continuation = null;
        var read = 0;
        do
        {
            var page = await alerts.QueryAsync(query, continuation, 200, cancellationToken);
            read += page.Alerts.Count;
            matching.AddRange(page.Alerts.Where(a => AlertFilter.Matches(DigestRunner.ToItem(a), subscriber.Preferences)));
            continuation = page.Continuation;
        }
        while (continuation is not null && matching.Count < MaxItems && read < 5000);

        return [.. matching.OrderByDescending(a => a.ChangedAt).Take(MaxItems)];
    }
}
