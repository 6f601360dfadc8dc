using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alerts.Core.Channels;
using Alerts.Core.Digests;
using Alerts.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Channels;

/// <summary>
/// Posts channel messages over HTTP, connecting only to addresses <see cref="AddressPolicy"/> allows (checked on the
/// connection itself) and following no redirect. A webhook post carries <c>X-Alerts-Event</c>, <c>Idempotency-Key</c>,
/// <c>X-Alerts-Timestamp</c> and <c>X-Alerts-Signature: v1=</c>hex HMAC-SHA256 of "timestamp.body" under the channel's
/// secret. 2xx is accepted; 429 and 5xx are retried after Retry-After (Telegram's <c>retry_after</c> too); timeouts and
/// network errors are retried; anything else, including a redirect or a refused address, is a refusal.
/// </summary>
public sealed class HttpChannelSender(HttpClient http, IOptions<ChannelOptions> options, TimeProvider time) : IChannelSender
{
    public const string SignatureHeader = "X-Alerts-Signature";
    public const string TimestampHeader = "X-Alerts-Timestamp";
    public const string EventHeader = "X-Alerts-Event";
    public const string IdempotencyHeader = "Idempotency-Key";

    public async Task<SendResult> SendAsync(Channel channel, ChannelMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        string url;
        if (channel.Kind == ChannelKind.Telegram)
        {
            if (settings.TelegramBotToken.Length == 0)
            {
                return new SendResult(SendStatus.Rejected, null, "Channels:TelegramBotToken is not set.");
            }

            url = settings.TelegramApiBaseUrl.TrimEnd('/') + "/bot" + settings.TelegramBotToken + "/sendMessage";
        }
        else
        {
            url = channel.Target;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && settings.AllowLoopback && uri.IsLoopback)))
        {
            return new SendResult(SendStatus.Rejected, null, "The channel's URL is not an https URL.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(message.Json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("User-Agent", settings.UserAgent);
        if (channel.Kind == ChannelKind.Webhook)
        {
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add(EventHeader, message.Event);
            request.Headers.Add(IdempotencyHeader, message.IdempotencyKey);
            request.Headers.Add(TimestampHeader, timestamp);
            request.Headers.Add(SignatureHeader, "v1=" + Sign(channel.Secret ?? "", timestamp, message.Json));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return new SendResult(SendStatus.Accepted); // its body is not waited for: a slow one must not turn acceptance into a retry
            }

            var body = await ReadSomeAsync(response, timeout.Token);

            var error = $"HTTP {status}: {body}";
            return status switch
            {
                429 or >= 500 => new SendResult(SendStatus.Retry, RetryAfterHeader.From(response.Headers, time) ?? TelegramRetryAfter(body), error),
                >= 300 and < 400 => new SendResult(SendStatus.Rejected, null, $"HTTP {status}: the receiver redirects, and redirects are not followed."),
                _ => new SendResult(SendStatus.Rejected, null, error),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendStatus.Retry, null, "timeout");
        }
        catch (HttpRequestException ex) when (Blocked(ex) is { } blocked)
        {
            return new SendResult(SendStatus.Rejected, null, "refused destination: " + blocked.Message);
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(SendStatus.Retry, null, "network: " + ex.HttpRequestError);
        }
        catch (IOException ex)
        {
            return new SendResult(SendStatus.Retry, null, "network: " + ex.GetType().Name); // an answer cut short
        }
    }

    /// <summary>The hex HMAC-SHA256 of "<paramref name="timestamp"/>.<paramref name="body"/>" under <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
    }

    private static BlockedDestinationException? Blocked(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is BlockedDestinationException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    /// <summary>Telegram's 429 body: <c>{"ok":false,"error_code":429,"parameters":{"retry_after":N}}</c>.</summary>
    private static TimeSpan? TelegramRetryAfter(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty("retry_after", out var seconds) && seconds.TryGetInt32(out var n) && n >= 0
                ? TimeSpan.FromSeconds(n)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first 500 characters of the answer, for the error record.</summary>
    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[2000];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length <= 500 ? text : text[..500];
    }
}
