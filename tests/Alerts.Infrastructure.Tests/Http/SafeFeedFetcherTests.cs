using System.Net;
using System.Text;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Http;
using Alerts.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Tests.Http;

public sealed class SafeFeedFetcherTests : IAsyncLifetime
{
    private const string Rss = "<rss version=\"2.0\"><channel><title>Loopback</title><item><title>One</title><link>https://a.example/1</link></item></channel></rss>";
    private FeedServer _server = null!;

    public async Task InitializeAsync() => _server = await FeedServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static SafeFeedFetcher Fetcher(bool allowLoopback = true, IHostResolver? resolver = null, TimeSpan? timeout = null, long? maxBody = null)
    {
        var options = new FetcherOptions { AllowLoopback = allowLoopback };
        if (timeout is { } t)
        {
            options.Timeout = t;
        }

        if (maxBody is { } m)
        {
            options.MaxBodyBytes = m;
        }

        var handler = SafeConnector.CreateHandler(resolver ?? new DnsHostResolver(), options);
        return new SafeFeedFetcher(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, Options.Create(options), TimeProvider.System, NullLogger<SafeFeedFetcher>.Instance);
    }

    [Fact]
    public async Task Fetch_Ok_ReturnsBodyValidatorsAndSendsUserAgent()
    {
        var modified = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        _server.Feed("feed", Rss, etag: "\"abc\"", lastModified: modified, cacheControl: "public, max-age=1800");

        var result = await Fetcher().FetchAsync(_server.Url("feed"), null, null, default);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal("\"abc\"", result.ETag);
        Assert.Equal(modified.ToString("R"), result.LastModified);
        Assert.Equal(TimeSpan.FromMinutes(30), result.MaxAge);
        Assert.Equal("utf-8", result.Charset);
        Assert.StartsWith("CrisisAlerts/", _server.Requests.Single().UserAgent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Fetch_CompressedBody_IsDecompressed(string encoding)
    {
        _server.Feed("feed", Rss, encoding: encoding);

        var result = await Fetcher().FetchAsync(_server.Url("feed"), null, null, default);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Body!));
        Assert.Contains(encoding, _server.Requests.Single().AcceptEncoding, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ManyFeedsOnOneSlowHost_WaitForAFreeConnectionOutsideTheDeadline()
    {
        // Twelve feeds on one host that answers in 1.2 s, four connections per host: three rounds, 3.6 s in all. Each
        // fetch's 2.5 s deadline starts when it gets a connection, so none times out while it waits for one.
        for (var i = 0; i < 12; i++)
        {
            _server.Feed($"slow{i}", Rss, delay: TimeSpan.FromSeconds(1.2));
        }

        var fetcher = Fetcher(timeout: TimeSpan.FromSeconds(2.5));
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => fetcher.FetchAsync(_server.Url($"slow{i}"), null, null, default)));

        Assert.All(results, r => Assert.Equal(FetchStatus.Ok, r.Status));
    }

    [Fact]
    public async Task Fetch_MatchingETag_Returns304WithoutBody()
    {
        _server.Feed("feed", Rss, etag: "\"v7\"");

        var result = await Fetcher().FetchAsync(_server.Url("feed"), "\"v7\"", null, default);

        Assert.Equal(FetchStatus.NotModified, result.Status);
        Assert.Null(result.Body);
        Assert.Equal("\"v7\"", _server.Requests.Single().IfNoneMatch);
    }

