using System.Text.Json;
using System.Text.RegularExpressions;
using Alerts.Testing;

namespace Alerts.Functions.Tests;

/// <summary>docs/openapi.yaml describes every HTTP route the build output declares, with its methods, and nothing else.</summary>
public sealed partial class OpenApiTests
{
    private static readonly string Yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "openapi.yaml"));

    private static Dictionary<string, SortedSet<string>> Documented()
    {
        var paths = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var inPaths = false;
        string? current = null;
        foreach (var line in Yaml.Split('\n'))
        {
            if (!line.StartsWith(' ') && line.TrimEnd().EndsWith(':'))
            {
                inPaths = line.TrimEnd() == "paths:";
                continue;
            }

            if (!inPaths)
            {
                continue;
            }

            if (PathLine().Match(line) is { Success: true } path)
            {
                current = path.Groups[1].Value;
                paths[current] = new SortedSet<string>(StringComparer.Ordinal);
            }
            else if (current is not null && MethodLine().Match(line) is { Success: true } method)
            {
                paths[current].Add(method.Groups[1].Value);
            }
        }

        return paths;
    }

    private static Dictionary<string, SortedSet<string>> Declared()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var metadata = Path.Combine(RepositoryPaths.Root, "src", "Alerts.Functions", "bin", configuration, "net10.0", "functions.metadata");
        using var json = JsonDocument.Parse(File.ReadAllText(metadata));
        return json.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .ToDictionary(
                b => "/" + Constraint().Replace(b.GetProperty("route").GetString()!, "{$1}"),
                b => new SortedSet<string>(b.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()), StringComparer.Ordinal),
                StringComparer.Ordinal);
    }

    [Fact]
    public void EveryRouteInFunctionsMetadata_IsDocumentedWithItsMethods()
    {
        var documented = Documented();
        var declared = Declared();

        Assert.True(declared.Count >= 18, "the HTTP routes were found in functions.metadata");
        foreach (var (route, methods) in declared)
        {
            Assert.True(documented.ContainsKey(route), $"{route} is missing from docs/openapi.yaml");
            Assert.Equal(methods, documented[route]);
        }

        Assert.Empty(documented.Keys.Except(declared.Keys));
    }

    [Fact]
    public void EveryReference_PointsToAComponent()
    {
        foreach (Match reference in Reference().Matches(Yaml))
        {
            var (kind, name) = (reference.Groups[1].Value, reference.Groups[2].Value);
            Assert.Matches(new Regex($@"(?m)^  {kind}:\n(?:(?:    .*|\s*)\n)*?    {Regex.Escape(name)}:"), Yaml);
        }
    }

    [GeneratedRegex(@"^  (/[^:\s]+):\s*$")]
    private static partial Regex PathLine();

    [GeneratedRegex(@"^    (get|put|post|delete|patch):")]
    private static partial Regex MethodLine();

    [GeneratedRegex(@"\{\*?(\w+)(?::\w+)?\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"\$ref: ""#/components/(\w+)/(\w+)""")]
    private static partial Regex Reference();
}
