using System.ComponentModel.DataAnnotations;

namespace Alerts.Infrastructure.Channels;

/// <summary>Delivery channels besides email (configuration section "Channels").</summary>
public sealed class ChannelOptions : IValidatableObject
{
    public const string Section = "Channels";

    /// <summary>
    /// Allow loopback receivers (http://127.0.0.1:…) for local use and tests, and any host for Slack and Teams URLs.
    /// Private and link-local addresses stay refused even then. Default: false.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>How long one post may take before it counts as a timeout (and is retried). Default: 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The Telegram bot's token (a Key Vault reference in Azure); Telegram channels cannot be added without it.</summary>
    public string TelegramBotToken { get; set; } = "";

    /// <summary>The Bot API's base URL: https://api.telegram.org, or a local Bot API server or test endpoint.</summary>
    [Required]
    public string TelegramApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>The User-Agent of every post.</summary>
    [Required]
    public string UserAgent { get; set; } = "CrisisAlerts/1.0 (alert delivery; +https://github.com/crisis-alerts/crisis-alerts)";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(TelegramApiBaseUrl, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            yield return new ValidationResult("Channels:TelegramApiBaseUrl must be an absolute https URL (http only for a loopback test endpoint).", [nameof(TelegramApiBaseUrl)]);
        }

        if (TelegramBotToken.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(TelegramBotToken, "^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$"))
        {
            yield return new ValidationResult("Channels:TelegramBotToken must look like '123456:ABC-…' (the token BotFather gave).", [nameof(TelegramBotToken)]);
        }
    }
}
