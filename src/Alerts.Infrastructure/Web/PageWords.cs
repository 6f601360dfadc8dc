using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Subscriptions;

namespace Alerts.Infrastructure.Web;

/// <summary>
/// The words of the pages people open from email (confirm, unsubscribe), in the subscriber's language (en, fr, es;
/// English when the link names nobody), and the summary of a subscription that a confirmation confirms. Severity names
/// and date cultures are the emails' own (<see cref="DigestRenderer"/>).
/// </summary>
internal sealed class PageWords
{
    private static readonly Dictionary<string, Dictionary<string, string>> Words = new(StringComparer.Ordinal)
    {
        ["en"] = new(StringComparer.Ordinal)
        {
            ["confirm_title"] = "Confirm your subscription", ["confirm_message"] = "Press the button to start receiving Crisis Alerts at this address, as below.",
            ["confirm_button"] = "Confirm my subscription", ["confirmed_title"] = "You are subscribed",
            ["confirmed_message"] = "Your subscription is confirmed. Alerts will arrive as below; every email has a link to leave at once.",
            ["invalid_title"] = "This link is not valid", ["confirm_invalid"] = "The confirmation link is incomplete, altered or expired. Subscribe again to get a new one.",
            ["notfound_title"] = "Subscription not found", ["notfound_message"] = "This subscription no longer exists, or was created again after this link was sent. Subscribe again to receive alerts.",
            ["unsub_title"] = "Unsubscribe", ["unsub_message"] = "Press the button to stop all Crisis Alerts emails to this address.", ["unsub_button"] = "Unsubscribe",
            ["unsubscribed_title"] = "You are unsubscribed", ["unsubscribed_message"] = "This address receives no more Crisis Alerts emails.",
            ["unsub_invalid"] = "The unsubscribe link is incomplete or altered. Use the link from your latest Crisis Alerts email.",
            ["unsub_invalid_post"] = "The unsubscribe link is incomplete or altered. Nothing was changed.",
            ["address"] = "Address", ["where"] = "Where", ["everywhere"] = "Everywhere", ["signals"] = "Signals", ["all_signals"] = "All signals",
            ["severity"] = "Digest from severity", ["immediate"] = "Critical alerts at once", ["yes"] = "yes", ["no"] = "no", ["digest"] = "Digest",
            ["none"] = "none", ["hourly"] = "every hour", ["daily"] = "every day at {0}", ["weekly"] = "every {1} at {0}",
        },
        ["fr"] = new(StringComparer.Ordinal)
        {
            ["confirm_title"] = "Confirmez votre abonnement", ["confirm_message"] = "Appuyez sur le bouton pour recevoir Crisis Alerts à cette adresse, comme ci-dessous.",
            ["confirm_button"] = "Confirmer mon abonnement", ["confirmed_title"] = "Vous êtes abonné",
            ["confirmed_message"] = "Votre abonnement est confirmé. Les alertes arriveront comme ci-dessous ; chaque message contient un lien pour partir aussitôt.",
            ["invalid_title"] = "Ce lien n'est pas valide", ["confirm_invalid"] = "Le lien de confirmation est incomplet, modifié ou expiré. Abonnez-vous de nouveau pour en recevoir un autre.",
            ["notfound_title"] = "Abonnement introuvable", ["notfound_message"] = "Cet abonnement n'existe plus, ou a été recréé après l'envoi de ce lien. Abonnez-vous de nouveau pour recevoir les alertes.",
            ["unsub_title"] = "Se désabonner", ["unsub_message"] = "Appuyez sur le bouton pour ne plus recevoir aucun message de Crisis Alerts à cette adresse.", ["unsub_button"] = "Me désabonner",
            ["unsubscribed_title"] = "Vous êtes désabonné", ["unsubscribed_message"] = "Cette adresse ne reçoit plus aucun message de Crisis Alerts.",
            ["unsub_invalid"] = "Le lien de désabonnement est incomplet ou modifié. Utilisez celui de votre dernier message de Crisis Alerts.",
            ["unsub_invalid_post"] = "Le lien de désabonnement est incomplet ou modifié. Rien n'a été changé.",
            ["address"] = "Adresse", ["where"] = "Où", ["everywhere"] = "Partout", ["signals"] = "Signaux", ["all_signals"] = "Tous les signaux",
            ["severity"] = "Résumé à partir de", ["immediate"] = "Alertes critiques immédiates", ["yes"] = "oui", ["no"] = "non", ["digest"] = "Résumé",
            ["none"] = "aucun", ["hourly"] = "toutes les heures", ["daily"] = "chaque jour à {0}", ["weekly"] = "chaque {1} à {0}",
        },
        ["es"] = new(StringComparer.Ordinal)
        {
            ["confirm_title"] = "Confirme su suscripción", ["confirm_message"] = "Pulse el botón para empezar a recibir Crisis Alerts en esta dirección, como se indica abajo.",
            ["confirm_button"] = "Confirmar mi suscripción", ["confirmed_title"] = "Está suscrito",
            ["confirmed_message"] = "Su suscripción está confirmada. Las alertas llegarán como se indica abajo; cada mensaje tiene un enlace para darse de baja al instante.",
            ["invalid_title"] = "Este enlace no es válido", ["confirm_invalid"] = "El enlace de confirmación está incompleto, alterado o caducado. Suscríbase de nuevo para recibir otro.",
            ["notfound_title"] = "Suscripción no encontrada", ["notfound_message"] = "Esta suscripción ya no existe, o se creó de nuevo después de enviar este enlace. Suscríbase de nuevo para recibir alertas.",
            ["unsub_title"] = "Darse de baja", ["unsub_message"] = "Pulse el botón para dejar de recibir todos los mensajes de Crisis Alerts en esta dirección.", ["unsub_button"] = "Darme de baja",
            ["unsubscribed_title"] = "Se ha dado de baja", ["unsubscribed_message"] = "Esta dirección ya no recibe mensajes de Crisis Alerts.",
            ["unsub_invalid"] = "El enlace para darse de baja está incompleto o alterado. Use el de su último mensaje de Crisis Alerts.",
            ["unsub_invalid_post"] = "El enlace para darse de baja está incompleto o alterado. No se cambió nada.",
            ["address"] = "Dirección", ["where"] = "Dónde", ["everywhere"] = "En todas partes", ["signals"] = "Señales", ["all_signals"] = "Todas las señales",
            ["severity"] = "Resumen a partir de", ["immediate"] = "Alertas críticas al instante", ["yes"] = "sí", ["no"] = "no", ["digest"] = "Resumen",
            ["none"] = "ninguno", ["hourly"] = "cada hora", ["daily"] = "cada día a las {0}", ["weekly"] = "cada {1} a las {0}",
        },
    };

    private readonly Dictionary<string, string> _words;

    private PageWords(string language)
    {
        Language = language;
        _words = Words[language];
    }

    public string Language { get; }

    public string this[string key] => _words[key];

    public static PageWords For(string? language) => new(language is not null && Words.ContainsKey(language) ? language : "en");

    /// <summary>What the subscription is: address, places, signals, severity, immediate alerts and the digest's schedule.</summary>
    public static IReadOnlyList<(string Label, string Value)> Summary(Subscriber subscriber, PageWords words)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(words);
        var p = subscriber.Preferences;
        var culture = DigestRenderer.CultureFor(words.Language);
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
            (words["signals"], p.Signals.Count == 0 ? words["all_signals"] : string.Join(", ", p.Signals)),
            (words["severity"], DigestRenderer.SeverityName(p.MinimumSeverity, words.Language)),
            (words["immediate"], p.ImmediateCritical ? words["yes"] : words["no"]),
            (words["digest"], p.Frequency == DigestFrequency.None ? words["none"] : $"{digest} ({subscriber.TimeZone})"),
        ];
    }
}
