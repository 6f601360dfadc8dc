using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Alerts.Core.Feeds;
using Alerts.Core.Ingestion;
using Alerts.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Cli.Commands;

/// <summary>
/// <c>alerts feed preview FILE|URL [--format text|json]</c>: what the service will see in a feed, read with the same safe
/// fetcher and parser as the Functions.
/// </summary>
internal static class FeedPreviewCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("source") { Description = "A feed file path or an http(s) URL." };
        var format = new Option<string>("--format") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var allowLoopback = new Option<bool>("--allow-loopback") { Description = "Allow fetching from 127.0.0.1/::1 (local development)." };
        var command = new Command("preview", "Fetch or read a feed and print what the service will see.") { source, format, allowLoopback };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(source)!, parse.GetValue(format)!, parse.GetValue(allowLoopback), output, error, ct));
        return command;
    }

    private static async Task<int> RunAsync(string source, string format, bool allowLoopback, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ParsedFeed feed;
        try
        {
            feed = await ReadAsync(source, allowLoopback, cancellationToken);
        }
        catch (Exception ex) when (ex is FeedParseException or IOException or UnauthorizedAccessException or PreviewException)
        {
            var hint = !allowLoopback && ex is PreviewException && Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.IsLoopback
                ? " It is on this machine: add --allow-loopback to preview a local feed."
                : "";
            await error.WriteLineAsync($"alerts: cannot read feed '{source}': {OneLine(ex.Message)}{hint}");
            return 1;
        }

        var articles = FeedParser.ToArticles("preview", feed);
        if (format == "json")
        {
            var document = new
            {
                title = feed.Title,
                warnings = feed.Warnings,
                items = articles.Select(a => new
                {
                    key = a.Key,
                    title = a.Title,
                    url = a.Url,
                    published = a.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    summary = a.Summary,
                }),
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(document, Json));
            return 0;
        }

        await output.WriteLineAsync($"{feed.Title} ({feed.Format}, {articles.Count} items)");
        foreach (var warning in feed.Warnings)
        {
            await output.WriteLineAsync($"warning: {warning}");
        }
        foreach (var a in articles)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"- {a.Title}");
            await output.WriteLineAsync($"  key:       {a.Key}");
            await output.WriteLineAsync($"  url:       {a.Url ?? "(none)"}");
            await output.WriteLineAsync($"  published: {a.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "(unknown)"}");
            await output.WriteLineAsync($"  summary:   {Shorten(OneLine(a.Summary), 300)}");
        }

        return 0;
    }

    private static async Task<ParsedFeed> ReadAsync(string source, bool allowLoopback, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            // A local path given by the operator is read directly.
            var bytes = await File.ReadAllBytesAsync(source, cancellationToken);
            return FeedParser.Parse(bytes, null, null);
        }

        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(allowLoopback ? [new("Fetcher:AllowLoopback", "true")] : [])
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Error))
            .AddAlertsFetcher();
        await using var provider = services.BuildServiceProvider();
        var fetcher = provider.GetRequiredService<IFeedFetcher>();
        var result = await fetcher.FetchAsync(uri, null, null, cancellationToken);
        if (result.Status != FetchStatus.Ok)
        {
            throw new PreviewException(result.Error ?? result.Status.ToString());
        }

        return FeedParser.Parse(result.Body, result.Charset, result.FinalUrl ?? uri);
    }

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private sealed class PreviewException(string message) : Exception(message);
}
