using System.Net;
using Alerts.Core.Digests;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Alerts.Infrastructure.Email;

/// <summary>
/// Sends through SendGrid's v3 mail API with the official client: one request per message, one personalization per
/// recipient with their own unsubscribe link (a substitution and the List-Unsubscribe headers, RFC 8058) and delivery id
/// (custom args). 202 is accepted; 429 is retried after Retry-After or X-RateLimit-Reset; 5xx and timeouts are retried;
/// any other 4xx is a refusal.
/// </summary>
public sealed class SendGridEmailSender : IEmailSender
{
    private readonly SendGridClient _client;
    private readonly TimeProvider _time;

    public SendGridEmailSender(HttpClient http, IOptions<SendGridOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new InvalidOperationException("SendGrid:ApiKey is required when Email:Provider is SendGrid.");
        }

        http.Timeout = settings.Timeout;
        _client = new SendGridClient(http, new SendGridClientOptions { ApiKey = settings.ApiKey, Host = settings.BaseUrl.TrimEnd('/') });
        _time = time;
    }

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Response response;
        try
        {
            response = await _client.SendEmailAsync(ToSendGrid(message), cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendStatus.Retry, null, "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(SendStatus.Retry, null, "network: " + ex.Message);
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Accepted || status is >= 200 and < 300)
        {
            return new SendResult(SendStatus.Accepted);
        }

        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
        var error = $"HTTP {status}: {Clip(body)}";
        return status switch
        {
            429 => new SendResult(SendStatus.Retry, Http.RetryAfterHeader.From(response.Headers, _time), error),
            >= 500 => new SendResult(SendStatus.Retry, Http.RetryAfterHeader.From(response.Headers, _time), error),
            _ => new SendResult(SendStatus.Rejected, null, error),
        };
    }

    /// <summary>The mail/send body: shared content with the unsubscribe placeholder, one personalization per recipient.</summary>
    internal static SendGridMessage ToSendGrid(EmailMessage message)
    {
        var mail = new SendGridMessage
        {
            From = new EmailAddress(message.From, DigestRenderer.OneLine(message.FromName)),
            Subject = DigestRenderer.OneLine(message.Content.Subject),
            PlainTextContent = message.Content.Text,
            HtmlContent = message.Content.Html,
            Personalizations = [],
            Categories = [message.Category],
            // Message-level (AddCustomArg would add to a personalization).
            CustomArgs = new Dictionary<string, string> { ["batch_id"] = message.BatchId },
        };
        foreach (var recipient in message.Recipients)
        {
            mail.Personalizations.Add(new Personalization
            {
                Tos = [new EmailAddress(recipient.To)],
                Substitutions = new Dictionary<string, string> { [EmailMessage.UnsubscribePlaceholder] = recipient.UnsubscribeUrl, [EmailMessage.PreferencesPlaceholder] = recipient.PreferencesUrl },
                Headers = new Dictionary<string, string>
                {
                    ["List-Unsubscribe"] = "<" + recipient.UnsubscribeUrl + ">",
                    ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
                },
                CustomArgs = new Dictionary<string, string> { ["delivery_id"] = recipient.DeliveryId },
            });
        }

        return mail;
    }

    private static string Clip(string value) => value.Length <= 500 ? value : value[..500];
}
