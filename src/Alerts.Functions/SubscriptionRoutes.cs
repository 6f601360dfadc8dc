using Alerts.Infrastructure.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>The public subscription routes: thin adapters over <see cref="SubscriptionEndpoints"/>.</summary>
public sealed class SubscriptionRoutes(SubscriptionEndpoints endpoints)
{
    [Function("Subscribe")]
    public Task<IActionResult> Subscribe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "subscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.SubscribeAsync(request, cancellationToken);

    [Function("Confirm")]
    public Task<IActionResult> Confirm([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "confirm")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.ConfirmAsync(request, cancellationToken);

    [Function("Unsubscribe")]
    public Task<IActionResult> Unsubscribe([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "unsubscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.UnsubscribeAsync(request, cancellationToken);
}
