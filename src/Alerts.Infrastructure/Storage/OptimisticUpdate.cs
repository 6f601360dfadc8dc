using Azure;

namespace Alerts.Infrastructure.Storage;

/// <summary>
/// Read, change, write back with the read ETag; on a conflicting write (412) read again and re-apply. The one
/// read-modify-write loop of the table adapters.
/// </summary>
internal static class OptimisticUpdate
{
    /// <returns>The written value; the read value when <paramref name="change"/> returned it unchanged; null when there is nothing to update.</returns>
    public static async Task<T?> RunAsync<T>(
        Func<Task<(T Value, ETag ETag)?>> read,
        Func<T, T> change,
        Func<T, ETag, Task<T>> write,
        int maxConflicts = 20)
        where T : class
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await read() is not { } current)
            {
                return null;
            }

            var updated = change(current.Value);
            if (ReferenceEquals(updated, current.Value))
            {
                return current.Value;
            }

            try
            {
                return await write(updated, current.ETag);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < maxConflicts)
            {
                // Someone else wrote in between: re-read and re-apply.
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
        }
    }
}
