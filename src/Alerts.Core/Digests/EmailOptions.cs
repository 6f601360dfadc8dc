using System.ComponentModel.DataAnnotations;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Digests;

/// <summary>
/// Who email comes from, where its links point, how links are signed, and how sending behaves (configuration section
/// "Email"). Validated when the host starts.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    /// <summary>The sender address (a verified sender in SendGrid).</summary>
    [Required, OneAddress]
    public string FromAddress { get; set; } = "";

    public string FromName { get; set; } = "Crisis Alerts";

    /// <summary>
    /// The public address of the Functions app, e.g. https://alerts.example.org. Confirmation and unsubscribe links
    /// point to {PublicBaseUrl}/api/confirm and /api/unsubscribe. https, or http for a loopback host when running locally.
    /// </summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The HMAC-SHA256 key for confirmation and unsubscribe links, Base64, at least 32 bytes (a Key Vault reference in Azure).</summary>
    [Required]
    public string SigningKey { get; set; } = "";

    /// <summary>At most this many immediate alerts per subscriber per hour; the rest fold into the next digest. Default: 5.</summary>
    [Range(0, 100)]
    public int MaxImmediatePerHour { get; set; } = 5;

    /// <summary>Stories shown in one digest, most severe and newest first; the rest are counted in a closing line. Default: 50.</summary>
    [Range(5, 500)]
    public int MaxDigestItems { get; set; } = 50;

    /// <summary>Recipients of identical content share one request, up to this many. Default: 1000 (SendGrid's limit); 1 sends one request per recipient.</summary>
    [Range(1, EmailMessage.MaxRecipients)]
    public int MaxRecipientsPerRequest { get; set; } = EmailMessage.MaxRecipients;

    /// <summary>Requests to the provider in flight at once. Default: 8.</summary>
    [Range(1, 64)]
    public int SendConcurrency { get; set; } = 8;

    /// <summary>Attempts per request within one run (429, 5xx, timeout) before deferring to the next run. Default: 4.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First backoff after a 5xx or timeout; doubles each attempt. Default: 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A retry that must wait longer than this (a long Retry-After) is deferred to a later run instead. Default: 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxInlineWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an instance owns a delivery while sending it; after a crash mid-send, the delivery is taken over when
    /// it ends (the worst-case extra delay of that email). It must cover a whole send: with SendGrid, MaxAttempts
    /// requests of SendGrid:Timeout each and the waits between them (at most MaxInlineWait), checked at start.
    /// Default: 6 minutes (4 × 30 s + 3 × 60 s = 5 minutes, plus margin).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>How long an unsubscribe link keeps working. Default: 400 days.</summary>
    [Range(typeof(TimeSpan), "30.00:00:00", "3650.00:00:00")]
    public TimeSpan UnsubscribeLinkLifetime { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How long a confirmation link keeps working. Default: 7 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ConfirmLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The signing key's bytes.</summary>
    public byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl.Length > 0
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
                || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            yield return new ValidationResult("Email:PublicBaseUrl must be an absolute https URL (http only for a loopback host) without query or fragment.", [nameof(PublicBaseUrl)]);
        }

        byte[]? key = null;
        if (SigningKey.Length > 0)
        {
            try
            {
                key = SigningKeyBytes();
            }
            catch (FormatException)
            {
            }
        }

        if (SigningKey.Length > 0 && key is not { Length: >= 32 })
        {
            yield return new ValidationResult("Email:SigningKey must be Base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`).", [nameof(SigningKey)]);
        }
    }
}

/// <summary>
/// One valid email address (an attribute, not part of <see cref="EmailOptions.Validate"/>, so that it is reported
/// together with the other fields' errors: the object-level check runs only once every attribute passes).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneAddressAttribute : ValidationAttribute
{
    public OneAddressAttribute()
        : base("Email:FromAddress is not one valid address.")
    {
    }

    public override bool IsValid(object? value) => value is not string { Length: > 0 } text || EmailAddresses.Normalize(text) is not null;
}
