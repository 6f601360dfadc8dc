using Alerts.Core.Scoring;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Alerts.Infrastructure.Storage;

/// <summary>Keyword lists as blobs <c>{name}.keywords</c>; the blob ETag is the list's concurrency token.</summary>
public sealed class BlobKeywordListStore : IKeywordListStore
{
    private const string Extension = ".keywords";
    private readonly BlobContainerClient _container;
    private readonly Lazily _created;

    public BlobKeywordListStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _container = clients.Container(clients.Options.KeywordListsContainer);
        _created = new Lazily(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public async Task<IReadOnlyDictionary<string, string>> GetVersionsAsync(CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        // Top level only: the version history lives under history/.
        await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", null, cancellationToken))
        {
            if (item.IsBlob && item.Blob.Name.EndsWith(Extension, StringComparison.Ordinal))
            {
                versions[item.Blob.Name[..^Extension.Length]] = item.Blob.Properties.ETag?.ToString() ?? "";
            }
        }

        return versions;
    }

    public async Task<StoredKeywordList?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        try
        {
            var download = await _container.GetBlobClient(name + Extension).DownloadContentAsync(cancellationToken);
            return new StoredKeywordList(name, download.Value.Content.ToString(), download.Value.Details.ETag.ToString(), download.Value.Details.LastModified);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<string?> TrySaveAsync(string name, string document, string? ifMatch, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var conditions = ifMatch is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(ifMatch) };
        try
        {
            var response = await _container.GetBlobClient(name + Extension).UploadAsync(
                BinaryData.FromString(document),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" } },
                cancellationToken);
            return response.Value.ETag.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    public async Task<bool> TryDeleteAsync(string name, string ifMatch, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        try
        {
            await _container.GetBlobClient(name + Extension).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = new ETag(ifMatch) }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }
}
