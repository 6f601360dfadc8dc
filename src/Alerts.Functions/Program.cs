using Alerts.Core;
using Alerts.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP triggers use ASP.NET Core types (HttpRequest, IActionResult).
builder.ConfigureFunctionsWebApplication();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

builder.Services
    .AddAlertsCore()
    .AddAlertsFetcher()
    .AddAlertsStorage()
    .AddAlertsScoring()
    .AddAlertsEmail()
    .AddAlertsAdmin();

await builder.Build().RunAsync();
