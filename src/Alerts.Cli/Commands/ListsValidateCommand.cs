using System.CommandLine;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts lists validate FILE...</c>: prints FILE:line:column: message per error; exit code 1 when invalid.</summary>
internal static class ListsValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("file") { Description = "Keyword-list files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check keyword lists and print every error with its line and column.") { files };
        command.SetAction(async (parse, ct) =>
        {
            var invalid = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                var (definition, errors) = await ListFiles.ValidateAsync(file, error, ct);
                if (definition is null || errors > 0)
                {
                    invalid++;
                }
                else
                {
                    await output.WriteLineAsync($"{file}: valid: list '{definition.Name}' version {definition.Version}, {definition.Signals.Count} signals.");
                }
            }

            return invalid == 0 ? 0 : 1;
        });
        return command;
    }
}
