using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Seen-article index in Azure Tables. Alias rows ("A" + hash of the alias) point at an article id and are
/// inserted-if-absent, so the first feed to publish an item owns it; claim rows ("C" + id) carry the publishing state
/// with a lease that another instance may take over once it has expired.
/// </summary>
public sealed class TableArticleIndex : IArticleIndex
{
    private const string Claimed = "claimed";
    private const string Published = "published";
    private readonly TableClient _table;
    private readonly Lazily _created;

    public TableArticleIndex(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(clients.Options.ArticleIndexTable);
        _created = new Lazily(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public async Task<ArticleClaim> TryClaimAsync(string articleId, IReadOnlyList<string> aliases, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        await _created.EnsureAsync(cancellationToken);
        var claimRow = "C" + articleId;
        var claim = new TableEntity(PartitionOf(claimRow), claimRow) { ["State"] = Claimed, ["ClaimedUntil"] = now + lease };
        var rows = aliases.Select(alias => "A" + ArticleKeys.Hash(alias)[..40]).Distinct(StringComparer.Ordinal).ToList();
        foreach (var row in rows.Where(row => PartitionOf(row) != claim.PartitionKey))
        {
            if (!await TryAddAliasAsync(row, articleId, cancellationToken))
            {
                return ArticleClaim.Duplicate;
            }
        }

        // The alias rows in the claim's partition (an article's id is its key's hash, so its first alias's row is
        // there) and the claim: one atomic batch. A row there already (a retry, another feed's copy) fails the whole
        // batch, and the row-by-row path tells which case it is.
        var local = rows.Where(row => PartitionOf(row) == claim.PartitionKey).ToList();
        if (local.Count > 0 && await TryAddAllAsync([.. local.Select(row => new TableEntity(claim.PartitionKey, row) { ["ArticleId"] = articleId }), claim], cancellationToken))
        {
            return ArticleClaim.Claimed;
        }

        foreach (var row in local)
        {
            if (!await TryAddAliasAsync(row, articleId, cancellationToken))
            {
                return ArticleClaim.Duplicate;
            }
        }

        if (await TryAddAsync(claim, cancellationToken))
        {
            return ArticleClaim.Claimed;
        }

        var current = await _table.GetEntityIfExistsAsync<TableEntity>(claim.PartitionKey, claim.RowKey, cancellationToken: cancellationToken);
        if (!current.HasValue)
        {
            return ArticleClaim.InProgress; // deleted in between: let the retry decide
        }

        var entity = current.Value!;
        if (entity.GetString("State") == Published)
        {
            return ArticleClaim.Duplicate;
        }

        if (entity.GetDateTimeOffset("ClaimedUntil") > now)
        {
            return ArticleClaim.InProgress;
        }

        try
        {
            await _table.UpdateEntityAsync(claim, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return ArticleClaim.Claimed; // took over an expired claim
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return ArticleClaim.InProgress;
        }
    }

    public async Task MarkPublishedAsync(string articleId, CancellationToken cancellationToken)
    {
        var row = "C" + articleId;
        await _table.UpsertEntityAsync(new TableEntity(PartitionOf(row), row) { ["State"] = Published }, TableUpdateMode.Replace, cancellationToken);
    }

    // Adds the alias row, or finds it there already: true when it points at this article.
    private async Task<bool> TryAddAliasAsync(string row, string articleId, CancellationToken cancellationToken)
    {
        if (await TryAddAsync(new TableEntity(PartitionOf(row), row) { ["ArticleId"] = articleId }, cancellationToken))
        {
            return true;
        }

        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(row), row, cancellationToken: cancellationToken);
        return !existing.HasValue || existing.Value!.GetString("ArticleId") == articleId;
    }

    private async Task<bool> TryAddAllAsync(IEnumerable<TableEntity> entities, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    private async Task<bool> TryAddAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    // Spread rows over 256 partitions so that a busy index is not one hot partition.
    private static string PartitionOf(string row) => row.Length >= 3 ? row.Substring(1, 2) : "00";
}
