namespace Alerts.Core.Digests;

/// <summary>An email ready to send: addresses, one-line subject, both parts, and its one-click unsubscribe link.</summary>
public sealed record EmailMessage
{
    public required string From { get; init; }
    public string FromName { get; init; } = "Crisis Alerts";
    public required string To { get; init; }
    public required EmailContent Content { get; init; }

    /// <summary>https URL with a signed token; sent as List-Unsubscribe with List-Unsubscribe-Post (RFC 8058).</summary>
    public required string UnsubscribeUrl { get; init; }

    /// <summary>"digest", "breaking" or "confirmation".</summary>
    public required string Category { get; init; }

    /// <summary>Identifies the delivery (digest id, alert id) for the provider's custom args and for idempotency.</summary>
    public required string DeliveryId { get; init; }
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
    Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
