using System.Globalization;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace Alerts.Infrastructure.Local;

/// <summary>
/// The fetcher of <c>alerts run</c>: <c>file:</c> URLs (feeds the operator listed as local paths) are read directly,
/// with the same size cap and a last-write-time validator so an unchanged file is "not modified"; everything else goes
/// through the safe HTTP fetcher with all its rules.
/// </summary>
public sealed class LocalFeedFetcher(SafeFeedFetcher web, IOptions<FetcherOptions> options) : IFeedFetcher
{
    public async Task<FetchResult> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsFile)
        {
            return await web.FetchAsync(url, etag, lastModified, cancellationToken);
        }

        var file = new FileInfo(url.LocalPath);
        if (!file.Exists)
        {
            return FetchResult.Failure(FetchStatus.PermanentFailure, $"no such file: {file.FullName}");
        }

        if (file.Length > options.Value.MaxBodyBytes)
        {
            return FetchResult.Failure(FetchStatus.PermanentFailure, $"the file is larger than {options.Value.MaxBodyBytes} bytes");
        }

        var validator = "\"" + file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) + "-" + file.Length.ToString(CultureInfo.InvariantCulture) + "\"";
        if (etag == validator)
        {
            return new FetchResult { Status = FetchStatus.NotModified, ETag = etag, FinalUrl = url };
        }

        return new FetchResult { Status = FetchStatus.Ok, Body = await File.ReadAllBytesAsync(file.FullName, cancellationToken), ETag = validator, FinalUrl = url };
    }
}
