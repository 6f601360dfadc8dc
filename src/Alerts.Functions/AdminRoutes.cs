using Alerts.Infrastructure.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>
/// The admin API under /api/admin/: function key (AuthorizationLevel.Function) checked by the host, then the admin
/// role when Admin__RequiredRole is set. Thin adapters over the shared handlers.
/// </summary>
public sealed class AdminRoutes(AdminListEndpoints lists, AdminEndpoints admin)
{
    [Function("AdminKeywordLists")]
    public Task<IActionResult> KeywordLists([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/keyword-lists")] HttpRequest request, CancellationToken cancellationToken) =>
        lists.ListAsync(request, cancellationToken);

    [Function("AdminKeywordList")]
    public Task<IActionResult> KeywordList([HttpTrigger(AuthorizationLevel.Function, "get", "put", "delete", Route = "api/admin/keyword-lists/{name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.ItemAsync(request, name, cancellationToken);

    [Function("AdminKeywordListValidate")]
    public Task<IActionResult> ValidateKeywordList([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/keyword-lists/{name}/validate")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.ValidateAsync(request, name, cancellationToken);

    [Function("AdminKeywordListVersions")]
    public Task<IActionResult> KeywordListVersions([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/keyword-lists/{name}/versions")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.VersionsAsync(request, name, cancellationToken);

    [Function("AdminKeywordListVersion")]
    public Task<IActionResult> KeywordListVersion([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/keyword-lists/{name}/versions/{version:int}")] HttpRequest request, string name, int version, CancellationToken cancellationToken) =>
        lists.VersionAsync(request, name, version, cancellationToken);

    [Function("AdminKeywordListRestore")]
    public Task<IActionResult> RestoreKeywordList([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/keyword-lists/{name}/versions/{version:int}/restore")] HttpRequest request, string name, int version, CancellationToken cancellationToken) =>
        lists.RestoreAsync(request, name, version, cancellationToken);

    [Function("AdminKeywordListTest")]
    public Task<IActionResult> TestKeywordList([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/keyword-lists/{name}/test")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.BacktestAsync(request, name, cancellationToken);

    [Function("AdminFeeds")]
    public Task<IActionResult> Feeds([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "api/admin/feeds")] HttpRequest request, CancellationToken cancellationToken) =>
        admin.FeedsAsync(request, cancellationToken);

    [Function("AdminFeedsImport")]
    public Task<IActionResult> ImportFeeds([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/feeds/import")] HttpRequest request, CancellationToken cancellationToken) =>
        admin.ImportAsync(request, cancellationToken);

    [Function("AdminFeed")]
    public Task<IActionResult> Feed([HttpTrigger(AuthorizationLevel.Function, "get", "put", "delete", Route = "api/admin/feeds/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        admin.FeedAsync(request, id, cancellationToken);

    [Function("AdminSubscribers")]
    public Task<IActionResult> Subscribers([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "api/admin/subscribers")] HttpRequest request, CancellationToken cancellationToken) =>
        admin.SubscribersAsync(request, cancellationToken);

    [Function("AdminSubscriber")]
    public Task<IActionResult> Subscriber([HttpTrigger(AuthorizationLevel.Function, "get", "put", "delete", Route = "api/admin/subscribers/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        admin.SubscriberAsync(request, id, cancellationToken);

    [Function("AdminAlerts")]
    public Task<IActionResult> Alerts([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        admin.AlertsAsync(request, cancellationToken);

    [Function("AdminAlertsAtom")]
    public Task<IActionResult> AlertsAtom([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/alerts.atom")] HttpRequest request, CancellationToken cancellationToken) =>
        admin.AlertsAtomAsync(request, cancellationToken);
}

/// <summary>
/// The admin console's static files at /api/admin/console. Anonymous because browsers cannot add the function key to
/// script and style requests; the files hold no data and every API call they make is authorized as usual.
/// </summary>
public static class ConsoleRoute
{
    [Function("AdminConsole")]
    public static IActionResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/console/{*path}")] HttpRequest request, string? path) =>
        ConsoleEndpoint.Get(request, path);
}

/// <summary>GET /api/health (public).</summary>
public sealed class HealthRoute(HealthEndpoint health)
{
    [Function("Health")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken) =>
        health.GetAsync(request, cancellationToken);
}
