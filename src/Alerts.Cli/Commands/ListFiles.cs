using Alerts.Core.Scoring;

namespace Alerts.Cli.Commands;

/// <summary>Loads keyword-list files given on the command line, reporting errors as FILE:line:column: message.</summary>
internal static class ListFiles
{
    public static async Task<CompiledKeywordLists> LoadAsync(IReadOnlyList<string> files, TextWriter error, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return DefaultKeywordLists.Compiled;
        }

        var definitions = new List<KeywordListDefinition>();
        var failed = false;
        foreach (var file in files)
        {
            var (definition, errors) = await ValidateAsync(file, error, cancellationToken);
            if (definition is null || errors > 0)
            {
                failed = true;
            }
            else
            {
                definitions.Add(definition);
            }
        }

        return failed ? throw new InvalidListException() : CompiledKeywordLists.Compile(definitions);
    }

    /// <summary>Parses one file and prints its errors; returns the definition (null if invalid) and the error count.</summary>
    public static async Task<(KeywordListDefinition? Definition, int Errors)> ValidateAsync(string file, TextWriter error, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"alerts: cannot read '{file}': {ex.Message}");
            return (null, 1);
        }

        var (definition, errors) = KeywordListParser.TryParse(text);
        foreach (var e in errors)
        {
            await error.WriteLineAsync($"{file}:{e.Line}:{e.Column}: {e.Message}");
        }

        return (definition, errors.Count);
    }

    public sealed class InvalidListException : Exception;
}
