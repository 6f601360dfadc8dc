using System.Text.Json;
using Alerts.Core.Ingestion;

namespace Alerts.Infrastructure.Memory;

/// <summary>
/// Where in-memory stores keep their records between runs (SQLite for <c>alerts run</c>); every change is written
/// through while the store's lock is held, and everything is loaded when a store is created.
/// </summary>
public interface IRecordJournal
{
    IEnumerable<(string Key, string Json)> Load(string collection);

    void Save(string collection, string key, string json);

    void Delete(string collection, string key);
}

/// <summary>JSON for journaled records: the service's message options (camelCase, string enums where declared).</summary>
internal static class JournalJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, ArticleMessage.JsonOptions);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, ArticleMessage.JsonOptions)!;
}
