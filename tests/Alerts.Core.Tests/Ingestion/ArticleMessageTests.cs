using System.Text;
using System.Text.Json;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;

namespace Alerts.Core.Tests.Ingestion;

public class ArticleMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static Article Article(string content) => new()
    {
        Id = "0123456789abcdef0123456789abcdef",
        FeedId = "f1",
        Key = "url:https://wire.example/a",
        Url = "https://wire.example/a",
        Title = "Curfew declared",
        Summary = "Short summary",
        Content = content,
    };

    [Fact]
    public void From_ShortArticle_KeepsEverything()
    {
        var message = ArticleMessage.From(Article("Full text."), Now);

        Assert.Equal("Full text.", message.Content);
        Assert.False(message.ContentTruncated);
        Assert.Equal(Now, message.DiscoveredAt);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("é")]
    [InlineData("\"<>&")] // characters JSON escapes to six bytes
    [InlineData("😀")]
    public void From_LongArticle_CutsContentToFitBudget(string unit)
    {
        var content = new StringBuilder().Insert(0, unit, 200_000).ToString();

        var message = ArticleMessage.From(Article(content), Now, maxJsonBytes: 32 * 1024);
        var json = JsonSerializer.SerializeToUtf8Bytes(message, ArticleMessage.JsonOptions);

        Assert.True(json.Length <= 32 * 1024, $"{json.Length} bytes");
        Assert.True(Convert.ToBase64String(json).Length < 48 * 1024);
        Assert.True(message.ContentTruncated);
        Assert.True(message.Content.Length > 4000, $"{message.Content.Length} chars");
        Assert.StartsWith(message.Content, content, StringComparison.Ordinal);
    }
}
