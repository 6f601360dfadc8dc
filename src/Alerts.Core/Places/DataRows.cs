using System.Text;

namespace Alerts.Core.Places;

/// <summary>The rows of an embedded tab-separated data file: fields and line number, blank lines and '#' comments skipped.</summary>
internal static class DataRows
{
    public static IEnumerable<(string[] Fields, int Line)> Read(string resource)
    {
        using var stream = typeof(DataRows).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidDataException($"The resource {resource} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length > 0 && line[0] != '#')
            {
                yield return (line.Split('\t'), lineNo);
            }
        }
    }
}
