using System.Net;
using System.Net.Sockets;

namespace Alerts.Infrastructure.Http;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> that enforces <see cref="AddressPolicy"/> on the address
/// actually connected to, so DNS rebinding and redirects to internal names cannot slip past a check made earlier.
/// </summary>
internal sealed class SafeConnector(IHostResolver resolver, bool allowLoopback)
{
    public static SocketsHttpHandler CreateHandler(IHostResolver resolver, FetcherOptions options) => new()
    {
        AllowAutoRedirect = false, // every hop is checked by SafeFeedFetcher
        AutomaticDecompression = DecompressionMethods.All,
        UseCookies = false,
        UseProxy = false, // a proxy would connect on our behalf, past the address check
        ConnectTimeout = options.Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = HostGates.PerHost,
        ConnectCallback = new SafeConnector(resolver, options.AllowLoopback).ConnectAsync,
    };

    /// <summary>A handler for posting to receivers (webhooks, Slack, Teams, Telegram): the same address rules, no redirects.</summary>
    public static SocketsHttpHandler CreatePostingHandler(IHostResolver resolver, bool allowLoopback, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = HostGates.PerHost,
        ConnectCallback = new SafeConnector(resolver, allowLoopback).ConnectAsync,
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken);
        var allowed = addresses.Where(a => AddressPolicy.IsAllowed(a, allowLoopback)).ToArray();
        if (allowed.Length == 0)
        {
            throw new BlockedDestinationException(addresses.Length == 0
                ? $"'{host}' did not resolve to any address."
                : $"'{host}' resolves to an address the service may not connect to ({addresses[0]}).");
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
