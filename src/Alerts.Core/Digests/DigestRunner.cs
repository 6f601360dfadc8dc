using System.Globalization;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;
using Microsoft.Extensions.Logging;

namespace Alerts.Core.Digests;

/// <summary>What one digest run did.</summary>
public sealed record DigestRunReport(int Due, int Empty, int Accepted, int AlreadyAccepted, int Failed, int Pending, int Busy, int Requests)
{
    /// <summary>As a person reads it in health and logs.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Due} digests due: {Accepted} sent, {Empty} with nothing new, {AlreadyAccepted} sent before, {Failed} refused, {Pending} waiting, {Busy} held by another instance ({Requests} requests)");
}

/// <summary>
/// Sends the digests that are due: for each active subscriber whose digest time has come in their own zone, the alerts
/// changed since their watermark that match their filters (stories already sent to them as immediate alerts left out),
/// rendered once per distinct content and sent through <see cref="EmailDispatcher"/>. The watermark and the last due
/// time move only once the provider accepted the digest; a refused digest skips its window but keeps the alerts for
/// the next one; a subscriber with nothing new gets no email.
/// </summary>
public sealed partial class DigestRunner(
    ISubscriberStore subscribers,
    IAlertStore alerts,
    EmailDispatcher dispatcher,
    Subscriptions.SubscriptionLinks links,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<EmailOptions> options,
    ILogger<DigestRunner> logger)
{
    public const string Category = "digest";

    /// <summary>Sends the due digests; with <paramref name="everyoneDue"/> every active subscriber's digest counts as due now (the end of <c>alerts run --once</c>).</summary>
    public async Task<DigestRunReport> RunAsync(CancellationToken cancellationToken, bool everyoneDue = false)
    {
        var now = time.GetUtcNow();
        var due = new List<(Subscriber Subscriber, DateTimeOffset DueAt)>();
        await foreach (var subscriber in subscribers.ListAsync(SubscriberStatus.Active, cancellationToken))
        {
            if (everyoneDue && subscriber.Preferences.Frequency != DigestFrequency.None)
            {
                due.Add((subscriber, now));
            }
            else if (DigestSchedule.IsDue(subscriber, now))
            {
                due.Add((subscriber, DigestSchedule.LatestDue(subscriber.Preferences, subscriber.TimeZone, now)!.Value));
            }
        }

        if (due.Count == 0)
        {
            return new DigestRunReport(0, 0, 0, 0, 0, 0, 0, 0);
        }

        var since = due.Min(d => d.Subscriber.DigestWatermark);
        var changed = (await alerts.ListChangedAsync(since, now, cancellationToken))
            .Select(a => (Alert: a, Item: ToItem(a) with { StoryUrl = links.Story(a.StoryId) }))
            .ToList();

        var planned = new List<PlannedEmail>();
        var empty = new List<(Subscriber Subscriber, DateTimeOffset DueAt)>();
        var rendered = new Dictionary<string, EmailContent>(StringComparer.Ordinal);
        foreach (var (subscriber, dueAt) in due)
        {
            var from = subscriber.DigestSince(now);
            var matching = changed
                .Where(c => c.Alert.ChangedAt > from
                    && !subscriber.Immediate.Any(i => i.StoryId == c.Alert.StoryId)
                    && AlertFilter.Matches(c.Item, subscriber.Preferences))
                .Select(c => c.Item)
                .ToList();
            // Paused: the window passes like an empty one; after the pause, DigestSince skips the paused time.
            if (matching.Count == 0 || subscriber.IsPausedAt(now))
            {
                empty.Add((subscriber, dueAt));
                continue;
            }

            var items = matching.OrderByDescending(i => i.Severity).ThenByDescending(i => i.Published).Take(options.Value.MaxDigestItems).ToList();

            // Subscribers with the same items, language and zone get the same content: render it once.
            var period = new DigestPeriod(from, now);
            var key = subscriber.Language + "|" + subscriber.TimeZone + "|" + from.UtcTicks + "|" + string.Join(",", items.Select(i => i.StoryId));
            if (!rendered.TryGetValue(key, out var content))
            {
                content = DigestRenderer.Render(subscriber, items, EmailMessage.UnsubscribePlaceholder, omitted: matching.Count - items.Count, period: period);
                rendered[key] = content;
            }

            planned.Add(new PlannedEmail(subscriber, new Delivery
            {
                SubscriberId = subscriber.Id,
                Id = DeliveryId(dueAt),
                Kind = Category,
                WindowDueAt = dueAt,
                Cutoff = now,
            }, content));
        }

        // Nothing new: no email, but the window is done and the watermark moves on.
        await Parallel.ForEachAsync(empty, cancellationToken, async (e, ct) =>
            await CommitAsync(e.Subscriber.Id, e.DueAt, now, ct));

        var report = await dispatcher.DispatchAsync(
            planned,
            Category,
            (delivery, ct) => CommitAsync(delivery.SubscriberId, delivery.WindowDueAt ?? now, delivery.Cutoff, ct),
            (delivery, ct) => SkipWindowAsync(delivery.SubscriberId, delivery.WindowDueAt ?? now, ct),
            cancellationToken);
        LogRun(logger, due.Count, empty.Count, report.Accepted, report.Failed, report.Pending, report.Requests);
        return new DigestRunReport(due.Count, empty.Count, report.Accepted, report.AlreadyAccepted, report.Failed, report.Pending, report.Busy, report.Requests);
    }

    /// <summary>The delivery id of a digest window: one per subscriber and scheduled time.</summary>
    public static string DeliveryId(DateTimeOffset dueAt) => "digest:" + dueAt.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);

    /// <summary>A digest item for an alert: its story, severity, sources, countries and evidence.</summary>
    public static DigestItem ToItem(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var signals = alert.Evidence.Count > 0
            ? alert.Evidence
            : [.. alert.Signals.Select(id => new SignalMatch(id, id, "", 0, []))];
        var sources = alert.Sources.Count > 0 ? alert.Sources : [alert.FeedId];
        return new DigestItem(alert.StoryId, alert.Title, alert.Url, alert.Severity, alert.Published ?? alert.CreatedAt, alert.Countries, sources, signals, alert.Place);
    }

    private Task<Subscriber?> CommitAsync(string subscriberId, DateTimeOffset dueAt, DateTimeOffset? cutoff, CancellationToken cancellationToken) =>
        subscribers.UpdateAsync(subscriberId, s =>
        {
            var watermark = cutoff is { } c && c > s.DigestWatermark ? c : s.DigestWatermark;
            var last = s.LastDigestDueAt is { } l && l >= dueAt ? l : dueAt;
            return watermark == s.DigestWatermark && last == s.LastDigestDueAt ? s : s with { DigestWatermark = watermark, LastDigestDueAt = last };
        }, cancellationToken);

    // A refused digest: this window is over (no retry loop), the watermark stays so its alerts fold into the next one.
    private Task<Subscriber?> SkipWindowAsync(string subscriberId, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        CommitAsync(subscriberId, dueAt, null, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest run: {Due} due, {Empty} with nothing new, {Accepted} accepted, {Failed} refused, {Pending} pending, {Requests} requests")]
    private static partial void LogRun(ILogger logger, int due, int empty, int accepted, int failed, int pending, int requests);
}
