using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Infrastructure.Web;

/// <summary>Who may call a route: anyone, or an admin (the function key, then the admin role when one is required).</summary>
public enum RouteAccess
{
    Public,
    Admin,
}

/// <summary>One HTTP route: its pattern (ASP.NET Core route syntax, no leading slash), methods, access and handler.</summary>
public sealed record ApiRoute(string Name, string Pattern, IReadOnlyList<string> Methods, RouteAccess Access, Func<HttpContext, CancellationToken, Task<IActionResult>> Handler);

/// <summary>
/// Every HTTP route of the service, in one place. The Functions' trigger attributes name these constants; the local
/// server (<c>alerts serve</c>) maps <see cref="All"/>; a test checks that the two agree route by route.
/// </summary>
public static class ApiRoutes
{
    public const string Health = "api/health";
    public const string Subscribe = "api/subscribe";
    public const string Confirm = "api/confirm";
    public const string Unsubscribe = "api/unsubscribe";
    public const string Preferences = "api/preferences";
    public const string MyFeed = "api/feed";
    public const string Feedback = "api/feedback";
    public const string Board = "api/board";
    public const string StoryPage = "api/story";
    public const string Console = "api/admin/console/{*path}";
    public const string KeywordLists = "api/admin/keyword-lists";
    public const string KeywordList = "api/admin/keyword-lists/{name}";
    public const string KeywordListValidate = "api/admin/keyword-lists/{name}/validate";
    public const string KeywordListVersions = "api/admin/keyword-lists/{name}/versions";
    public const string KeywordListVersion = "api/admin/keyword-lists/{name}/versions/{version:int}";
    public const string KeywordListRestore = "api/admin/keyword-lists/{name}/versions/{version:int}/restore";
    public const string KeywordListTest = "api/admin/keyword-lists/{name}/test";
    public const string Feeds = "api/admin/feeds";
    public const string FeedsImport = "api/admin/feeds/import";
    /// <summary>Not "feeds/export": the Functions host would take it for the feed with id "export" (literal segments do not win there).</summary>
    public const string FeedsExport = "api/admin/feeds.opml";
    public const string Feed = "api/admin/feeds/{id}";
    public const string FeedRefresh = "api/admin/feeds/{id}/refresh";
    public const string FeedArticles = "api/admin/feeds/{id}/articles";
    public const string Subscribers = "api/admin/subscribers";
    public const string Subscriber = "api/admin/subscribers/{id}";
    public const string SubscriberChannels = "api/admin/subscribers/{id}/channels";
    public const string SubscriberChannel = "api/admin/subscribers/{id}/channels/{channel}";
    public const string SubscriberChannelVerify = "api/admin/subscribers/{id}/channels/{channel}/verify";
    public const string Alerts = "api/admin/alerts";
    public const string AlertsAtom = "api/admin/alerts.atom";
    public const string Score = "api/admin/score";
    public const string AdminFeedback = "api/admin/feedback";
    public const string Situation = "api/admin/situation";
    public const string Countries = "api/admin/countries";
    public const string Country = "api/admin/countries/{code}";
    public const string Story = "api/admin/stories/{id}";
    public const string Archive = "api/admin/archive";

