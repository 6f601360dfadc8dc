using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Creates Azure Storage clients from the host's storage connection, either a connection string (Azurite, local) or
/// identity-based service URIs (Azure, managed identity).
/// </summary>
public sealed class StorageClients
{
    private readonly string? _connectionString;
    private readonly Uri? _queueUri;
    private readonly Uri? _tableUri;
    private readonly Uri? _blobUri;
    private readonly TokenCredential? _credential;

    public StorageClients(IConfiguration configuration, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        var name = Options.ConnectionName;
        _connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(_connectionString))
        {
            return;
        }

        var section = configuration.GetSection(name);
        var account = section["accountName"];
        _queueUri = UriOrNull(section["queueServiceUri"]) ?? AccountUri(account, "queue");
        _tableUri = UriOrNull(section["tableServiceUri"]) ?? AccountUri(account, "table");
        _blobUri = UriOrNull(section["blobServiceUri"]) ?? AccountUri(account, "blob");
        if (_queueUri is null || _tableUri is null || _blobUri is null)
        {
            throw new InvalidOperationException(
                $"Storage connection '{name}' is not configured: set a connection string, or {name}__queueServiceUri, " +
                $"{name}__tableServiceUri and {name}__blobServiceUri (or {name}__accountName).");
        }

        var clientId = section["clientId"];
        _credential = string.IsNullOrEmpty(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }

    public StorageOptions Options { get; }

    public QueueClient Queue(string name)
    {
        // Base64 is what the Functions queue trigger expects; plain text messages would all land in the poison queue.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Options.ApplyRetry(queueOptions.Retry);
        return _connectionString is not null
            ? new QueueClient(_connectionString, name, queueOptions)
            : new QueueClient(new Uri(_queueUri!, name), _credential, queueOptions);
    }

    /// <summary>The account's table service (listing and deleting whole tables: the archive's months).</summary>
    public TableServiceClient TableService()
    {
        var tableOptions = new TableClientOptions();
        Options.ApplyRetry(tableOptions.Retry);
        return _connectionString is not null
            ? new TableServiceClient(_connectionString, tableOptions)
            : new TableServiceClient(_tableUri!, _credential, tableOptions);
    }

    public TableClient Table(string name)
    {
        var tableOptions = new TableClientOptions();
        Options.ApplyRetry(tableOptions.Retry);
        return _connectionString is not null
            ? new TableClient(_connectionString, name, tableOptions)
            : new TableClient(_tableUri!, name, _credential, tableOptions);
    }

    public BlobContainerClient Container(string name)
    {
        var blobOptions = new BlobClientOptions();
        Options.ApplyRetry(blobOptions.Retry);
        return _connectionString is not null
            ? new BlobContainerClient(_connectionString, name, blobOptions)
            : new BlobContainerClient(new Uri(_blobUri!, name), _credential, blobOptions);
    }

    private static Uri? UriOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Uri(value);

    private static Uri? AccountUri(string? account, string service) =>
        string.IsNullOrWhiteSpace(account) ? null : new Uri($"https://{account}.{service}.core.windows.net");
}

/// <summary>Creates a storage resource once, on first use, so that every instance can start against an empty account.</summary>
internal sealed class Lazily(Func<CancellationToken, Task> create)
{
    private Task? _created;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var task = _created ??= create(cancellationToken);
        if (task.IsFaulted || task.IsCanceled)
        {
            _created = null; // try again next time
        }

        return task;
    }
}
