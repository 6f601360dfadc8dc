using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Alerts.Cli.Local;
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

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts serve [--store DIR] [--port N] [--feeds FILE] [--outbox DIR] [--config FILE] [--key KEY] [--verbose]</c>:
/// the admin API, the public routes and the admin console on Kestrel at 127.0.0.1 over the embedded store, with the
/// routes and handlers of the Functions app (<see cref="ApiRoutes"/>), and the pipeline of <c>alerts run</c> in the
/// background. Admin calls need the key printed at start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var store = CommonOptions.Store();
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (links in emails use it too).", DefaultValueFactory = _ => LocalApp.DefaultPort };
        var feeds = new Option<FileInfo?>("--feeds") { Description = "Feeds to add before starting (OPML or a text list)." };
        var outbox = CommonOptions.Outbox();
        var config = CommonOptions.Config();
        var key = new Option<string?>("--key") { Description = "The admin key (default: a new random key, printed at start)." };
        var verbose = CommonOptions.Verbose();
        var command = new Command("serve", "Serve the admin console and API locally, with the pipeline running.") { store, port, feeds, outbox, config, key, verbose };
        command.Validators.Add(result =>
        {
            if (result.GetValue(port) is < 1 or > 65535)
            {
                result.AddError("--port must be between 1 and 65535.");
            }
        });
        command.SetAction((parse, ct) => LocalApp.RunAsync(
            new LocalOptions(parse.GetValue(feeds), [], parse.GetValue(store)!, parse.GetValue(outbox)!, parse.GetValue(config), parse.GetValue(verbose), parse.GetValue(port)),
            output, error, app => ServeAsync(app, parse.GetValue(key), output, error, ct)));
        return command;
    }

    private static async Task<int> ServeAsync(LocalApp app, string? key, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        var port = app.Options.Port;
        key ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddConfiguration(app.Configuration);
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        app.AddServices(builder.Services, error);
        builder.Services.AddMvcCore();
        builder.Services.AddTrustedProxies(hostOnLoopback: false); // X-Forwarded-For only from Proxies:KnownProxies/KnownNetworks
        await using var web = builder.Build();
        if (!await app.PrepareAsync(web.Services, output, error, stopping))
        {
            return 1;
        }

        web.UseForwardedHeaders();
        web.UseRouting();
        web.Use(async (context, next) =>
        {
            // Admin routes need the key, as the Functions host checks a function key: a header or ?code=.
            if (context.GetEndpoint()?.Metadata.GetMetadata<ApiRoute>() is { Access: RouteAccess.Admin } && !KeyMatches(context.Request, key))
            {
                await ExecuteAsync(context, Problems.Result(401, "Key required", "Send the key printed by alerts serve as x-functions-key."));
                return;
            }

            await next(context);
        });
        foreach (var route in ApiRoutes.All)
        {
            web.MapMethods("/" + route.Pattern, route.Methods, async context => await ExecuteAsync(context, await route.Handler(context, context.RequestAborted)))
                .WithMetadata(route).WithDisplayName(route.Name);
        }

        try
        {
            await web.StartAsync(stopping);
        }
        catch (IOException ex) when (AddressInUse(ex))
        {
            await error.WriteLineAsync($"alerts: port {port} on 127.0.0.1 is in use (another alerts serve, or a Functions host?); choose another with --port.");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        await output.WriteLineAsync($"Admin console: http://127.0.0.1:{port}/api/admin/console  (key: {key})");
        await output.FlushAsync(stopping);

        // The pipeline of alerts run, in the background, until Ctrl+C; a cycle's summary only when it did something.
        var pipeline = web.Services.GetRequiredService<LocalPipeline>();
        var interval = app.Configuration.GetValue("Run:Interval", TimeSpan.FromMinutes(1));
        var time = web.Services.GetRequiredService<TimeProvider>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var summary = await pipeline.RunCycleAsync(false, null, stopping);
                if (!summary.Idle)
                {
                    await error.WriteLineAsync($"Cycle at {time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
                    await app.WriteSummaryAsync(error, summary);
                }

                await Task.Delay(interval, time, stopping);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await web.StopAsync(CancellationToken.None);
        await error.WriteLineAsync("Stopped.");
        return 0;
    }

    private static bool AddressInUse(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static bool KeyMatches(HttpRequest request, string key)
    {
        var given = request.Headers["x-functions-key"].ToString() is { Length: > 0 } header ? header : request.Query["code"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Runs an MVC action result the way the Functions ASP.NET Core integration does.</summary>
    private static Task ExecuteAsync(HttpContext context, IActionResult result) =>
        result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
}
