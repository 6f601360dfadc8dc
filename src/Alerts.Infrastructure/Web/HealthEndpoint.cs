using Alerts.Core.Admin;
using Alerts.Core.Scoring;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// GET /api/health: storage reachable, keyword lists loaded and valid, the scheduled jobs' last runs, and queue depths
/// with their poison queues. 200 when storage answers (with "degraded" when a list is invalid or messages are
/// poisoned), 503 when it does not.
/// </summary>
public sealed class HealthEndpoint(IQueueDepths depths, KeywordListProvider lists, IRunLog runs)
{
    private static readonly TimeSpan StorageBudget = TimeSpan.FromSeconds(3);

    public async Task<IActionResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        HtmlPage.SecureHeaders(request.HttpContext.Response);
        IReadOnlyDictionary<string, int> queues = new Dictionary<string, int>();
        string? storageError = null;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(StorageBudget); // a health probe answers quickly, even while storage retries
        try
        {
            queues = await depths.GetAsync(budget.Token);
        }
        catch (RequestFailedException ex)
        {
            storageError = $"{ex.Status} {ex.ErrorCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or AggregateException or TimeoutException)
        {
            storageError = ex.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            storageError = $"no answer within {StorageBudget.TotalSeconds} s";
        }

        if (storageError is not null)
        {
            return ApiJson.Result(new { status = "unhealthy", storage = new { reachable = false, error = storageError } }, 503);
        }

        var snapshot = await lists.GetAsync(cancellationToken);
        var invalid = lists.InvalidLists;
        var poisoned = queues.Where(q => q.Key.EndsWith("-poison", StringComparison.Ordinal) && q.Value > 0).Select(q => q.Key).ToList();
        return ApiJson.Result(new
        {
            status = invalid.Count > 0 || poisoned.Count > 0 ? "degraded" : "healthy",
            storage = new { reachable = true },
            lists = new { loaded = snapshot.Versions, invalid },
            runs = (await runs.ListAsync(cancellationToken)).OrderBy(r => r.Name, StringComparer.Ordinal),
            queues,
        });
    }
}
