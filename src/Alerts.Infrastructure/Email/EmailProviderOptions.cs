using System.ComponentModel.DataAnnotations;

namespace Alerts.Infrastructure.Email;

/// <summary>Which sender delivers email (configuration section "Email", next to the domain's <c>EmailOptions</c>).</summary>
public sealed class EmailProviderOptions
{
    /// <summary>"SendGrid" (production) or "Outbox" (write .eml files into <see cref="OutboxFolder"/>, for local use). Default: Outbox.</summary>
    [Required, RegularExpression("^(SendGrid|Outbox)$", ErrorMessage = "Email:Provider must be SendGrid or Outbox.")]
    public string Provider { get; set; } = "Outbox";

    /// <summary>The outbox folder. Default: "outbox" under the working directory.</summary>
    public string OutboxFolder { get; set; } = "outbox";
}

/// <summary>The SendGrid connection (configuration section "SendGrid").</summary>
public sealed class SendGridOptions : IValidatableObject
{
    public const string Section = "SendGrid";

    /// <summary>The API key (a Key Vault reference in Azure). Required when the provider is SendGrid.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The API's base URL: https://api.sendgrid.com, https://api.eu.sendgrid.com for the EU region, or a test endpoint.</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://api.sendgrid.com";

    /// <summary>How long one request may take before it counts as a timeout (and is retried). Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            yield return new ValidationResult("SendGrid:BaseUrl must be an absolute https URL (http only for a loopback test endpoint).", [nameof(BaseUrl)]);
        }
    }
}
