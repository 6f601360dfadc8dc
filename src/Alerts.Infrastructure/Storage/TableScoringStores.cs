using System.Text.Json;
using Alerts.Core.Ingestion;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Scored articles in Azure Tables (PK: first two hex digits of the id, RK: the id); saves replace. Each is written a
/// second time under its day ("t20261205", RK: newest first, then the id), so that the newest of a window are read
/// from the newest day down, a page at a time, without reading older ones.
/// </summary>
public sealed class TableScoredArticleStore : IScoredArticleStore
{
    private const string DayPrefix = "t";

    /// <summary>How far back the day rows are read: beyond any retention (90 days by default), one query per day.</summary>
    private static readonly TimeSpan MaxDaysBack = TimeSpan.FromDays(400);
    private readonly TableClient _table;
    private readonly Lazily _created;
    private readonly TimeProvider _time;

    public TableScoredArticleStore(StorageClients clients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _time = time;
        _table = clients.Table(clients.Options.ScoredArticlesTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task SaveAsync(ScoredArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        await _created.EnsureAsync(cancellationToken);
        var entity = new TableEntity(TableKeys.Partition(article.Id), article.Id)
        {
            ["FeedId"] = article.FeedId,
            ["Url"] = article.Url,
            ["Title"] = TableKeys.Clip(article.Title, 2000),
            ["Published"] = article.Published,
            ["Language"] = article.Language,
            ["LanguageCovered"] = article.LanguageCovered,
            ["ScoredAt"] = article.ScoredAt,
            ["Severity"] = article.Result.Severity.ToString(),
            ["Score"] = article.Result.Score,
            ["Signals"] = string.Join(",", article.Result.Signals.Select(s => s.Id)),
            ["Result"] = JsonSerializer.Serialize(Trimmed(article.Result), ArticleMessage.JsonOptions),
            ["Lists"] = string.Join(",", article.Lists),
            ["Countries"] = string.Join(",", article.Countries),
            ["SourceCountry"] = article.SourceCountry,
            ["Regions"] = string.Join(",", article.Regions),
            ["Places"] = article.Places.Count == 0 ? null : JsonSerializer.Serialize(article.Places, ArticleMessage.JsonOptions),
            ["StoryId"] = article.StoryId,
            ["Content"] = TableKeys.Clip(article.Content, 30_000),
        };
        var byDay = new TableEntity(entity) { PartitionKey = Day(article.ScoredAt), RowKey = Memory.RecordOrder.Newest(article.ScoredAt) + "_" + article.Id };
        await Task.WhenAll(
            _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
            _table.UpsertEntityAsync(byDay, TableUpdateMode.Replace, cancellationToken));
    }

    public async IAsyncEnumerable<ScoredArticle> ListNewestAsync(DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal); // an article scored twice (a retry) has two day rows
        var last = Memory.RecordOrder.Newest(since) + "_~";
        var now = _time.GetUtcNow();
        var oldest = (since > now - MaxDaysBack ? since : now - MaxDaysBack).UtcDateTime.Date;
        for (var day = now.UtcDateTime.Date.AddDays(1); day >= oldest; day = day.AddDays(-1))
        {
            var partition = Day(day);
            await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey le {last}"), maxPerPage: 500, cancellationToken: cancellationToken))
            {
                var article = ToArticle(e);
                if (seen.Add(article.Id))
                {
                    yield return article;
                }
            }
        }
    }

    public async Task<ScoredArticle?> GetAsync(string articleId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(articleId), articleId, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        return ToArticle(response.Value!);
    }

    private static ScoredArticle ToArticle(TableEntity e) => new()
        {
            Id = e.PartitionKey.StartsWith(DayPrefix, StringComparison.Ordinal) ? e.RowKey[(e.RowKey.IndexOf('_', StringComparison.Ordinal) + 1)..] : e.RowKey,
            FeedId = e.GetString("FeedId") ?? "",
            Url = e.GetString("Url"),
            Title = e.GetString("Title") ?? "",
            Published = e.GetDateTimeOffset("Published"),
            Language = e.GetString("Language"),
            LanguageCovered = e.GetBoolean("LanguageCovered") ?? true,
            ScoredAt = e.GetDateTimeOffset("ScoredAt") ?? DateTimeOffset.MinValue,
            Result = JsonSerializer.Deserialize<ScoreResult>(e.GetString("Result") ?? "null", ArticleMessage.JsonOptions) ?? ScoreResult.Empty,
            Lists = (e.GetString("Lists") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Countries = (e.GetString("Countries") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            SourceCountry = e.GetString("SourceCountry"),
            Regions = (e.GetString("Regions") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Places = e.GetString("Places") is { } places ? JsonSerializer.Deserialize<ArticlePlace[]>(places, ArticleMessage.JsonOptions) ?? [] : [],
            StoryId = e.GetString("StoryId"),
            Content = e.GetString("Content") ?? "",
        };

    private static string Day(DateTimeOffset time) => DayPrefix + time.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    // A table property holds at most 32K characters: keep the evidence, cap the list of cancelled candidates.
    private static ScoreResult Trimmed(ScoreResult result) => result.Cancelled.Count <= 20 ? result : result with { Cancelled = result.Cancelled.Take(20).ToArray() };
}

/// <summary>Alerts in Azure Tables, one row per story, with the breaking hand-off state on the row.</summary>
public sealed class TableAlertStore : IAlertStore
{
    private const string Claimed = "claimed";
    private const string Queued = "queued";
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableAlertStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.AlertsTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task<bool> TryAddAsync(AlertRecord alert, DateTimeOffset? breakingClaimedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await _created.EnsureAsync(cancellationToken);
        var row = ToEntity(alert);
        if (breakingClaimedUntil is { } until)
        {
            row["BreakingState"] = Claimed;
            row["BreakingClaimedUntil"] = until;
        }

        try
        {
            await _table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<AlertRecord?> GetAsync(string storyId, CancellationToken cancellationToken) => (await ReadAsync(storyId, cancellationToken))?.Alert;

    public async Task<AlertUpdate> UpdateAsync(string storyId, Func<AlertRecord, AlertRecord> change, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _created.EnsureAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(storyId), storyId, cancellationToken: cancellationToken);
            if (!response.HasValue)
            {
                return new AlertUpdate(null, BreakingClaim.None);
            }

            var e = response.Value!;
            var current = ToAlert(e);
            var updated = change(current);
            var claim = updated.Severity != Severity.Critical ? BreakingClaim.None
                : e.GetString("BreakingState") == Queued ? BreakingClaim.AlreadyQueued
                : e.GetString("BreakingState") == Claimed && e.GetDateTimeOffset("BreakingClaimedUntil") is { } until && until > now ? BreakingClaim.Held(until)
                : BreakingClaim.Won;
            if (ReferenceEquals(updated, current) && !claim.Claimed)
            {
                return new AlertUpdate(current, claim);
            }

            // Merge keeps the breaking hand-off columns as they are, unless this write claims it.
            var row = ToEntity(updated);
            if (claim.Claimed)
            {
                row["BreakingState"] = Claimed;
                row["BreakingClaimedUntil"] = now + lease;
            }

            try
            {
                await _table.UpdateEntityAsync(row, e.ETag, TableUpdateMode.Merge, cancellationToken);
                return new AlertUpdate(updated, claim);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 20)
            {
                // Someone else wrote in between (another source, or another claim): read again and re-apply.
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return new AlertUpdate(null, BreakingClaim.None);
            }
        }
    }

    public async Task MarkBreakingQueuedAsync(string storyId, CancellationToken cancellationToken)
    {
        var patch = new TableEntity(TableKeys.Partition(storyId), storyId) { ["BreakingState"] = Queued };
        await _table.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    private async Task<(AlertRecord Alert, ETag ETag)?> ReadAsync(string storyId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(storyId), storyId, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return (ToAlert(e), e.ETag);
    }

    private static AlertRecord ToAlert(TableEntity e) => new()
        {
            StoryId = e.RowKey,
            ArticleId = e.GetString("ArticleId") ?? "",
            Severity = Enum.Parse<Severity>(e.GetString("Severity") ?? nameof(Severity.None)),
            Score = e.GetDouble("Score") ?? 0,
            Title = e.GetString("Title") ?? "",
            Url = e.GetString("Url"),
            FeedId = e.GetString("FeedId") ?? "",
            Signals = (e.GetString("Signals") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Countries = (e.GetString("Countries") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Place = e.GetString("Place") is { } place ? JsonSerializer.Deserialize<ArticlePlace>(place, ArticleMessage.JsonOptions) : null,
            SourceCount = e.GetInt32("SourceCount") ?? 1,
            Published = e.GetDateTimeOffset("Published"),
            CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            ChangedAt = e.GetDateTimeOffset("ChangedAt") ?? e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            Sources = (e.GetString("Sources") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Evidence = JsonSerializer.Deserialize<SignalMatch[]>(e.GetString("Evidence") ?? "[]", ArticleMessage.JsonOptions) ?? [],
        };

    public async Task<AlertPage> QueryAsync(AlertQuery query, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _created.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"ChangedAt ge {query.Since}");
        if (query.MinimumSeverity is { } minimum)
        {
            // Severity is stored by name: list the acceptable names.
            filter += " and (" + string.Join(" or ", Enum.GetValues<Severity>().Where(s => s >= minimum).Select(s => TableClient.CreateQueryFilter($"Severity eq {s.ToString()}"))) + ")";
        }

        var pages = _table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize);
        await foreach (var page in pages)
        {
            // Country and signal are comma lists: filtered here, so a page may hold fewer than pageSize.
            return new AlertPage([.. page.Values.Select(ToAlert).Where(query.Matches)], page.ContinuationToken);
        }

        return new AlertPage([], null);
    }

    public async Task<IReadOnlyList<AlertRecord>> ListChangedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var result = new List<AlertRecord>();
        var filter = TableClient.CreateQueryFilter($"ChangedAt gt {since} and ChangedAt le {until}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(ToAlert(e));
        }

        return result;
    }

    private static TableEntity ToEntity(AlertRecord alert) => new(TableKeys.Partition(alert.StoryId), alert.StoryId)
    {
        ["ArticleId"] = alert.ArticleId,
        ["Severity"] = alert.Severity.ToString(),
        ["Score"] = alert.Score,
        ["Title"] = TableKeys.Clip(alert.Title, 2000),
        ["Url"] = alert.Url,
        ["FeedId"] = alert.FeedId,
        ["Signals"] = string.Join(",", alert.Signals),
        ["Countries"] = string.Join(",", alert.Countries),
        ["Place"] = alert.Place is null ? null : JsonSerializer.Serialize(alert.Place, ArticleMessage.JsonOptions),
        ["SourceCount"] = alert.SourceCount,
        ["Published"] = alert.Published,
        ["CreatedAt"] = alert.CreatedAt,
        ["ChangedAt"] = alert.ChangedAt,
        ["Sources"] = string.Join(",", alert.Sources),
        ["Evidence"] = JsonSerializer.Serialize(alert.Evidence, ArticleMessage.JsonOptions),
    };
}

internal static class TableKeys
{
    public static string Partition(string id) => id.Length >= 3 && id[0] == 's' ? id[1..3] : id.Length >= 2 ? id[..2] : "00";

    public static string Clip(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>Deletes the row if it exists and (with <paramref name="ifMatch"/>) is still at that ETag; false otherwise.</summary>
    public static async Task<bool> DeleteAsync(TableClient table, string partition, string row, string? ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.DeleteEntityAsync(partition, row, ifMatch is null ? ETag.All : new ETag(ifMatch), cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }
}
