namespace Alerts.Core.Scoring;

/// <summary>The keyword lists shipped with the service (embedded resources), seeded into storage on first start.</summary>
public static class DefaultKeywordLists
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Documents = new(Load);
    private static readonly Lazy<CompiledKeywordLists> CompiledDefaults = new(() =>
        CompiledKeywordLists.Compile(Documents.Value.Values.Select(KeywordListParser.Parse).ToArray()));

    /// <summary>Each default list's document by list name.</summary>
    public static IReadOnlyDictionary<string, string> All => Documents.Value;

    /// <summary>The default lists, compiled once.</summary>
    public static CompiledKeywordLists Compiled => CompiledDefaults.Value;

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(DefaultKeywordLists).Assembly;
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".keywords", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            documents[KeywordListParser.Parse(text).Name] = text;
        }

        return documents;
    }
}
