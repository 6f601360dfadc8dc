using System.Runtime.CompilerServices;
using Alerts.Core.Admin;
using Alerts.Core.Scoring;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alerts.Benchmarks.Scoring;

/// <summary>
/// Backtesting a draft of the default list against a window of 10,000 stored articles (~4 KB each, a third mentioning
/// signals): the backtest reads the window and scores its newest <see cref="KeywordListAdmin.MaxStoredArticles"/> twice.
/// Baseline: scoring that many articles once with the live list, in memory. Measured: the admin backtest (live and
/// draft, counts and changes) over articles in memory, and over articles read from the scored-articles table in Azurite
/// (started by the benchmark).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class BacktestBenchmarks
{
    private const int Articles = 10_000;
    private readonly AzuriteFixture _azurite = new();
    private List<ScoredArticle> _articles = [];
    private KeywordListAdmin _inMemory = null!;
    private KeywordListAdmin _azuriteAdmin = null!;
    private string _draft = "";
    private CompiledKeywordLists _live = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        await _azurite.InitializeAsync();
        var clients = _azurite.CreateClients(out _);
        var now = TimeProvider.System.GetUtcNow();
        var sentences = new[]
        {
            "Soldiers opened fire on protesters, killing at least 12 people.",
            "The government imposed a curfew from 8pm and cut the internet nationwide.",
            "Police arrested hundreds of demonstrators overnight.",
        };
        _articles = [.. Enumerable.Range(0, Articles).Select(i => new ScoredArticle
        {
            Id = i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture),
            FeedId = "f1",
            Title = $"Report {i}",
            Content = (i % 3 == 0 ? sentences[i % sentences.Length] + " " : "") + ScoringCorpus.Article(ScoringCorpus.Terms(10), i),
            ScoredAt = now.AddMinutes(-i % 5000),
            Result = ScoreResult.Empty,
        })];
        var table = new TableScoredArticleStore(clients, TimeProvider.System);
        await Parallel.ForEachAsync(_articles, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (a, ct) => await table.SaveAsync(a, ct));

        var lists = new BlobKeywordListStore(clients);
        var provider = new KeywordListProvider(lists, TimeProvider.System, Options.Create(new ScoringOptions()), NullLogger<KeywordListProvider>.Instance);
        _live = (await provider.GetAsync(default)).Compiled;
        var history = new TableKeywordListHistory(clients);
        _inMemory = new KeywordListAdmin(lists, history, provider, new Memory(_articles), TimeProvider.System, NullLogger<KeywordListAdmin>.Instance);
        _azuriteAdmin = new KeywordListAdmin(lists, history, provider, table, TimeProvider.System, NullLogger<KeywordListAdmin>.Instance);
        _draft = DefaultKeywordLists.All["escalation"].Replace("thresholds: watch 2, warning 4, critical 12", "thresholds: watch 12, warning 30, critical 60", StringComparison.Ordinal);
    }

    [GlobalCleanup]
    public Task Cleanup() => _azurite.DisposeAsync();

    [Benchmark(Baseline = true)]
    public int ScoreOnceWithTheLiveList()
    {
        var alerts = 0;
        foreach (var article in _articles.Take(KeywordListAdmin.MaxStoredArticles))
        {
            alerts += KeywordScorer.Score(_live, article.Title, article.Content).Severity >= Severity.Watch ? 1 : 0;
        }

        return alerts;
    }

    [Benchmark]
    public async Task<int> Backtest_InMemory() => Check(await _inMemory.BacktestAsync("escalation", _draft, null, 7, default));

    [Benchmark]
    public async Task<int> Backtest_FromAzurite() => Check(await _azuriteAdmin.BacktestAsync("escalation", _draft, null, 7, default));

    private static int Check((BacktestResult? Result, IReadOnlyList<Alerts.Core.Scoring.ListError> Errors) outcome) =>
        outcome.Result is { Articles: KeywordListAdmin.MaxStoredArticles, MoreInWindow: true, Complete: true, ChangedTotal: > 0 } result ? result.ChangedTotal : throw new InvalidOperationException($"Unexpected backtest: {outcome.Result} live {string.Join(",", outcome.Result?.Live ?? new Dictionary<Severity, int>())} draft {string.Join(",", outcome.Result?.Draft ?? new Dictionary<Severity, int>())} errors {string.Join(";", outcome.Errors)}");

    private sealed class Memory(List<ScoredArticle> articles) : IScoredArticleStore
    {
        public Task SaveAsync(ScoredArticle article, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ScoredArticle?> GetAsync(string articleId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public async IAsyncEnumerable<ScoredArticle> ListNewestAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var article in articles.Where(a => a.ScoredAt >= since).OrderByDescending(a => a.ScoredAt))
            {
                yield return article;
            }

            await Task.CompletedTask;
        }
    }
}
