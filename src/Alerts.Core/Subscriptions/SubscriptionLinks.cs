using Alerts.Core.Digests;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Subscriptions;

/// <summary>Signed confirmation and unsubscribe links under <see cref="EmailOptions.PublicBaseUrl"/>.</summary>
public sealed class SubscriptionLinks(IOptions<EmailOptions> options, TimeProvider time)
{
    public const string ConfirmPurpose = "confirm";
    public const string UnsubscribePurpose = "unsubscribe";
    public const string FeedbackPurpose = "feedback";
    public const string StoryPurpose = "story";

    private readonly Lazy<SignedTokens> _tokens = new(() => new SignedTokens(options.Value.SigningKeyBytes(), time));

    /// <summary>
    /// The confirmation link of this subscriber record: it names the record's creation time too, so that a link mailed
    /// before an erase cannot confirm a record created again later for the same address.
    /// </summary>
    public string Confirm(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return Link("confirm", _tokens.Value.Create(ConfirmPurpose, subscriber.Id + Generation + subscriber.CreatedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), options.Value.ConfirmLinkLifetime));
    }

    public string Unsubscribe(string subscriberId) => Link("unsubscribe", _tokens.Value.Create(UnsubscribePurpose, subscriberId, options.Value.UnsubscribeLinkLifetime));

    /// <summary>The subscriber's preferences page: the same token as their unsubscribe link (it manages the subscription).</summary>
    public string Preferences(string subscriberId) => Link("preferences", _tokens.Value.Create(UnsubscribePurpose, subscriberId, options.Value.UnsubscribeLinkLifetime));

    /// <summary>
    /// The subscriber a genuine, unexpired confirmation token is for, and the creation time of the record it was issued
    /// for (null in tokens issued before links carried it); otherwise null.
    /// </summary>
    public ConfirmTarget? VerifyConfirm(string? token)
    {
        if (_tokens.Value.Verify(token, ConfirmPurpose) is not { } subject)
        {
            return null;
        }

        var separator = subject.IndexOf(Generation, StringComparison.Ordinal);
        if (separator < 0)
        {
            return new ConfirmTarget(subject, null);
        }

        return long.TryParse(subject.AsSpan(separator + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var created)
            ? new ConfirmTarget(subject[..separator], created)
            : null;
    }

    /// <summary>
    /// A link that can only record the subscriber's word on one story (for channel messages, which other people may
    /// read: it grants nothing else, unlike the preferences link).
    /// </summary>
    public string Feedback(string subscriberId, string storyId) => Link("feedback", _tokens.Value.Create(FeedbackPurpose, subscriberId + "/" + storyId, options.Value.UnsubscribeLinkLifetime));

    /// <summary>The subscriber and story of a genuine, unexpired feedback token; otherwise null.</summary>
    public (string SubscriberId, string StoryId)? VerifyFeedback(string? token) =>
        _tokens.Value.Verify(token, FeedbackPurpose) is { } subject && subject.IndexOf('/', StringComparison.Ordinal) is var bar and > 0
            ? (subject[..bar], subject[(bar + 1)..])
            : null;

    /// <summary>
    /// A story's public page (every article, source and piece of evidence): it reads, it changes nothing, and it names
    /// no subscriber, so the same link goes to everyone and may be shared. Signed so that stories cannot be listed by id.
    /// </summary>
    public string Story(string storyId) => Link("story", _tokens.Value.Create(StoryPurpose, storyId, options.Value.UnsubscribeLinkLifetime));

    /// <summary>The story id of a genuine, unexpired story token; otherwise null.</summary>
    public string? VerifyStory(string? token) => _tokens.Value.Verify(token, StoryPurpose);

    /// <summary>The subscriber id of a genuine, unexpired unsubscribe token; otherwise null.</summary>
    public string? VerifyUnsubscribe(string? token) => _tokens.Value.Verify(token, UnsubscribePurpose);

    private const char Generation = '~';

    private string Link(string route, string token) => options.Value.PublicBaseUrl.TrimEnd('/') + "/api/" + route + "?token=" + token;
}

/// <summary>Whom a confirmation link is for: the subscriber id and the creation time (Unix ms) of the record it was mailed for.</summary>
public sealed record ConfirmTarget(string SubscriberId, long? CreatedAt)
{
    /// <summary>True when <paramref name="subscriber"/> is the record the link was mailed for (not one created again since).</summary>
    public bool Matches(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return CreatedAt is null || subscriber.CreatedAt.ToUnixTimeMilliseconds() == CreatedAt;
    }
}
