using Alerts.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP triggers use ASP.NET Core types (HttpRequest, IActionResult).
builder.ConfigureFunctionsWebApplication();
builder.Services.AddAlertsFunctionsApp(builder.Configuration);

await builder.Build().RunAsync();
