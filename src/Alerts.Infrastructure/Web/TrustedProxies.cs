using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The reverse proxies whose X-Forwarded-For entries are believed (options section "Proxies"): addresses in
/// <see cref="KnownProxies"/> and CIDR ranges in <see cref="KnownNetworks"/>, e.g. Azure Front Door's back-end ranges.
/// Everything else that sends the header is the client itself, so a client cannot pick its own address (and with it
/// its own rate-limit bucket).
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxies";

    public IList<string> KnownProxies { get; } = [];

    public IList<string> KnownNetworks { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Proxies:KnownProxies: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"Proxies:KnownNetworks: '{network}' is not a CIDR range such as 147.243.0.0/16.", [nameof(KnownNetworks)]);
        }
    }
}

public static class TrustedProxies
{
    /// <summary>
    /// ASP.NET Core's forwarded-headers handling with the configured proxies. <paramref name="hostOnLoopback"/>: the
    /// requests come through a host on this machine that adds the header itself (the Functions host in front of its
    /// worker), so loopback stays trusted; otherwise (<c>alerts serve</c>, where every client is on loopback) only the
    /// configured proxies are.
    /// </summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, bool hostOnLoopback)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(new ProxyMode(hostOnLoopback));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>());
        return services;
    }

    private sealed record ProxyMode(bool HostOnLoopback);

    private sealed class ForwardedHeadersSetup(IOptions<ProxyOptions> proxies, ProxyMode mode) : IConfigureOptions<ForwardedHeadersOptions>
    {
        public void Configure(ForwardedHeadersOptions options)
        {
            options.ForwardedHeaders |= ForwardedHeaders.XForwardedFor;
            options.ForwardLimit = null; // walk back through every trusted proxy, and stop at the first address that is not one
            if (!mode.HostOnLoopback)
            {
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
            }

            foreach (var proxy in proxies.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
            {
                options.ForwardedHeaders = ForwardedHeaders.None; // with both lists empty the middleware would trust everyone
            }
        }
    }
}
