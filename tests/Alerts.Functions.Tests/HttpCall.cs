using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Functions.Tests;

/// <summary>
/// Builds the ASP.NET Core request an HTTP trigger receives and executes the returned <see cref="IActionResult"/> the
/// way the Functions ASP.NET Core integration does, so tests see the status, headers and body a client would.
/// </summary>
internal static class HttpCall
{
    private static readonly IServiceProvider Mvc = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();

    public static HttpRequest Request(string method, string path, string? query = null, string? body = null, string? contentType = null, string? clientAddress = "203.0.113.7", IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = Mvc };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("alerts.example");
        context.Request.Path = path;
        context.Request.QueryString = query is null ? QueryString.Empty : new QueryString(query.StartsWith('?') ? query : "?" + query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        if (clientAddress is not null)
        {
            // What the worker's forwarded-headers step leaves once the host (and any trusted proxy) forwarded the request.
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(clientAddress);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static HttpRequest Json(string path, string json, string? clientAddress = "203.0.113.7") =>
        Request("POST", path, body: json, contentType: "application/json; charset=utf-8", clientAddress: clientAddress);

    public static async Task<HttpAnswer> ExecuteAsync(HttpRequest request, Task<IActionResult> result)
    {
        var actionResult = await result;
        var context = request.HttpContext;
        await actionResult.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType ?? "", context.Response.Headers, body);
    }
}

internal sealed record HttpAnswer(int Status, string ContentType, IHeaderDictionary Headers, string Body);
