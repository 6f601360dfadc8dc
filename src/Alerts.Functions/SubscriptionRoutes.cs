using Alerts.Infrastructure.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>
/// The public subscription routes: thin adapters over <see cref="SubscriptionEndpoints"/>. Routes carry their own
/// "api/" because host.json's routePrefix is empty: the Functions host reserves routes that start with "admin", so the
/// admin API can live at /api/admin/... only with the prefix in the route itself.
/// </summary>
public sealed class SubscriptionRoutes(SubscriptionEndpoints endpoints, SituationPages situation)
{
    [Function("Subscribe")]
    public Task<IActionResult> Subscribe([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ApiRoutes.Subscribe)] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.SubscribeAsync(request, cancellationToken);

    [Function("Confirm")]
    public Task<IActionResult> Confirm([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ApiRoutes.Confirm)] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.ConfirmAsync(request, cancellationToken);

    [Function("Feedback")]
    public Task<IActionResult> Feedback([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ApiRoutes.Feedback)] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.FeedbackLinkAsync(request, cancellationToken);

    [Function("Board")]
    public Task<IActionResult> Board([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Board)] HttpRequest request, CancellationToken cancellationToken) =>
        situation.BoardAsync(request, cancellationToken);

    [Function("StoryPage")]
    public Task<IActionResult> StoryPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.StoryPage)] HttpRequest request, CancellationToken cancellationToken) =>
        situation.StoryAsync(request, cancellationToken);

    [Function("MyFeed")]
    public Task<IActionResult> MyFeed([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.MyFeed)] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.FeedAsync(request, cancellationToken);

    [Function("Preferences")]
    public Task<IActionResult> Preferences([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ApiRoutes.Preferences)] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.PreferencesAsync(request, cancellationToken);

    [Function("Unsubscribe")]
    public Task<IActionResult> Unsubscribe([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ApiRoutes.Unsubscribe)] HttpRequest request, CancellationToken cancellationToken) =>
        endpoints.UnsubscribeAsync(request, cancellationToken);
}
