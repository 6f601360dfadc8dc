using Alerts.Core.Feeds;

namespace Alerts.Cli.Commands;

/// <summary>
/// Reads a list of feeds: an OPML file, or a text file with one feed per line (an http(s) URL or a local file path;
/// blank lines and lines starting with # are skipped). Relative paths are relative to the list's folder. Local paths
/// become file: URLs, which only the local runner reads.
/// </summary>
internal static class FeedList
{
    /// <exception cref="FeedParseException">An OPML file that is not OPML.</exception>
    public static IReadOnlyList<(string Url, string Title)> Read(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var text = File.ReadAllText(file.FullName);
        var folder = file.DirectoryName ?? Directory.GetCurrentDirectory();
        var entries = text.TrimStart().StartsWith('<')
            ? Opml.Read(text).Select(e => (e.Url, e.Title))
            : text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => (Url: l, Title: ""));
        return [.. entries.Select(e => (Resolve(e.Url, folder), e.Title)).Distinct()];
    }

    private static string Resolve(string entry, string folder) =>
        Uri.TryCreate(entry, UriKind.Absolute, out var uri) && (uri.Scheme is "http" or "https" or "file")
            ? uri.AbsoluteUri
            : new Uri(Path.GetFullPath(Path.Combine(folder, entry))).AbsoluteUri;
}
