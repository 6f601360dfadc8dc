namespace Alerts.Core.Digests;

/// <summary>Where one delivery (one email to one subscriber for one digest window or one alert) stands.</summary>
public enum DeliveryState
{
    /// <summary>An instance holds it and is sending, until <see cref="Delivery.ClaimedUntil"/>.</summary>
    Sending,

    /// <summary>The provider accepted it: never send it again.</summary>
    Accepted,

    /// <summary>The provider refused it for good (a 4xx other than 429): recorded, not retried.</summary>
    Failed,

    /// <summary>Sending failed for now (429, 5xx, timeout); any instance may claim it again after <see cref="Delivery.ClaimedUntil"/>.</summary>
    Deferred,
}

/// <summary>
/// The record of one delivery, written before sending and completed on acceptance. Its id is fixed by what is being
/// delivered ("digest:20261128T0700Z", "breaking:{story}"), so a retry or a second instance finds it.
/// </summary>
public sealed record Delivery
{
    public required string SubscriberId { get; init; }
    public required string Id { get; init; }

    /// <summary>"digest", "breaking" or "confirmation".</summary>
    public required string Kind { get; init; }

    public DeliveryState State { get; init; } = DeliveryState.Sending;
    public int Attempts { get; init; }
    public DateTimeOffset ClaimedUntil { get; init; }

    /// <summary>For a digest: its scheduled time; the subscriber's <c>LastDigestDueAt</c> moves to it once accepted.</summary>
    public DateTimeOffset? WindowDueAt { get; init; }

    /// <summary>For a digest: the end of the alerts it holds; the subscriber's watermark moves to it once accepted.</summary>
    public DateTimeOffset? Cutoff { get; init; }

    /// <summary>The story of an immediate alert.</summary>
    public string? StoryId { get; init; }

    public DateTimeOffset? AcceptedAt { get; init; }
    public string? Error { get; init; }

    /// <summary>The id sent to the provider in custom args: subscriber and delivery.</summary>
    public string Key => SubscriberId + "/" + Id;
}

/// <summary>What claiming a delivery found.</summary>
public enum ClaimStatus
{
    /// <summary>This caller holds it now and should send.</summary>
    Claimed,

    /// <summary>Already accepted earlier: do not send; finish the bookkeeping that may not have happened.</summary>
    AlreadyAccepted,

    /// <summary>Another instance holds it, or it is deferred until later.</summary>
    Busy,

    /// <summary>Refused for good earlier.</summary>
    Failed,
}

/// <summary>The outcome of a claim and the record as stored.</summary>
public sealed record DeliveryClaim(ClaimStatus Status, Delivery Delivery);

/// <summary>Delivery records (a table in production, one partition per subscriber).</summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Creates the record in state Sending, or takes over an existing Sending or Deferred one whose claim has expired,
    /// with a lease until <paramref name="now"/> + <paramref name="lease"/>. Exactly one caller gets Claimed.
    /// </summary>
    Task<DeliveryClaim> TryClaimAsync(Delivery delivery, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a send: Accepted, Failed, or Deferred until <paramref name="retryAt"/>.</summary>
    Task CompleteAsync(Delivery delivery, DeliveryState state, DateTimeOffset now, string? failure, DateTimeOffset? retryAt, CancellationToken cancellationToken);

    Task<Delivery?> GetAsync(string subscriberId, string id, CancellationToken cancellationToken);

    /// <summary>Deletes every delivery record of a subscriber (erasure).</summary>
    Task DeleteAllAsync(string subscriberId, CancellationToken cancellationToken);
}