    /// <summary>The routes with their handlers, resolved from the request's services.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("Health", Health, ["GET"], RouteAccess.Public, (c, ct) => Get<HealthEndpoint>(c).GetAsync(c.Request, ct)),
        new("Subscribe", Subscribe, ["GET", "POST"], RouteAccess.Public, (c, ct) => Get<SubscriptionEndpoints>(c).SubscribeAsync(c.Request, ct)),
        new("Confirm", Confirm, ["GET", "POST"], RouteAccess.Public, (c, ct) => Get<SubscriptionEndpoints>(c).ConfirmAsync(c.Request, ct)),
        new("Unsubscribe", Unsubscribe, ["GET", "POST"], RouteAccess.Public, (c, ct) => Get<SubscriptionEndpoints>(c).UnsubscribeAsync(c.Request, ct)),
        new("Feedback", Feedback, ["GET", "POST"], RouteAccess.Public, (c, ct) => Get<SubscriptionEndpoints>(c).FeedbackLinkAsync(c.Request, ct)),
        new("Board", Board, ["GET"], RouteAccess.Public, (c, ct) => Get<SituationPages>(c).BoardAsync(c.Request, ct)),
        new("StoryPage", StoryPage, ["GET"], RouteAccess.Public, (c, ct) => Get<SituationPages>(c).StoryAsync(c.Request, ct)),
        new("MyFeed", MyFeed, ["GET"], RouteAccess.Public, (c, ct) => Get<SubscriptionEndpoints>(c).FeedAsync(c.Request, ct)),
        new("Preferences", Preferences, ["GET", "POST"], RouteAccess.Public, (c, ct) => Get<SubscriptionEndpoints>(c).PreferencesAsync(c.Request, ct)),
        new("AdminConsole", Console, ["GET"], RouteAccess.Public, (c, _) => Task.FromResult(ConsoleEndpoint.Get(c.Request, c.Request.RouteValues["path"] as string))),
        new("AdminKeywordLists", KeywordLists, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).ListAsync(c.Request, ct)),
        new("AdminKeywordList", KeywordList, ["GET", "PUT", "DELETE"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).ItemAsync(c.Request, Value(c, "name"), ct)),
        new("AdminKeywordListValidate", KeywordListValidate, ["POST"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).ValidateAsync(c.Request, Value(c, "name"), ct)),
        new("AdminKeywordListVersions", KeywordListVersions, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).VersionsAsync(c.Request, Value(c, "name"), ct)),
        new("AdminKeywordListVersion", KeywordListVersion, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).VersionAsync(c.Request, Value(c, "name"), Number(c, "version"), ct)),
        new("AdminKeywordListRestore", KeywordListRestore, ["POST"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).RestoreAsync(c.Request, Value(c, "name"), Number(c, "version"), ct)),
        new("AdminKeywordListTest", KeywordListTest, ["POST"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).BacktestAsync(c.Request, Value(c, "name"), ct)),
        new("AdminFeeds", Feeds, ["GET", "POST"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).FeedsAsync(c.Request, ct)),
        new("AdminFeedsImport", FeedsImport, ["POST"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).ImportAsync(c.Request, ct)),
        new("AdminFeedsExport", FeedsExport, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).ExportAsync(c.Request, ct)),
        new("AdminFeed", Feed, ["GET", "PUT", "DELETE"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).FeedAsync(c.Request, Value(c, "id"), ct)),
        new("AdminFeedRefresh", FeedRefresh, ["POST"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).RefreshFeedAsync(c.Request, Value(c, "id"), ct)),
        new("AdminFeedArticles", FeedArticles, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).FeedArticlesAsync(c.Request, Value(c, "id"), ct)),
        new("AdminSubscribers", Subscribers, ["GET", "POST"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).SubscribersAsync(c.Request, ct)),
        new("AdminSubscriber", Subscriber, ["GET", "PUT", "DELETE"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).SubscriberAsync(c.Request, Value(c, "id"), ct)),
        new("AdminSubscriberChannels", SubscriberChannels, ["POST"], RouteAccess.Admin, (c, ct) => Get<ChannelEndpoints>(c).AddAsync(c.Request, Value(c, "id"), ct)),
        new("AdminSubscriberChannel", SubscriberChannel, ["DELETE"], RouteAccess.Admin, (c, ct) => Get<ChannelEndpoints>(c).ItemAsync(c.Request, Value(c, "id"), Value(c, "channel"), ct)),
        new("AdminSubscriberChannelVerify", SubscriberChannelVerify, ["POST"], RouteAccess.Admin, (c, ct) => Get<ChannelEndpoints>(c).VerifyAsync(c.Request, Value(c, "id"), Value(c, "channel"), ct)),
        new("AdminAlerts", Alerts, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).AlertsAsync(c.Request, ct)),
        new("AdminAlertsAtom", AlertsAtom, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).AlertsAtomAsync(c.Request, ct)),
        new("AdminFeedback", AdminFeedback, ["GET"], RouteAccess.Admin, (c, ct) => Get<AdminEndpoints>(c).FeedbackAsync(c.Request, ct)),
        new("AdminSituation", Situation, ["GET"], RouteAccess.Admin, (c, ct) => Get<SituationEndpoints>(c).MapAsync(c.Request, ct)),
        new("AdminCountries", Countries, ["GET"], RouteAccess.Admin, (c, _) => Task.FromResult(Get<SituationEndpoints>(c).Countries(c.Request))),
        new("AdminCountry", Country, ["GET"], RouteAccess.Admin, (c, ct) => Get<SituationEndpoints>(c).CountryAsync(c.Request, Value(c, "code"), ct)),
        new("AdminStory", Story, ["GET"], RouteAccess.Admin, (c, ct) => Get<SituationEndpoints>(c).StoryAsync(c.Request, Value(c, "id"), ct)),
        new("AdminArchive", Archive, ["GET"], RouteAccess.Admin, (c, ct) => Get<SituationEndpoints>(c).ArchiveAsync(c.Request, ct)),
        new("AdminScore", Score, ["POST"], RouteAccess.Admin, (c, ct) => Get<AdminListEndpoints>(c).ScoreAsync(c.Request, ct)),
    ];

    private static T Get<T>(HttpContext context)
        where T : notnull => context.RequestServices.GetRequiredService<T>();

    private static string Value(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    private static int Number(HttpContext context, string name) => int.Parse(Value(context, name), CultureInfo.InvariantCulture);
}
