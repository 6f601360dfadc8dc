using System.Runtime.CompilerServices;
using Alerts.Core.Admin;
using Alerts.Core.Scoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Core.Tests.Admin;

/// <summary>Backtests stay bounded: a sample of the newest stored articles, a time limit, the caller's cancellation.</summary>
public sealed class KeywordListAdminTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly string Draft = DefaultKeywordLists.All["escalation"].Replace("phrase: curfew | curfews", "phrase: curfewxx", StringComparison.Ordinal);

    private KeywordListAdmin Admin(IScoredArticleStore articles) =>
        new(new OneList(), new NoHistory(), new KeywordListProvider(new OneList(), _time, Options.Create(new ScoringOptions()), NullLogger<KeywordListProvider>.Instance), articles, _time, NullLogger<KeywordListAdmin>.Instance);

    private ScoredArticle Article(int i) => new()
    {
        Id = $"a{i:D5}",
        FeedId = "f",
        Title = i % 10 == 0 ? $"Curfew imposed in district {i:D5}" : $"Market report {i}",
        Content = "The city council met on Tuesday.",
        ScoredAt = _time.GetUtcNow().AddSeconds(-i), // a0 is the newest
        Result = ScoreResult.Empty,
    };

    [Fact]
    public async Task Backtest_StoredArticles_ScoresTheNewestSampleAndSaysSo()
    {
        var count = KeywordListAdmin.MaxStoredArticles + 500;
        var store = new Articles([.. Enumerable.Range(0, count).Select(Article)]); // newest first, as the store reads them

        var (result, errors) = await Admin(store).BacktestAsync("escalation", Draft, null, 7, default);

        Assert.Empty(errors);
        Assert.Equal((KeywordListAdmin.MaxStoredArticles, true, true), (result!.Articles, result.MoreInWindow, result.Complete));
        Assert.Contains($"the newest {KeywordListAdmin.MaxStoredArticles} articles stored in the last 7 day(s)", result.Note, StringComparison.Ordinal);
        Assert.Equal(KeywordListAdmin.MaxStoredArticles + 1, store.Read); // one past the sample, to know there are more; nothing older
        Assert.Equal(KeywordListAdmin.MaxStoredArticles / 10, result.DroppedAlerts); // the curfew articles of the sample, no older one
        Assert.DoesNotContain(result.Changes, c => string.CompareOrdinal(c.Id, $"a{KeywordListAdmin.MaxStoredArticles:D5}") >= 0);
    }

    [Fact]
    public async Task Backtest_PastTheTimeLimit_AnswersWithWhatItHas()
    {
        var store = new Articles([.. Enumerable.Range(0, 50).Select(Article)], onRead: i => { if (i == 20) _time.Advance(KeywordListAdmin.TimeLimit + TimeSpan.FromSeconds(1)); });

        var (result, _) = await Admin(store).BacktestAsync("escalation", Draft, null, 7, default);

        Assert.False(result!.Complete);
        Assert.True(result.Articles < 50, result.Articles.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Stopped after", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_CallerCancels_Stops()
    {
        using var cancel = new CancellationTokenSource();
        var store = new Articles([.. Enumerable.Range(0, 50).Select(Article)], onRead: i => { if (i == 10) cancel.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Admin(store).BacktestAsync("escalation", Draft, null, 7, cancel.Token));
    }

    private sealed class Articles(List<ScoredArticle> items, Action<int>? onRead = null) : IScoredArticleStore
    {
        public Task SaveAsync(ScoredArticle article, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ScoredArticle?> GetAsync(string articleId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public int Read { get; private set; }

        public async IAsyncEnumerable<ScoredArticle> ListNewestAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < items.Count; i++)
            {
                Read++;
                onRead?.Invoke(i);
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
                yield return items[i];
            }
        }
    }

    private sealed class OneList : IKeywordListStore
    {
        public Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["escalation"] = "\"1\"" });

        public Task<StoredKeywordList?> GetAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult<StoredKeywordList?>(new StoredKeywordList(name, DefaultKeywordLists.All["escalation"], "\"1\"", DateTimeOffset.UnixEpoch));

        public Task<string?> TrySaveAsync(string name, string document, string? ifMatch, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> TryDeleteAsync(string name, string ifMatch, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class NoHistory : IKeywordListHistory
    {
        public Task<KeywordListVersion> AppendAsync(KeywordListVersion version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<KeywordListVersion>> ListAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<KeywordListVersion?> GetAsync(string name, int number, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("list: a\nversion: 1\nthresholds: watch 2, warning 4, critical 10\n", 4, "list: a\nversion: 4\nthresholds: watch 2, warning 4, critical 10\n")]
    [InlineData("list: a\nversion: 2 # reviewed\n", 3, "list: a\nversion: 3 # reviewed\n")]
    [InlineData("# header\nlist: a\r\nthresholds: watch 2, warning 4, critical 10\r\n", 2, "# header\nlist: a\r\nversion: 2\r\nthresholds: watch 2, warning 4, critical 10\r\n")]
    [InlineData("signal: x\n  version: 9\n", 5, "signal: x\n  version: 9\n")] // no list line, and an indented field is not the list's version
    public void WithVersion_SetsOrAddsTheTopLevelLine_SoThereIsOneVersionNumber(string document, int number, string expected)
    {
        Assert.Equal(expected, KeywordListAdmin.WithVersion(document, number));
    }
}
