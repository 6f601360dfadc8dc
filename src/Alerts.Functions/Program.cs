using Alerts.Core;
using Alerts.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

builder.Services
    .AddAlertsCore()
    .AddAlertsFetcher()
    .AddAlertsStorage()
    .AddAlertsScoring();

await builder.Build().RunAsync();
