using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Azure;
using Azure.Storage.Blobs;

namespace Alerts.Infrastructure.Storage;

/// <summary>Full articles as JSON blobs, <c>{id[0..2]}/{id}.json</c>; writes overwrite, so a retry is harmless.</summary>
public sealed class BlobArticleContentStore : IArticleContentStore
{
    private readonly BlobContainerClient _container;
    private readonly Lazily _created;

    public BlobArticleContentStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _container = clients.Container(clients.Options.ArticlesContainer);
        _created = new Lazily(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public async Task SaveAsync(Article article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        await _created.EnsureAsync(cancellationToken);
        await _container.GetBlobClient(BlobName(article.Id))
            .UploadAsync(BinaryData.FromObjectAsJson(article, ArticleMessage.JsonOptions), overwrite: true, cancellationToken);
    }

    public async Task<Article?> GetAsync(string articleId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        try
        {
            var content = await _container.GetBlobClient(BlobName(articleId)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<Article>(ArticleMessage.JsonOptions);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static string BlobName(string id) => $"{id[..Math.Min(2, id.Length)]}/{id}.json";
}
