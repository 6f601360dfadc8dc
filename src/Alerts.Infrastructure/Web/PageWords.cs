using Microsoft.AspNetCore.Http;
using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Subscriptions;
using Alerts.Core.Texts;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The words of the pages people open from email (confirm, unsubscribe), in the subscriber's language (any of
/// <see cref="TextCatalog"/>; English when the link names nobody), and the summary of a subscription that a confirmation confirms. Severity names
/// and date cultures are the emails' own (<see cref="DigestRenderer"/>).
/// </summary>
internal sealed class PageWords
{
    private readonly IReadOnlyDictionary<string, string> _words;

    private PageWords(string language)
    {
        Language = language;
        Texts = TextCatalog.For(language);
        _words = Texts.Page;
    }

    public string Language { get; }

    /// <summary>Everything the language writes for subscribers: the emails' words, signal labels, dates, direction.</summary>
    public LanguageTexts Texts { get; }

    public string this[string key] => _words[key];

    /// <summary>The word for <paramref name="key"/>, or null when the pages have none.</summary>
    public string? Find(string key) => _words.GetValueOrDefault(key);

    /// <summary>A default signal's label in the page's language ("Couvre-feu", "حظر التجول"); the id for another signal.</summary>
    public string Signal(string id) => Texts.Signals.GetValueOrDefault(id, id);

    /// <summary>The page language a visitor asked for: <c>?lang=</c>, else the first language of Accept-Language that subscribers can choose.</summary>
    public static PageWords ForRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asked = request.Query["lang"].ToString();
        if (TextCatalog.Has(asked))
        {
            return For(asked);
        }

        var accepted = request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant()).FirstOrDefault(l => l is not null && TextCatalog.Has(l));
        return For(accepted);
    }

    public static PageWords For(string? language) => new(TextCatalog.Has(language) ? language : "en");

    /// <summary>What the subscription is: address, places, signals, severity, immediate alerts and the digest's schedule.</summary>
    public static IReadOnlyList<(string Label, string Value)> Summary(Subscriber subscriber, PageWords words)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(words);
        var p = subscriber.Preferences;
        var culture = words.Texts.Culture;
        var countries = p.Countries.Select(c => Gazetteer.Default.Countries.TryGetValue(c, out var country) ? country.NameIn(words.Language) : c);
        var where = string.Join(", ", countries.Concat(p.Regions).Concat(p.Places));
        var at = p.At.ToString("HH:mm", culture);
        var digest = p.Frequency switch
        {
            DigestFrequency.None => words["none"],
            DigestFrequency.Hourly => words["hourly"],
            DigestFrequency.Weekly => string.Format(culture, words["weekly"], at, culture.DateTimeFormat.GetDayName(p.Day)),
            _ => string.Format(culture, words["daily"], at),
        };
        return
        [
            (words["address"], subscriber.Email),
            (words["where"], where.Length == 0 ? words["everywhere"] : where),
            (words["signals"], p.Signals.Count == 0 ? words["all_signals"] : string.Join(", ", p.Signals.Select(words.Signal))),
            (words["severity"], DigestRenderer.SeverityName(p.MinimumSeverity, words.Language)),
            (words["immediate"], p.ImmediateCritical ? words["yes"] : words["no"]),
            (words["digest"], p.Frequency == DigestFrequency.None ? words["none"] : $"{digest} ({subscriber.TimeZone})"),
            .. subscriber.PendingChannel is { } channel
                ? new[] { (words["channels_title"], channel.Kind + ": " + (channel.Kind == Alerts.Core.Channels.ChannelKind.Telegram ? channel.Target : new Alerts.Core.Channels.Channel { Id = "", Kind = channel.Kind, Target = channel.Target }.RedactedTarget)) }
                : [],
        ];
    }
}
