using System.Net;
using Alerts.Infrastructure.Http;

namespace Alerts.Testing;

/// <summary>
/// DNS for tests on a machine without internet: names under .example resolve to a public address
/// (93.184.216.34), names under .internal.test to a private one (10.1.2.3), names under .metadata.test to
/// 169.254.169.254; anything else goes to the system resolver (localhost).
/// </summary>
public sealed class TestHostResolver : IHostResolver
{
    private readonly DnsHostResolver _system = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.EndsWith(".example", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") });
        }

        if (host.EndsWith(".internal.test", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.1.2.3") });
        }

        if (host.EndsWith(".metadata.test", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") });
        }

        return _system.ResolveAsync(host, cancellationToken);
    }
}
