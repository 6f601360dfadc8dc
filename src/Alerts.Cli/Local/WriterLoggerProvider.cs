using Microsoft.Extensions.Logging;

namespace Alerts.Cli.Local;

/// <summary>
/// Log lines on the command's own error writer, one line each ("warning: FeedIngestor: Feed … failed"), so that they
/// go where the command's other messages go (and tests see them), without the console logger's two-line layout.
/// </summary>
internal sealed class WriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(writer, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Trace or LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warning",
                LogLevel.Error => "error",
                _ => "critical",
            };
            var line = $"{level}: {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}";
            lock (writer)
            {
                writer.WriteLine(line);
            }
        }
    }
}