    [Fact]
    public async Task Fetch_LastModifiedOnly_SendsIfModifiedSince()
    {
        var modified = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        _server.Feed("feed", Rss, etag: null, lastModified: modified);

        var result = await Fetcher().FetchAsync(_server.Url("feed"), null, modified.ToString("R"), default);

        Assert.Equal(FetchStatus.NotModified, result.Status);
        Assert.Equal(modified.ToString("R"), _server.Requests.Single().IfModifiedSince);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Fetch_RateLimited_ReturnsRetryAfter(int status)
    {
        _server.Status("feed", status, retryAfterSeconds: 3600);

        var result = await Fetcher().FetchAsync(_server.Url("feed"), null, null, default);

        Assert.Equal(FetchStatus.TransientFailure, result.Status);
        Assert.Equal(TimeSpan.FromHours(1), result.RetryAfter);
        Assert.Equal(status, result.HttpStatus);
    }

    [Theory]
    [InlineData(404, FetchStatus.PermanentFailure)]
    [InlineData(403, FetchStatus.PermanentFailure)]
    [InlineData(410, FetchStatus.Gone)]
    [InlineData(500, FetchStatus.TransientFailure)]
    [InlineData(502, FetchStatus.TransientFailure)]
    public async Task Fetch_ErrorStatus_IsClassified(int status, FetchStatus expected)
    {
        _server.Status("feed", status);

        var result = await Fetcher().FetchAsync(_server.Url("feed"), null, null, default);

        Assert.Equal(expected, result.Status);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_Redirects_AreFollowedUpToFive()
    {
        _server.Feed("final", Rss);
        for (var i = 1; i <= 5; i++)
        {
            _server.Redirect($"r{i}", i == 5 ? "/final" : $"/r{i + 1}", i % 2 == 0 ? 301 : 307);
        }

        var result = await Fetcher().FetchAsync(_server.Url("r1"), null, null, default);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(_server.Url("final"), result.FinalUrl);
    }

    [Fact]
    public async Task Fetch_SixRedirects_Fails()
    {
        _server.Feed("final", Rss);
        for (var i = 1; i <= 6; i++)
        {
            _server.Redirect($"r{i}", i == 6 ? "/final" : $"/r{i + 1}");
        }

        var result = await Fetcher().FetchAsync(_server.Url("r1"), null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("redirects", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _server.CountRequests("final"));
    }

    [Fact]
    public async Task Fetch_RedirectLoop_FailsFast()
    {
        _server.Redirect("a", "/b");
        _server.Redirect("b", "/a");

        var result = await Fetcher().FetchAsync(_server.Url("a"), null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("Redirect loop", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Fetch_HundredMegabyteBody_IsAbortedAtCap()
    {
        _server.Oversized("huge", 100L * 1024 * 1024);

        var result = await Fetcher().FetchAsync(_server.Url("huge"), null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("larger than 10 MB", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_GzipBomb_IsAbortedAtCapAfterDecompression()
    {
        _server.GzipBomb("bomb", 200L * 1024 * 1024);

        var result = await Fetcher().FetchAsync(_server.Url("bomb"), null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("larger than 10 MB", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_SlowBody_HitsDeadlineThatCoversBody()
    {
        _server.SlowBody("slow", TimeSpan.FromSeconds(30));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await Fetcher(timeout: TimeSpan.FromSeconds(1)).FetchAsync(_server.Url("slow"), null, null, default);

        Assert.Equal(FetchStatus.TransientFailure, result.Status);
        Assert.Contains("Timed out", result.Error, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/feed")]
    [InlineData("http://[::1]:{port}/feed")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/feed")]
    [InlineData("http://localhost:{port}/feed")]
    [InlineData("http://10.0.0.1/feed")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00::1]/feed")]
    public async Task Fetch_InternalAddress_IsRefusedWithoutLoopbackSetting(string template)
    {
        _server.Feed("feed", Rss);
        var url = new Uri(template.Replace("{port}", _server.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var result = await Fetcher(allowLoopback: false).FetchAsync(url, null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("not", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Fetch_NameResolvingToPrivateAddress_IsRefusedAtConnect()
    {
        var resolver = new MapResolver(new() { ["intranet.feeds.test"] = [IPAddress.Parse("10.1.2.3")] });

        var result = await Fetcher(allowLoopback: false, resolver: resolver).FetchAsync(new Uri("http://intranet.feeds.test/rss"), null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("10.1.2.3", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_NameResolvingToLoopback_IsCheckedOnTheConnectedAddress()
    {
        _server.Feed("feed", Rss);
        var resolver = new MapResolver(new() { ["public-looking.feeds.test"] = [IPAddress.Loopback] });
        var url = new Uri($"http://public-looking.feeds.test:{_server.BaseUri.Port}/feed");

        var refused = await Fetcher(allowLoopback: false, resolver: resolver).FetchAsync(url, null, null, default);
        var allowed = await Fetcher(allowLoopback: true, resolver: resolver).FetchAsync(url, null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, refused.Status);
        Assert.Equal(FetchStatus.Ok, allowed.Status);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Fetch_RedirectToPrivateAddress_IsRefusedOnTheHop()
    {
        // The first hop is a "public" name (mapped to the loopback server for the test); it redirects inside.
        var resolver = new MapResolver(new() { ["wire.feeds.test"] = [IPAddress.Loopback] });
        _server.Redirect("feed", "http://169.254.169.254/latest/meta-data/iam");
        var url = new Uri($"http://wire.feeds.test:{_server.BaseUri.Port}/feed");

        var result = await Fetcher(allowLoopback: true, resolver: resolver).FetchAsync(url, null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("169.254.169.254", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_RedirectToNameResolvingPrivate_IsRefusedAtConnect()
    {
        var resolver = new MapResolver(new()
        {
            ["wire.feeds.test"] = [IPAddress.Loopback],
            ["internal.feeds.test"] = [IPAddress.Parse("192.168.10.10")],
        });
        _server.Redirect("feed", "http://internal.feeds.test/admin");
        var url = new Uri($"http://wire.feeds.test:{_server.BaseUri.Port}/feed");

        var result = await Fetcher(allowLoopback: true, resolver: resolver).FetchAsync(url, null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("192.168.10.10", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:70/1")]
    [InlineData("ftp://files.example/feed.xml")]
    public async Task Fetch_NonHttpScheme_IsRefused(string url)
    {
        var result = await Fetcher().FetchAsync(new Uri(url), null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("Only http and https", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_RedirectToFileScheme_IsRefused()
    {
        _server.Redirect("feed", "file:///etc/passwd");

        var result = await Fetcher().FetchAsync(_server.Url("feed"), null, null, default);

        Assert.Equal(FetchStatus.PermanentFailure, result.Status);
        Assert.Contains("Only http and https", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ConnectionRefused_IsTransient()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Fetcher().FetchAsync(new Uri($"http://127.0.0.1:{port}/feed"), null, null, default);

        Assert.Equal(FetchStatus.TransientFailure, result.Status);
    }

    private sealed class MapResolver(Dictionary<string, IPAddress[]> map) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(map.TryGetValue(host, out var addresses) ? addresses : []);
    }
}
