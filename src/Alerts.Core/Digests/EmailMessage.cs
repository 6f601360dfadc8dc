using Alerts.Core.Subscriptions;

namespace Alerts.Core.Digests;

/// <summary>
/// An email ready to send to one or more recipients who get the same content: addresses, one-line subject, both parts,
/// and for each recipient a one-click unsubscribe link. The content holds <see cref="UnsubscribePlaceholder"/> where
/// each recipient's own link goes (SendGrid substitutions; the outbox replaces it).
/// </summary>
public sealed record EmailMessage
{
    /// <summary>Stands for the recipient's unsubscribe URL in the content.</summary>
    public const string UnsubscribePlaceholder = "-unsubscribe-url-";

    /// <summary>Stands for the recipient's preferences page URL in the content.</summary>
    public const string PreferencesPlaceholder = "-preferences-url-";

    /// <summary>At most this many recipients share one message (SendGrid's personalizations limit).</summary>
    public const int MaxRecipients = 1000;

    public required string From { get; init; }
    public string FromName { get; init; } = "Crisis Alerts";
    public required EmailContent Content { get; init; }

    /// <summary>"digest", "breaking" or "confirmation".</summary>
    public required string Category { get; init; }

    /// <summary>Identifies what is sent (digest window, alert) in the provider's custom args.</summary>
    public required string BatchId { get; init; }

    public required IReadOnlyList<EmailRecipient> Recipients { get; init; }

    /// <summary>The content as one recipient receives it.</summary>
    public EmailContent ContentFor(EmailRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return Content with
        {
            Html = Content.Html.Replace(UnsubscribePlaceholder, recipient.UnsubscribeUrl, StringComparison.Ordinal).Replace(PreferencesPlaceholder, recipient.PreferencesUrl, StringComparison.Ordinal),
            Text = Content.Text.Replace(UnsubscribePlaceholder, recipient.UnsubscribeUrl, StringComparison.Ordinal).Replace(PreferencesPlaceholder, recipient.PreferencesUrl, StringComparison.Ordinal),
        };
    }
}

/// <summary>One recipient of a message, with their own unsubscribe and preferences links and delivery id.</summary>
public sealed record EmailRecipient
{
    public EmailRecipient(string to, string unsubscribeUrl, string deliveryId, string? preferencesUrl = null)
    {
        To = EmailAddresses.Normalize(to) ?? throw new ArgumentException($"Not one valid address: '{to}'.", nameof(to));
        UnsubscribeUrl = IsPlainHttpsLink(unsubscribeUrl) ? unsubscribeUrl : throw new ArgumentException("The unsubscribe link must be an absolute http(s) URL without characters that need escaping in HTML.", nameof(unsubscribeUrl));
        PreferencesUrl = preferencesUrl is null ? unsubscribeUrl
            : IsPlainHttpsLink(preferencesUrl) ? preferencesUrl : throw new ArgumentException("The preferences link must be an absolute http(s) URL without characters that need escaping in HTML.", nameof(preferencesUrl));
        DeliveryId = deliveryId;
    }

    /// <summary>The recipient's preferences page (the unsubscribe link when none was given).</summary>
    public string PreferencesUrl { get; }

    public string To { get; }

    /// <summary>An absolute http(s) URL with a signed token (List-Unsubscribe, RFC 8058).</summary>
    public string UnsubscribeUrl { get; }

    /// <summary>The delivery record's key (subscriber/delivery).</summary>
    public string DeliveryId { get; }

    // The same link goes into HTML, text and a header unchanged, so it must need no escaping in any of them.
    private static bool IsPlainHttpsLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && url.All(c => c > ' ' && c < 127 && c is not ('&' or '<' or '>' or '"' or '\'' or '\\'));
}

/// <summary>How a send attempt ended.</summary>
public enum SendStatus
{
    /// <summary>The provider took the message (SendGrid 202, or written to the outbox).</summary>
    Accepted,

    /// <summary>Try again after <see cref="SendResult.RetryAfter"/> (429, 5xx, timeout).</summary>
    Retry,

    /// <summary>The provider refused the message for good (other 4xx): record it, do not retry.</summary>
    Rejected,
}

/// <summary>The outcome of one send attempt.</summary>
public sealed record SendResult(SendStatus Status, TimeSpan? RetryAfter = null, string? Error = null);

/// <summary>Sends email: SendGrid in production, an outbox folder locally.</summary>
public interface IEmailSender
{
    /// <summary>Sends one message to all its recipients in one request.</summary>
    Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
