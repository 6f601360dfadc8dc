using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Scoring;

/// <summary>Settings for scoring (configuration section "Scoring").</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>How often a scorer checks the store for changed lists. Default: 30 seconds.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an instance owns the hand-off of a critical alert to the breaking queue. The hand-off takes milliseconds;
    /// when its owner dies holding it, a copy queued for the end of this lease sends the alert. Default: 1 minute.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BreakingClaimLease { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The active keyword lists, compiled and cached. Seeds the default lists when the store has none; checks the store's
/// ETags at most every <see cref="ScoringOptions.RefreshInterval"/> and recompiles when a document changed. A stored
/// document that does not validate is logged and ignored: the last valid version of that list keeps working.
/// </summary>
public sealed partial class KeywordListProvider(IKeywordListStore store, TimeProvider time, IOptions<ScoringOptions> options, ILogger<KeywordListProvider> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (string ETag, KeywordListDefinition Definition)> _valid = new(StringComparer.Ordinal);
    private Snapshot? _current;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>The compiled lists and the version of each ("escalation@3").</summary>
    public sealed record Snapshot(CompiledKeywordLists Compiled, IReadOnlyList<string> Versions, IReadOnlyList<KeywordListDefinition> Definitions);

    /// <summary>Stored lists that do not validate (ignored; their last valid version, if any, keeps working), with their first error.</summary>
    public IReadOnlyDictionary<string, string> InvalidLists => _invalid;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _invalid = new(StringComparer.Ordinal);

    public async Task<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && time.GetUtcNow() - _checkedAt < options.Value.RefreshInterval)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is not null && time.GetUtcNow() - _checkedAt < options.Value.RefreshInterval)
            {
                return _current;
            }

            _current = await RefreshAsync(cancellationToken);
            _checkedAt = time.GetUtcNow();
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var versions = await store.GetVersionsAsync(cancellationToken);
        if (versions.Count == 0)
        {
            foreach (var (name, document) in DefaultKeywordLists.All)
            {
                await store.TrySaveAsync(name, document, ifMatch: null, cancellationToken);
                LogSeeded(logger, name);
            }

            versions = await store.GetVersionsAsync(cancellationToken);
        }

        var changed = _current is null;
        foreach (var (name, etag) in versions)
        {
            if (_valid.TryGetValue(name, out var known) && known.ETag == etag)
            {
                continue;
            }

            var stored = await store.GetAsync(name, cancellationToken);
            if (stored is null)
            {
                continue;
            }

            var (definition, errors) = KeywordListParser.TryParse(stored.Document);
            if (definition is null)
            {
                LogInvalid(logger, name, errors.Count, errors[0].ToString());
                _invalid[name] = errors[0].ToString();
                continue;
            }

            _invalid.TryRemove(name, out _);
            _valid[name] = (stored.ETag, definition);
            changed = true;
            LogLoaded(logger, name, definition.Version, definition.Signals.Count);
        }

        foreach (var gone in _invalid.Keys.Where(k => !versions.ContainsKey(k)).ToList())
        {
            _invalid.TryRemove(gone, out _);
        }

        foreach (var removed in _valid.Keys.Where(k => !versions.ContainsKey(k)).ToList())
        {
            _valid.Remove(removed);
            changed = true;
        }

        if (!changed && _current is not null)
        {
            return _current;
        }

        var definitions = _valid.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value.Definition).ToArray();
        if (definitions.Length == 0)
        {
            definitions = [.. DefaultKeywordLists.Compiled.Definitions]; // never score with nothing
        }

        return new Snapshot(CompiledKeywordLists.Compile(definitions), definitions.Select(d => $"{d.Name}@{d.Version}").ToArray(), definitions);
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded default keyword list {List}")]
    private static partial void LogSeeded(ILogger logger, string list);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded keyword list {List} version {Version} with {Signals} signals")]
    private static partial void LogLoaded(ILogger logger, string list, int version, int signals);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored keyword list {List} is invalid ({Errors} errors, first: {FirstError}); keeping its last valid version")]
    private static partial void LogInvalid(ILogger logger, string list, int errors, string firstError);
}
