using Alerts.Core.Admin;
using Alerts.Core.Ingestion;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Stories;

namespace Alerts.Core.Situation;

/// <summary>A country on the map: the highest severity of its articles in the period, counts, and its surges and silences.</summary>
public sealed record MapCountry(string Code, string Name, Severity MaxSeverity, int Articles, int Alerting, IReadOnlyList<string> Signals, IReadOnlyList<TrendFlag> Trends);

/// <summary>A marker: a place named by articles of the period, with coordinates.</summary>
public sealed record MapPlace(string Name, string Division, string Country, double Latitude, double Longitude, int Articles, Severity MaxSeverity);

/// <summary>The world at a glance over the last days.</summary>
public sealed record SituationMap(DateTimeOffset From, DateTimeOffset To, int Articles, IReadOnlyList<MapCountry> Countries, IReadOnlyList<MapPlace> Places);

/// <summary>One day of a country's timeline.</summary>
public sealed record TimelineDay(DateTimeOffset Day, int Articles, int Watch, int Warning, int Critical, IReadOnlyDictionary<string, int> Signals);

/// <summary>A feed that reported on the country in the period, with its health.</summary>
public sealed record CountryFeed(int Articles, FeedView Feed);

/// <summary>A country's page: its timeline, active stories, places, feeds and trends.</summary>
public sealed record CountryPage(string Code, string Name, string Region, string SubRegion, int Days, IReadOnlyList<TimelineDay> Timeline, IReadOnlyList<AlertRecord> ActiveAlerts, IReadOnlyList<PlaceActivity> Places, IReadOnlyList<CountryFeed> Feeds, IReadOnlyList<TrendFlag> Trends);

/// <summary>An article of a story as its page shows it: source, severity, signals with evidence, places, language, and whether it brought a new source or a higher severity.</summary>
public sealed record StoryArticleView(string Id, string Title, string? Url, string Source, DateTimeOffset? Published, DateTimeOffset ScoredAt, string? Language, Severity Severity, IReadOnlyList<SignalMatch> Signals, IReadOnlyList<string> Countries, IReadOnlyList<ArticlePlace> Places, bool NewSource, bool SeverityRose);

/// <summary>A story's page: the story, its alert and its articles in the order they were read.</summary>
public sealed record StoryPage(string Id, string Title, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, Severity MaxSeverity, IReadOnlyList<string> Countries, IReadOnlyList<string> Sources, AlertRecord? Alert, IReadOnlyList<StoryArticleView> Articles, IReadOnlyList<string> Languages);

/// <summary>
/// The reads behind the map, the country pages and the story pages. The map and the country pages read the day
/// roll-ups only (one row per day, whatever the number of articles), the story page its own articles (at most 50).
/// </summary>
public sealed class SituationService(IActivityStore activity, IAlertStore alerts, IStoryStore stories, IScoredArticleStore scored, IFeedRegistry feeds, TimeProvider time)
{
    /// <summary>Days a country page may show.</summary>
    public static readonly IReadOnlyList<int> PageDays = [7, 30, 90];

    /// <summary>The map over the last <paramref name="days"/> days (today included).</summary>
    public async Task<SituationMap> MapAsync(int days, CancellationToken cancellationToken)
    {
        var (from, to) = Period(days);
        var periods = await activity.ListAsync(ActivitySpan.Day, from, to, cancellationToken);
        var countries = periods.SelectMany(p => p.Countries).GroupBy(kv => kv.Key, StringComparer.Ordinal).Select(g =>
        {
            var parts = g.Select(kv => kv.Value).ToList();
            var trends = periods.SelectMany(p => p.Trends).Where(t => t.Country == g.Key).OrderByDescending(t => t.Hour).ToList();
            return new MapCountry(g.Key, NameOf(g.Key), parts.Max(p => p.MaxSeverity), parts.Sum(p => p.Articles), parts.Sum(p => p.Watch + p.Warning + p.Critical),
                [.. parts.SelectMany(p => p.Signals).GroupBy(s => s.Key, StringComparer.Ordinal).OrderByDescending(s => s.Sum(x => x.Value)).ThenBy(s => s.Key, StringComparer.Ordinal).Take(3).Select(s => s.Key)],
                trends);
        }).OrderByDescending(c => c.MaxSeverity).ThenByDescending(c => c.Articles).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        var places = periods.SelectMany(p => p.Countries.SelectMany(c => c.Value.Places.Select(place => (Country: c.Key, Place: place))))
            .Where(x => x.Place.Latitude is not null && x.Place.Longitude is not null && x.Place.MaxSeverity > Severity.None)
            .GroupBy(x => (x.Country, x.Place.Name, x.Place.Division))
            .Select(g => new MapPlace(g.Key.Name, g.Key.Division, g.Key.Country, g.First().Place.Latitude!.Value, g.First().Place.Longitude!.Value, g.Sum(x => x.Place.Articles), g.Max(x => x.Place.MaxSeverity)))
            .OrderByDescending(p => p.MaxSeverity).ThenByDescending(p => p.Articles).ThenBy(p => p.Name, StringComparer.Ordinal).Take(300).ToList();
        return new SituationMap(from, to, periods.Sum(p => p.Articles), countries, places);
    }

