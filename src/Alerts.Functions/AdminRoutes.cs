using Alerts.Infrastructure.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>
/// The admin API under /api/admin/: function key (AuthorizationLevel.Function) checked by the host, then the admin
/// role when Admin__RequiredRole is set. Thin adapters over the shared handlers.
/// </summary>
public sealed class AdminRoutes(AdminListEndpoints lists, AdminEndpoints admin, ChannelEndpoints channels, SituationEndpoints situation)
{
    [Function("AdminKeywordLists")]
    public Task<IActionResult> KeywordLists([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.KeywordLists)] HttpRequest request, CancellationToken cancellationToken) =>
        lists.ListAsync(request, cancellationToken);

    [Function("AdminKeywordList")]
    public Task<IActionResult> KeywordList([HttpTrigger(AuthorizationLevel.Function, "get", "put", "delete", Route = ApiRoutes.KeywordList)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.ItemAsync(request, name, cancellationToken);

    [Function("AdminKeywordListValidate")]
    public Task<IActionResult> ValidateKeywordList([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.KeywordListValidate)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.ValidateAsync(request, name, cancellationToken);

    [Function("AdminKeywordListVersions")]
    public Task<IActionResult> KeywordListVersions([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.KeywordListVersions)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.VersionsAsync(request, name, cancellationToken);

    [Function("AdminKeywordListVersion")]
    public Task<IActionResult> KeywordListVersion([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.KeywordListVersion)] HttpRequest request, string name, int version, CancellationToken cancellationToken) =>
        lists.VersionAsync(request, name, version, cancellationToken);

    [Function("AdminKeywordListRestore")]
    public Task<IActionResult> RestoreKeywordList([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.KeywordListRestore)] HttpRequest request, string name, int version, CancellationToken cancellationToken) =>
        lists.RestoreAsync(request, name, version, cancellationToken);

    [Function("AdminKeywordListTest")]
    public Task<IActionResult> TestKeywordList([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.KeywordListTest)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        lists.BacktestAsync(request, name, cancellationToken);

    [Function("AdminSituation")]
    public Task<IActionResult> Situation([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Situation)] HttpRequest request, CancellationToken cancellationToken) =>
        situation.MapAsync(request, cancellationToken);

    [Function("AdminCountries")]
    public IActionResult Countries([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Countries)] HttpRequest request) =>
        situation.Countries(request);

    [Function("AdminCountry")]
    public Task<IActionResult> Country([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Country)] HttpRequest request, string code, CancellationToken cancellationToken) =>
        situation.CountryAsync(request, code, cancellationToken);

    [Function("AdminStory")]
    public Task<IActionResult> Story([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Story)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        situation.StoryAsync(request, id, cancellationToken);

    [Function("AdminArchive")]
    public Task<IActionResult> Archive([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Archive)] HttpRequest request, CancellationToken cancellationToken) =>
        situation.ArchiveAsync(request, cancellationToken);

    [Function("AdminFeeds")]
    public Task<IActionResult> Feeds([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = ApiRoutes.Feeds)] HttpRequest request, CancellationToken cancellationToken) =>
        admin.FeedsAsync(request, cancellationToken);

    [Function("AdminFeedsImport")]
    public Task<IActionResult> ImportFeeds([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.FeedsImport)] HttpRequest request, CancellationToken cancellationToken) =>
        admin.ImportAsync(request, cancellationToken);

    [Function("AdminFeedsExport")]
    public Task<IActionResult> ExportFeeds([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.FeedsExport)] HttpRequest request, CancellationToken cancellationToken) =>
        admin.ExportAsync(request, cancellationToken);

    [Function("AdminFeedRefresh")]
    public Task<IActionResult> RefreshFeed([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.FeedRefresh)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        admin.RefreshFeedAsync(request, id, cancellationToken);

    [Function("AdminFeedArticles")]
    public Task<IActionResult> FeedArticles([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.FeedArticles)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        admin.FeedArticlesAsync(request, id, cancellationToken);

    [Function("AdminFeed")]
    public Task<IActionResult> Feed([HttpTrigger(AuthorizationLevel.Function, "get", "put", "delete", Route = ApiRoutes.Feed)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        admin.FeedAsync(request, id, cancellationToken);

    [Function("AdminSubscribers")]
    public Task<IActionResult> Subscribers([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = ApiRoutes.Subscribers)] HttpRequest request, CancellationToken cancellationToken) =>
        admin.SubscribersAsync(request, cancellationToken);

    [Function("AdminSubscriber")]
    public Task<IActionResult> Subscriber([HttpTrigger(AuthorizationLevel.Function, "get", "put", "delete", Route = ApiRoutes.Subscriber)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        admin.SubscriberAsync(request, id, cancellationToken);

    [Function("AdminSubscriberChannels")]
    public Task<IActionResult> SubscriberChannels([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SubscriberChannels)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        channels.AddAsync(request, id, cancellationToken);

    [Function("AdminSubscriberChannel")]
    public Task<IActionResult> SubscriberChannel([HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.SubscriberChannel)] HttpRequest request, string id, string channel, CancellationToken cancellationToken) =>
        channels.ItemAsync(request, id, channel, cancellationToken);

    [Function("AdminSubscriberChannelVerify")]
    public Task<IActionResult> SubscriberChannelVerify([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SubscriberChannelVerify)] HttpRequest request, string id, string channel, CancellationToken cancellationToken) =>
        channels.VerifyAsync(request, id, channel, cancellationToken);

    [Function("AdminFeedback")]
    public Task<IActionResult> Feedback([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.AdminFeedback)] HttpRequest request, CancellationToken cancellationToken) =>
        admin.FeedbackAsync(request, cancellationToken);

    [Function("AdminAlerts")]
    public Task<IActionResult> Alerts([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Alerts)] HttpRequest request, CancellationToken cancellationToken) =>
        admin.AlertsAsync(request, cancellationToken);

    [Function("AdminAlertsAtom")]
    public Task<IActionResult> AlertsAtom([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.AlertsAtom)] HttpRequest request, CancellationToken cancellationToken) =>
        admin.AlertsAtomAsync(request, cancellationToken);

    [Function("AdminScore")]
    public Task<IActionResult> Score([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Score)] HttpRequest request, CancellationToken cancellationToken) =>
        lists.ScoreAsync(request, cancellationToken);
}

/// <summary>
/// The admin console's static files at /api/admin/console. Anonymous because browsers cannot add the function key to
/// script and style requests; the files hold no data and every API call they make is authorized as usual.
/// </summary>
public static class ConsoleRoute
{
    [Function("AdminConsole")]
    public static IActionResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Console)] HttpRequest request, string? path) =>
        ConsoleEndpoint.Get(request, path);
}

/// <summary>GET /api/health (public).</summary>
public sealed class HealthRoute(HealthEndpoint health)
{
    [Function("Health")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request, CancellationToken cancellationToken) =>
        health.GetAsync(request, cancellationToken);
}
