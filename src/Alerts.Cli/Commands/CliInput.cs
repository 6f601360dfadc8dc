using System.Text.Json;

namespace Alerts.Cli.Commands;

/// <summary>What the commands share: reading a file or standard input, and the JSON they write.</summary>
internal static class CliInput
{
    /// <summary>JSON output: camelCase, non-ASCII text kept readable.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads <paramref name="source"/> ('-' for standard input); null, after a one-line error, when it cannot be read.</summary>
    public static async Task<string?> ReadAsync(string source, TextReader input, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return source == "-" ? await input.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(source, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"alerts: cannot read '{source}': {ex.Message}");
            return null;
        }
    }
}
