using System.Net;
using System.Net.Sockets;

namespace Alerts.Infrastructure.Http;

/// <summary>
/// Which addresses a feed fetch may connect to: public unicast only. Refuses loopback (unless allowed), private,
/// link-local (including the cloud metadata address 169.254.169.254), CGNAT, benchmarking and documentation ranges,
/// multicast, unique-local and site-local IPv6, ORCHID, SRv6 and IPv6 documentation ranges, and IPv4-mapped,
/// IPv4-translated, IPv4-compatible, NAT64 and 6to4 forms of them.
/// </summary>
public static class AddressPolicy
{
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return IsAllowedV4(address.MapToIPv4(), allowLoopback);
            }

            return IsAllowedV6(address, allowLoopback);
        }

        return address.AddressFamily == AddressFamily.InterNetwork && IsAllowedV4(address, allowLoopback);
    }

    private static bool IsAllowedV4(IPAddress address, bool allowLoopback)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] switch
        {
            0 => false,                                          // "this" network
            10 => false,                                         // private
            127 => allowLoopback,                                // loopback
            100 when b[1] is >= 64 and <= 127 => false,          // CGNAT 100.64.0.0/10
            169 when b[1] == 254 => false,                       // link-local, cloud metadata
            172 when b[1] is >= 16 and <= 31 => false,           // private
            192 when b[1] == 168 => false,                       // private
            192 when b[1] == 0 && b[2] is 0 or 2 => false,       // IETF protocol assignments, TEST-NET-1
            192 when b[1] == 88 && b[2] == 99 => false,          // 6to4 relay anycast
            198 when b[1] is 18 or 19 => false,                  // benchmarking
            198 when b[1] == 51 && b[2] == 100 => false,         // TEST-NET-2
            203 when b[1] == 0 && b[2] == 113 => false,          // TEST-NET-3
            >= 224 => false,                                     // multicast, reserved, broadcast
            _ => true,
        };
    }

    private static bool IsAllowedV6(IPAddress address, bool allowLoopback)
    {
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return allowLoopback;
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (b[..15].IndexOfAnyExcept((byte)0) < 0)
        {
            return false; // :: (unspecified)
        }

        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsAllowedV4(new IPAddress(b[12..]), allowLoopback); // IPv4-compatible ::a.b.c.d
        }

        if (b[..8].IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
        {
            return IsAllowedV4(new IPAddress(b[12..]), allowLoopback); // IPv4-translated ::ffff:0:a.b.c.d (::ffff:0:0/96)
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            return IsAllowedV4(new IPAddress(b[12..]), allowLoopback); // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsAllowedV4(new IPAddress(b[2..6]), allowLoopback); // 6to4 2002::/16
        }

        return !(
            (b[0] & 0xfe) == 0xfc                                   // unique-local fc00::/7
            || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)              // link-local fe80::/10
            || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)              // site-local fec0::/10 (deprecated)
            || b[0] == 0xff                                         // multicast
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) // documentation 2001:db8::/32
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) // Teredo 2001::/32
            || (b[0] == 0x01 && b[1..8].IndexOfAnyExcept((byte)0) < 0)        // discard-only 100::/64
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && (b[3] & 0xf0) is 0x10 or 0x20) // ORCHID 2001:10::/28, ORCHIDv2 2001:20::/28
            || (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0)          // documentation 3fff::/20
            || (b[0] == 0x5f && b[1] == 0x00));                               // SRv6 SIDs 5f00::/16
    }
}

/// <summary>A fetch was refused because of where it would connect (scheme or address).</summary>
public sealed class BlockedDestinationException(string message) : Exception(message);

/// <summary>Resolves host names; replaceable so tests can map names to chosen addresses.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system DNS resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
