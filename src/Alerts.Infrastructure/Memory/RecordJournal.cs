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

    /// <summary>A record that could not be read at load: reported, and left out (the rest of the store is used).</summary>
    void Damaged(string collection, string key, string reason);
}

/// <summary>JSON for journaled records: the service's message options (camelCase, string enums where declared).</summary>
internal static class JournalJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, ArticleMessage.JsonOptions);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, ArticleMessage.JsonOptions) ?? throw new JsonException("The record is null.");

    /// <summary>Every record of a collection that reads as <typeparamref name="T"/>; the others are reported to the journal and left out.</summary>
    public static IEnumerable<(string Key, T Value)> LoadAll<T>(IRecordJournal journal, string collection)
    {
        foreach (var (key, json) in journal.Load(collection))
        {
            T value;
            try
            {
                value = Read<T>(json);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                journal.Damaged(collection, key, ex.Message);
                continue;
            }

            yield return (key, value);
        }
    }
}