    /// <summary>A country's page over the last <paramref name="days"/> days; null when the code is not a country.</summary>
    public async Task<CountryPage?> CountryAsync(string code, int days, CancellationToken cancellationToken)
    {
        if (Gazetteer.Default.FindCountry(code) is not { } country)
        {
            return null;
        }

        days = Math.Clamp(days, 1, 366);
        var (from, to) = Period(days);
        var periods = await activity.ListAsync(ActivitySpan.Day, from, to, cancellationToken);
        var byDay = periods.ToDictionary(p => p.Start);
        var timeline = Enumerable.Range(0, days).Select(i => from.AddDays(i)).Select(day =>
            byDay.GetValueOrDefault(day)?.Countries.GetValueOrDefault(country.Code) is { } c
                ? new TimelineDay(day, c.Articles, c.Watch, c.Warning, c.Critical, c.Signals)
                : new TimelineDay(day, 0, 0, 0, 0, new Dictionary<string, int>())).ToList();
        var mine = periods.Select(p => p.Countries.GetValueOrDefault(country.Code)).OfType<CountryActivity>().ToList();
        var places = mine.SelectMany(c => c.Places).GroupBy(p => (p.Name, p.Division))
            .Select(g => g.First() with { Articles = g.Sum(p => p.Articles), MaxSeverity = g.Max(p => p.MaxSeverity) })
            .OrderByDescending(p => p.MaxSeverity).ThenByDescending(p => p.Articles).ThenBy(p => p.Name, StringComparer.Ordinal).Take(20).ToList();
        var feedCounts = mine.SelectMany(c => c.Feeds).GroupBy(f => f.Key, StringComparer.Ordinal).Select(g => (Id: g.Key, Articles: g.Sum(f => f.Value)))
            .OrderByDescending(f => f.Articles).ThenBy(f => f.Id, StringComparer.Ordinal).Take(20).ToList();
        var countryFeeds = new List<CountryFeed>();
        foreach (var (id, articles) in feedCounts)
        {
            if (await feeds.GetAsync(id, cancellationToken) is { } feed)
            {
                countryFeeds.Add(new CountryFeed(articles, FeedView.From(feed)));
            }
        }

        var active = await alerts.QueryAsync(new AlertQuery(time.GetUtcNow() - StoryClusterer.Window, Severity.Watch, country.Code), null, 50, cancellationToken);
        return new CountryPage(country.Code, country.Name, country.Region, country.SubRegion, days, timeline,
            [.. active.Alerts.OrderByDescending(a => a.Severity).ThenByDescending(a => a.ChangedAt)], places, countryFeeds,
            [.. periods.SelectMany(p => p.Trends).Where(t => t.Country == country.Code).OrderByDescending(t => t.Hour)]);
    }

    /// <summary>A story's page; null when there is no such story (a trend alert has only its alert).</summary>
    public async Task<StoryPage?> StoryAsync(string id, CancellationToken cancellationToken)
    {
        var alert = await alerts.GetAsync(id, cancellationToken);
        var story = await stories.GetAsync(id, cancellationToken);
        if (story is null)
        {
            return alert is null ? null : new StoryPage(alert.StoryId, alert.Title, alert.CreatedAt, alert.ChangedAt, alert.Severity, alert.Countries, alert.Sources, alert, [], []);
        }

        var read = new List<ScoredArticle>();
        foreach (var articleId in story.ArticleIds)
        {
            if (await scored.GetAsync(articleId, cancellationToken) is { } article)
            {
                read.Add(article);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var highest = Severity.None;
        var views = new List<StoryArticleView>();
        foreach (var a in read.OrderBy(a => a.ScoredAt).ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            var source = StoryArticle.SourceOf(a.Url, a.FeedId);
            var rose = a.Result.Severity > highest && views.Count > 0;
            highest = a.Result.Severity > highest ? a.Result.Severity : highest;
            views.Add(new StoryArticleView(a.Id, a.Title, a.Url, source, a.Published, a.ScoredAt, a.Language, a.Result.Severity, a.Result.Signals, a.Countries, a.Places, seen.Add(source) && views.Count > 0, rose));
        }

        return new StoryPage(story.Id, story.Title, story.FirstSeen, story.LastSeen, story.MaxSeverity, story.Countries, story.Sources, alert, views,
            [.. views.Select(v => v.Language).OfType<string>().Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>A country's name in English, else its code.</summary>
    public static string NameOf(string code) => Gazetteer.Default.Countries.TryGetValue(code, out var c) ? c.Name : code;

    private (DateTimeOffset From, DateTimeOffset To) Period(int days)
    {
        var today = ActivityPeriod.DayOf(time.GetUtcNow());
        return (today.AddDays(-(Math.Clamp(days, 1, 366) - 1)), today.AddDays(1));
    }
}
