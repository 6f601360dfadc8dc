using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Digests;

/// <summary>One story in a digest: what it is, how bad, where, who reported it and why it matched.</summary>
public sealed record DigestItem(
    string StoryId,
    string Title,
    string? Url,
    Severity Severity,
    DateTimeOffset? Published,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Sources,
    IReadOnlyList<SignalMatch> Signals,
    ArticlePlace? Place = null,
    string? StoryUrl = null);

/// <summary>Decides whether an alert matches a subscriber's filters.</summary>
public static class AlertFilter
{
    public static bool Matches(DigestItem item, SubscriberPreferences preferences, Gazetteer? gazetteer = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(preferences);
        gazetteer ??= Gazetteer.Default;
        if (item.Severity < preferences.MinimumSeverity)
        {
            return false;
        }

        if (preferences.Signals.Count > 0 && !item.Signals.Any(s => preferences.Signals.Contains(s.Id, StringComparer.Ordinal)))
        {
            return false;
        }

        // Surges and silences go only to those who chose them: "all signals" means the keyword lists' signals.
        if (item.Signals.Count > 0 && item.Signals.All(s => Situation.TrendSignals.IsTrend(s.Id)) && !item.Signals.Any(s => preferences.Signals.Contains(s.Id, StringComparer.Ordinal)))
        {
            return false;
        }

        if (preferences.Lists.Count > 0 && !item.Signals.Any(s => preferences.Lists.Contains(s.List, StringComparer.Ordinal)))
        {
            return false;
        }

        if (preferences.Countries.Count == 0 && preferences.Regions.Count == 0 && preferences.Places.Count == 0)
        {
            return true;
        }

        // Countries, regions and places: any of them (a place matches the story's town or its division).
        return item.Countries.Any(code =>
            preferences.Countries.Contains(code, StringComparer.OrdinalIgnoreCase)
            || (gazetteer.Countries.TryGetValue(code, out var country)
                && preferences.Regions.Any(r => string.Equals(r, country.Region, StringComparison.OrdinalIgnoreCase) || string.Equals(r, country.SubRegion, StringComparison.OrdinalIgnoreCase))))
            || (item.Place is { } place && preferences.Places.Any(p => PlaceGazetteer.Default.KeysFor(p) is var keys
                && (keys.Contains(PlaceGazetteer.Key(place.Name)) || (place.Division.Length > 0 && keys.Contains(PlaceGazetteer.Key(place.Division))))));
    }
}
