using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Feedback;

/// <summary>What a subscriber said about an alert they received.</summary>
public enum FeedbackKind
{
    Useful,
    FalseAlarm,
    WrongPlace,
}

/// <summary>One subscriber's word on one story (the latest one counts), with what the alert was made of.</summary>
public sealed record FeedbackRecord
{
    public required string StoryId { get; init; }
    public required string SubscriberId { get; init; }
    public required FeedbackKind Kind { get; init; }
    public DateTimeOffset At { get; init; }
    public string ArticleId { get; init; } = "";
    public string Title { get; init; } = "";
    public IReadOnlyList<string> Countries { get; init; } = [];
    public IReadOnlyList<string> Signals { get; init; } = [];

    /// <summary>The keyword-list rules that matched, as "list/signal: kind \"matched words\"".</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
}

/// <summary>Feedback (a table in production: one row per story and subscriber, partitioned by month).</summary>
public interface IFeedbackStore
{
    /// <summary>Adds or replaces the subscriber's word on the story: saying it twice changes nothing.</summary>
    Task RecordAsync(FeedbackRecord feedback, CancellationToken cancellationToken);

    /// <summary>Every record given at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<FeedbackRecord>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes every record of a subscriber (erasure).</summary>
    Task DeleteAllAsync(string subscriberId, CancellationToken cancellationToken);
}

/// <summary>How one signal or rule fared.</summary>
public sealed record FeedbackCount(string Key, int Useful, int FalseAlarm, int WrongPlace)
{
    public int Total => Useful + FalseAlarm + WrongPlace;

    /// <summary>The share of its alerts marked false alarms.</summary>
    public double FalseAlarmRate => Total == 0 ? 0 : Math.Round((double)FalseAlarm / Total, 3);
}

/// <summary>Feedback over a period: per signal, per rule (most false alarms first), and the false alarms themselves.</summary>
public sealed record FeedbackSummary(DateTimeOffset Since, int Records, IReadOnlyList<FeedbackCount> Signals, IReadOnlyList<FeedbackCount> Rules, IReadOnlyList<FeedbackRecord> FalseAlarms);

/// <summary>
/// Records what subscribers say about alerts through the signed link in every alert ("useful", "false alarm", "wrong
/// place") and sums it up for admins. An email's links are the subscriber's own preferences link plus the story; a
/// channel message's carry a token that names the subscriber and the story and can do nothing else, because a shared
/// Slack or Teams channel or a public Telegram channel is read by others.
/// </summary>
public sealed class FeedbackService(IFeedbackStore store, IAlertStore alerts, SubscriptionLinks links, ISubscriberStore subscribers, TimeProvider time)
{
    /// <summary>The kind named in a link ("useful", "false-alarm", "wrong-place"), or null.</summary>
    public static FeedbackKind? ParseKind(string? text) => text switch
    {
        "useful" => FeedbackKind.Useful,
        "false-alarm" => FeedbackKind.FalseAlarm,
        "wrong-place" => FeedbackKind.WrongPlace,
        _ => null,
    };

    /// <summary>How a kind is written in links.</summary>
    public static string Slug(FeedbackKind kind) => kind switch
    {
        FeedbackKind.FalseAlarm => "false-alarm",
        FeedbackKind.WrongPlace => "wrong-place",
        _ => "useful",
    };

    /// <summary>The subscriber and the alert a feedback link names, without recording anything (for the GET page).</summary>
    public async Task<(LinkOutcome Outcome, Subscriber? Subscriber, AlertRecord? Alert)> CheckAsync(string? token, string? storyId, CancellationToken cancellationToken)
    {
        // A channel message's link names its story in the token; an email's is the subscriber's own link plus the story.
        string id;
        if (links.VerifyFeedback(token) is { } named)
        {
            (id, storyId) = named;
        }
        else if (links.VerifyUnsubscribe(token) is { } subscriberId)
        {
            id = subscriberId;
        }
        else
        {
            return (LinkOutcome.InvalidToken, null, null);
        }

        var subscriber = await subscribers.GetAsync(id, cancellationToken);
        var alert = string.IsNullOrEmpty(storyId) || storyId.Length > 100 ? null : await alerts.GetAsync(storyId, cancellationToken);
        return subscriber is null || alert is null ? (LinkOutcome.Unknown, subscriber, null) : (LinkOutcome.Done, subscriber, alert);
    }

    /// <summary>Records the subscriber's word on the story; the same word again changes nothing, another replaces it.</summary>
    public async Task<(LinkOutcome Outcome, Subscriber? Subscriber, AlertRecord? Alert)> RecordAsync(string? token, string? storyId, FeedbackKind kind, CancellationToken cancellationToken)
    {
        var (outcome, subscriber, alert) = await CheckAsync(token, storyId, cancellationToken);
        if (outcome != LinkOutcome.Done)
        {
            return (outcome, subscriber, alert);
        }

        await store.RecordAsync(new FeedbackRecord
        {
            StoryId = alert!.StoryId,
            SubscriberId = subscriber!.Id,
            Kind = kind,
            At = time.GetUtcNow(),
            ArticleId = alert.ArticleId,
            Title = alert.Title,
            Countries = alert.Countries,
            Signals = alert.Signals,
            // The rule's kind and the words it matched ("escalation/curfew: phrase \"couvre-feu\""): which phrase fired.
            Rules = [.. alert.Evidence.SelectMany(s => s.Evidence.Select(e => $"{s.List}/{s.Id}: {e.Rule}" + (e.Matched is { Length: > 0 } m ? $" \"{Digests.DigestRenderer.OneLine(m).ToLowerInvariant()}\"" : ""))).Distinct(StringComparer.Ordinal)],
        }, cancellationToken);
        return (LinkOutcome.Done, subscriber, alert);
    }

    /// <summary>The feedback of the last <paramref name="days"/> days.</summary>
    public async Task<FeedbackSummary> SummaryAsync(int days, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().AddDays(-Math.Clamp(days, 1, 366));
        var records = await store.ListAsync(since, cancellationToken);
        static IReadOnlyList<FeedbackCount> Count(IEnumerable<(string Key, FeedbackKind Kind)> items) =>
            [.. items.GroupBy(i => i.Key, StringComparer.Ordinal)
                .Select(g => new FeedbackCount(g.Key, g.Count(i => i.Kind == FeedbackKind.Useful), g.Count(i => i.Kind == FeedbackKind.FalseAlarm), g.Count(i => i.Kind == FeedbackKind.WrongPlace)))
                .OrderByDescending(c => c.FalseAlarm).ThenByDescending(c => c.Total).ThenBy(c => c.Key, StringComparer.Ordinal)];
        return new FeedbackSummary(
            since,
            records.Count,
            Count(records.SelectMany(r => r.Signals.Select(s => (s, r.Kind)))),
            Count(records.SelectMany(r => r.Rules.Select(s => (s, r.Kind)))),
            [.. records.Where(r => r.Kind == FeedbackKind.FalseAlarm).OrderByDescending(r => r.At)]);
    }
}
