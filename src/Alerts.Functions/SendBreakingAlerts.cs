using Alerts.Core.Digests;
using Alerts.Core.Scoring;
using Alerts.Infrastructure.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions;

/// <summary>
/// Sends a critical alert at once to the subscribers who want immediate alerts and whose filters match. A delivery that
/// must wait throws, so the queue delivers the message again (and after maxDequeueCount, to breaking-poison).
/// </summary>
public sealed class SendBreakingAlerts(BreakingAlertSender sender)
{
    [Function(nameof(SendBreakingAlerts))]
    public Task<BreakingReport> Run([QueueTrigger(QueueNames.Breaking, Connection = "AzureWebJobsStorage")] BreakingAlertMessage message, CancellationToken cancellationToken) =>
        sender.SendAsync(message, cancellationToken);
}
