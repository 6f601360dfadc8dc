namespace Alerts.Core.Digests;

/// <summary>The claim rule every delivery store applies to a record that already exists.</summary>
public static class DeliveryClaims
{
    /// <summary>Accepted and Failed are final; Sending and Deferred can be taken over once their claim has run out.</summary>
    public static ClaimStatus Judge(Delivery existing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return existing.State switch
        {
            DeliveryState.Accepted => ClaimStatus.AlreadyAccepted,
            DeliveryState.Failed => ClaimStatus.Failed,
            _ when existing.ClaimedUntil > now => ClaimStatus.Busy,
            _ => ClaimStatus.Claimed,
        };
    }
}
