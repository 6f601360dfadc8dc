using System.Security.Cryptography;
using System.Text;

namespace Alerts.Core.Subscriptions;

/// <summary>
/// HMAC-SHA256 signed tokens for unsubscribe and confirmation links: <c>base64url(purpose|subscriber|expiry).base64url(mac)</c>.
/// Verification compares in constant time and checks purpose and expiry.
/// </summary>
public sealed class SignedTokens(byte[] key, TimeProvider time)
{
    private readonly byte[] _key = key is { Length: >= 32 } ? key : throw new ArgumentException("The signing key needs at least 32 bytes.", nameof(key));

    public string Create(string purpose, string subscriberId, TimeSpan validFor)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentException.ThrowIfNullOrEmpty(subscriberId);
        var expires = (time.GetUtcNow() + validFor).ToUnixTimeSeconds();
        var payload = Encoding.UTF8.GetBytes($"{purpose}|{subscriberId}|{expires}");
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>The subscriber id when the token is genuine, for this purpose and not expired; otherwise null.</summary>
    public string? Verify(string? token, string purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryFromBase64Url(token[..dot], out var payload) || !TryFromBase64Url(token[(dot + 1)..], out var mac))
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|');
        if (parts.Length != 3 || parts[0] != purpose || !long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var expires)
            || expires < time.GetUtcNow().ToUnixTimeSeconds()) // compared as numbers: any long is a valid (if odd) expiry
        {
            return null;
        }

        return parts[1];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) && (bytes = bytes[..written]).Length > 0;
    }
}
