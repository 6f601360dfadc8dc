using System.CommandLine;
using System.Security.Cryptography;
using Alerts.Core;
using Alerts.Infrastructure.Local;
using Alerts.Infrastructure.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts serve [--store DIR] [--port N] [--feeds FILE] [--outbox DIR] [--config FILE] [--key KEY]</c>: the admin API,
/// the public routes and the admin console on Kestrel at 127.0.0.1 over the embedded store, with the same handlers as
/// the Functions, and the pipeline of <c>alerts run</c> in the background. Admin calls need the key printed at start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var store = new Option<DirectoryInfo>("--store") { Description = "Folder of the embedded store.", DefaultValueFactory = _ => new DirectoryInfo(".alerts") };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1.", DefaultValueFactory = _ => 7071 };
        var feeds = new Option<FileInfo?>("--feeds") { Description = "Feeds to add before starting (OPML or a text list)." };
        var outbox = new Option<DirectoryInfo>("--outbox") { Description = "Folder of the outbox sender.", DefaultValueFactory = _ => new DirectoryInfo("outbox") };
        var config = new Option<FileInfo?>("--config") { Description = "A JSON settings file, as for alerts run." };
        var key = new Option<string?>("--key") { Description = "The admin key (default: a new random key, printed at start)." };
        var command = new Command("serve", "Serve the admin console and API locally, with the pipeline running.") { store, port, feeds, outbox, config, key };
        command.SetAction((parse, ct) => RunAsync(
            new RunCommand.RunOptions(false, parse.GetValue(feeds), [], parse.GetValue(store)!, parse.GetValue(outbox)!, parse.GetValue(config)),
            parse.GetValue(port), parse.GetValue(key), output, error, ct));
        return command;
    }

    private static Task<int> RunAsync(RunCommand.RunOptions run, int port, string? key, TextWriter output, TextWriter error, CancellationToken stopping) =>
        RunCommand.WithStoreAsync(run, error, (journal, configuration) => ServeAsync(run, journal, configuration, port, key, output, error, stopping));

    private static async Task<int> ServeAsync(RunCommand.RunOptions run, SqliteJournal journal, IConfiguration configuration, int port, string? key, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        key ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddMetrics().AddAlertsCore().AddAlertsLocal(journal);
        builder.Services.AddMvcCore();
        builder.Services.AddTrustedProxies(hostOnLoopback: false); // X-Forwarded-For only from Proxies:KnownProxies/KnownNetworks
        await using var app = builder.Build();
        RunCommand.ValidateOptions(app.Services);
        if (!await RunCommand.SeedListsAsync(app.Services, run.Lists, error, stopping)
            || (run.Feeds is not null && !await RunCommand.SeedFeedsAsync(app.Services, run.Feeds, output, error, stopping)))
        {
            return 1;
        }

        await RunCommand.SeedSubscribersAsync(app.Services, configuration, stopping);
        app.UseForwardedHeaders();
        app.Use(async (context, next) =>
        {
            // The function key, as the Functions host checks it: a header or ?code=. The console's files are open.
            var path = context.Request.Path;
            if (path.StartsWithSegments("/api/admin") && !path.StartsWithSegments("/api/admin/console")
                && !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(context.Request.Headers["x-functions-key"].ToString() is { Length: > 0 } h ? h : context.Request.Query["code"].ToString()), System.Text.Encoding.UTF8.GetBytes(key)))
            {
                await Execute(context, Problems.Result(401, "Key required", "Send the key printed by alerts serve as x-functions-key."));
                return;
            }

            await next(context);
        });
        MapRoutes(app);
        await app.StartAsync(stopping);
        await output.WriteLineAsync($"Admin console: http://127.0.0.1:{port}/api/admin/console  (key: {key})");
        await output.FlushAsync(stopping);

        // The pipeline of alerts run, in the background, until Ctrl+C.
        var pipeline = app.Services.GetRequiredService<LocalPipeline>();
        var interval = configuration.GetValue("Run:Interval", TimeSpan.FromMinutes(1));
        var time = app.Services.GetRequiredService<TimeProvider>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var summary = await pipeline.RunCycleAsync(false, null, stopping);
                await RunCommand.WriteSummaryAsync(error, summary, "outbox or SendGrid");
                await Task.Delay(interval, time, stopping);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>The same routes and handlers as the Functions app.</summary>
    private static void MapRoutes(WebApplication app)
    {
        Map(app, "api/health", ["GET"], (s, c, ct) => s.GetRequiredService<HealthEndpoint>().GetAsync(c.Request, ct));
        Map(app, "api/subscribe", ["POST"], (s, c, ct) => s.GetRequiredService<SubscriptionEndpoints>().SubscribeAsync(c.Request, ct));
        Map(app, "api/confirm", ["GET", "POST"], (s, c, ct) => s.GetRequiredService<SubscriptionEndpoints>().ConfirmAsync(c.Request, ct));
        Map(app, "api/unsubscribe", ["GET", "POST"], (s, c, ct) => s.GetRequiredService<SubscriptionEndpoints>().UnsubscribeAsync(c.Request, ct));
        Map(app, "api/admin/console/{*path}", ["GET"], (_, c, _) => Task.FromResult(ConsoleEndpoint.Get(c.Request, c.GetRouteValue("path") as string)));
        Map(app, "api/admin/keyword-lists", ["GET"], (s, c, ct) => s.GetRequiredService<AdminListEndpoints>().ListAsync(c.Request, ct));
        Map(app, "api/admin/keyword-lists/{name}", ["GET", "PUT", "DELETE"], (s, c, ct) => s.GetRequiredService<AdminListEndpoints>().ItemAsync(c.Request, Route(c, "name"), ct));
        Map(app, "api/admin/keyword-lists/{name}/validate", ["POST"], (s, c, ct) => s.GetRequiredService<AdminListEndpoints>().ValidateAsync(c.Request, Route(c, "name"), ct));
        Map(app, "api/admin/keyword-lists/{name}/versions", ["GET"], (s, c, ct) => s.GetRequiredService<AdminListEndpoints>().VersionsAsync(c.Request, Route(c, "name"), ct));
        Map(app, "api/admin/keyword-lists/{name}/versions/{version:int}", ["GET"], (s, c, ct) => s.GetRequiredService<AdminListEndpoints>().VersionAsync(c.Request, Route(c, "name"), int.Parse(Route(c, "version"), System.Globalization.CultureInfo.InvariantCulture), ct));
        Map(app, "api/admin/keyword-lists/{name}/versions/{version:int}/restore", ["POST"], (s, c, ct) => s.GetRequiredService<AdminListEndpoints>().RestoreAsync(c.Request, Route(c, "name"), int.Parse(Route(c, "version"), System.Globalization.CultureInfo.InvariantCulture), ct));
        Map(app, "api/admin/keyword-lists/{name}/test", ["POST"], (s, c, ct) => s.GetRequiredService<AdminListEndpoints>().BacktestAsync(c.Request, Route(c, "name"), ct));
        Map(app, "api/admin/feeds", ["GET", "POST"], (s, c, ct) => s.GetRequiredService<AdminEndpoints>().FeedsAsync(c.Request, ct));
        Map(app, "api/admin/feeds/import", ["POST"], (s, c, ct) => s.GetRequiredService<AdminEndpoints>().ImportAsync(c.Request, ct));
        Map(app, "api/admin/feeds/{id}", ["GET", "PUT", "DELETE"], (s, c, ct) => s.GetRequiredService<AdminEndpoints>().FeedAsync(c.Request, Route(c, "id"), ct));
        Map(app, "api/admin/subscribers", ["GET", "POST"], (s, c, ct) => s.GetRequiredService<AdminEndpoints>().SubscribersAsync(c.Request, ct));
        Map(app, "api/admin/subscribers/{id}", ["GET", "PUT", "DELETE"], (s, c, ct) => s.GetRequiredService<AdminEndpoints>().SubscriberAsync(c.Request, Route(c, "id"), ct));
        Map(app, "api/admin/alerts", ["GET"], (s, c, ct) => s.GetRequiredService<AdminEndpoints>().AlertsAsync(c.Request, ct));
        Map(app, "api/admin/alerts.atom", ["GET"], (s, c, ct) => s.GetRequiredService<AdminEndpoints>().AlertsAtomAsync(c.Request, ct));
    }

    private static void Map(WebApplication app, string pattern, string[] methods, Func<IServiceProvider, HttpContext, CancellationToken, Task<IActionResult>> handler) =>
        app.MapMethods("/" + pattern, methods, async context => await Execute(context, await handler(context.RequestServices, context, context.RequestAborted)));

    private static string Route(HttpContext context, string name) => context.GetRouteValue(name) as string ?? "";

    /// <summary>Runs an MVC action result the way the Functions ASP.NET Core integration does.</summary>
    private static Task Execute(HttpContext context, IActionResult result) =>
        result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
}
