using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Alerts.Functions.Tests;

/// <summary>
/// Runs a queue-triggered function the way the Functions host does against real Azurite queues: receives messages,
/// decodes Base64, binds JSON (case-insensitive) to the parameter type, invokes; deletes on success; on failure makes
/// the message visible again, and after maxDequeueCount (host.json: 5) moves it to "{queue}-poison".
/// </summary>
internal sealed class QueueTriggerDriver(string connectionString, string queueName, int maxDequeueCount = 5)
{
    private static readonly JsonSerializerOptions HostJson = new(JsonSerializerDefaults.Web);
    private readonly QueueClient queue = new(connectionString, queueName);

    public int Succeeded { get; private set; }

    public int Poisoned { get; private set; }

    /// <summary>Invocations that threw (and were retried, or poisoned).</summary>
    public int Failed { get; private set; }

    /// <summary>The first line of each failure, for diagnosis.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Handles messages until the queue is empty; returns how many invocations succeeded.</summary>
    public async Task<int> DrainAsync<T>(Func<T, Task> function)
    {
        if (!await queue.ExistsAsync())
        {
            return 0;
        }

        while (true)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30))).Value;
            if (batch.Length == 0)
            {
                return Succeeded;
            }

            foreach (var message in batch)
            {
                try
                {
                    var value = JsonSerializer.Deserialize<T>(Convert.FromBase64String(message.MessageText), HostJson)
                        ?? throw new JsonException("The message is null.");
                    await function(value);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    Succeeded++;
                }
                catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or IOException or Azure.RequestFailedException or HttpRequestException or TimeoutException)
                {
                    Failed++;
                    Errors.Add($"{queueName}: {ex.GetType().Name} {(ex as Azure.RequestFailedException)?.Status} {(ex as Azure.RequestFailedException)?.ErrorCode}: {ex.Message.Split('\n')[0]} at {ex.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Alerts.", StringComparison.Ordinal))?.Trim()}");
                    if (message.DequeueCount >= maxDequeueCount)
                    {
                        var poison = new QueueClient(connectionString, queueName + "-poison");
                        await poison.CreateIfNotExistsAsync();
                        await poison.SendMessageAsync(message.MessageText);
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                        Poisoned++;
                    }
                    else
                    {
                        await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                    }
                }
            }
        }
    }
}
