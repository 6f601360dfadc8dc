using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

public class UrlCanonicalizerTests
{
    [Theory]
    [InlineData("HTTPS://News.Example.COM/World/Story", "https://news.example.com/World/Story")]
    [InlineData("https://news.example.com:443/a", "https://news.example.com/a")]
    [InlineData("http://news.example.com:8080/a", "http://news.example.com:8080/a")]
    [InlineData("https://news.example.com/a#comments", "https://news.example.com/a")]
    [InlineData("https://news.example.com/a?utm_source=rss&utm_medium=feed", "https://news.example.com/a")]
    [InlineData("https://news.example.com/a?id=7&utm_campaign=x&fbclid=abc&page=2", "https://news.example.com/a?id=7&page=2")]
    [InlineData("https://news.example.com/a?GCLID=1", "https://news.example.com/a")]
    [InlineData("https://news.example.com", "https://news.example.com/")]
    [InlineData("https://news.example.com./a", "https://news.example.com/a")]
    public void Canonicalize_NormalizesHttpUrls(string input, string expected) =>
        Assert.Equal(expected, UrlCanonicalizer.Canonicalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.example.com/a")]
    [InlineData("urn:uuid:1234")]
    public void Canonicalize_NonHttp_ReturnsNull(string? input) => Assert.Null(UrlCanonicalizer.Canonicalize(input));
}
