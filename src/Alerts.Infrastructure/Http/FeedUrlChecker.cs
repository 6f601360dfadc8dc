using System.Net;
using System.Net.Sockets;
using Alerts.Core.Admin;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Http;

/// <summary>
/// The fetcher's rules applied when a feed is saved: an absolute http(s) URL without credentials whose host is, or
/// resolves only to, addresses <see cref="AddressPolicy"/> allows. A name that does not resolve is refused too.
/// (The fetcher checks again on every connection: DNS can change after saving.)
/// </summary>
public sealed class FeedUrlChecker(IHostResolver resolver, IOptions<FetcherOptions> options) : IFeedUrlChecker
{
    public Task<string?> CheckAsync(string url, CancellationToken cancellationToken) =>
        DestinationCheck.CheckAsync(url, "feed URL", httpsOnly: false, options.Value.AllowLoopback, resolver, cancellationToken);
}

/// <summary>The address rules for any URL the service will connect to (feeds, webhooks), checked when it is saved.</summary>
public static class DestinationCheck
{
    /// <summary>
    /// Null when <paramref name="url"/> is an absolute http(s) URL (https only with <paramref name="httpsOnly"/>, except
    /// http to a loopback host when loopback is allowed) without credentials, whose host is or resolves only to allowed
    /// addresses; otherwise why not, naming the URL as <paramref name="noun"/>.
    /// </summary>
    public static async Task<string?> CheckAsync(string url, string noun, bool httpsOnly, bool allowLoopback, IHostResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return $"The {noun} must be an absolute {(httpsOnly ? "https" : "http or https")} URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"The scheme '{uri.Scheme}' is not allowed: use {(httpsOnly ? "https" : "http or https")}.";
        }

        if (httpsOnly && uri.Scheme == Uri.UriSchemeHttp && !(allowLoopback && uri.IsLoopback))
        {
            return $"The {noun} must use https.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return $"The {noun} must not carry a user name or password.";
        }

        var host = uri.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return AddressPolicy.IsAllowed(literal, allowLoopback) ? null : $"The address {literal} is not public (loopback, private or link-local addresses are refused).";
        }

        var name = host.TrimEnd('.'); // "localhost." is the same name, fully qualified
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return allowLoopback ? null : $"The host '{host}' is loopback.";
        }

        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host '{host}' could not be resolved.";
        }

        if (addresses.Length == 0)
        {
            return $"The host '{host}' could not be resolved.";
        }

        var refused = addresses.FirstOrDefault(a => !AddressPolicy.IsAllowed(a, allowLoopback));
        return refused is null ? null : $"The host '{host}' resolves to {refused}, which is not public (loopback, private or link-local addresses are refused).";
    }
}
