using System.Collections.Concurrent;

namespace Alerts.Infrastructure.Http;

/// <summary>
/// At most <see cref="PerHost"/> fetches at a time to one host, the same number as the handler's connections per
/// server. A fetch waits for its turn here, before its deadline starts, so that 30 feeds on one slow host are fetched
/// four at a time instead of timing out while they wait for a pooled connection. One instance per process (a singleton).
/// </summary>
public sealed class HostGates
{
    /// <summary>Fetches at a time per host (and connections per server in <see cref="SafeConnector"/>).</summary>
    public const int PerHost = 4;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for a turn at <paramref name="url"/>'s host (and port); dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var gate = _gates.GetOrAdd(url.Authority, _ => new SemaphoreSlim(PerHost, PerHost));
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
