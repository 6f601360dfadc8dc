using Microsoft.AspNetCore.Http;
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
            ["signup_title"] = "Subscribe to Crisis Alerts", ["signup_intro"] = "Alerts when a crisis escalates: states of emergency, curfews, internet shutdowns, live fire, coups. Choose where and what; we send a confirmation email first.",
            ["signup_button"] = "Subscribe", ["signup_done_title"] = "Check your email", ["signup_done_message"] = "If the address can receive alerts, a confirmation email is on its way. Open its link to start receiving alerts.",
            ["ratelimited_title"] = "Too many requests", ["ratelimited_message"] = "Too many subscribe requests from here or for this address. Try again in {0} minutes.",
            ["manage_title"] = "Your subscription", ["manage_intro"] = "Alerts for {0}. Change what you receive, pause, or leave.",
            ["manage_unsubscribed"] = "You are unsubscribed: nothing is sent to this address.", ["resubscribe_button"] = "Subscribe again",
            ["paused_until"] = "Paused until {0} ({1}): nothing is sent until then.", ["resume_button"] = "Resume now",
            ["preferences_title"] = "What you receive", ["save_button"] = "Save", ["pause_title"] = "Pause", ["pause_days"] = "Days without any email or message",
            ["pause_button"] = "Pause", ["leave_title"] = "Leave", ["erase_message"] = "Erasing deletes your address, your choices and the record of what was sent to you. It cannot be undone.",
            ["erase_button"] = "Erase my data", ["erased_title"] = "Your data is erased", ["erased_message"] = "Your address, your choices and your delivery history are deleted. Nothing more will be sent.",
            ["saved_notice"] = "Saved.", ["paused_notice"] = "Paused.", ["resumed_notice"] = "Alerts resumed.", ["resubscribed_notice"] = "You are subscribed again.",
            ["name"] = "Name (optional)", ["language"] = "Language", ["zone"] = "Time zone",
            ["countries_field"] = "Countries", ["countries_hint"] = "Names, separated by commas. Leave empty for everywhere.",
            ["regions_field"] = "Regions", ["regions_hint"] = "Any number (Ctrl or Cmd to pick several).", ["places_field"] = "Cities or provinces", ["places_hint"] = "Names, separated by commas (Goma, North Kivu).",
            ["signals_field"] = "Signals", ["signals_hint"] = "None ticked: all signals.", ["severity_field"] = "Digests from severity",
            ["immediate_field"] = "Send critical alerts at once", ["immediate_email_field"] = "Send those by email (untick if a channel receives them)",
            ["frequency_field"] = "Digest", ["daily_plain"] = "every day", ["weekly_plain"] = "every week", ["at_field"] = "Digest time (daily or weekly)", ["day_field"] = "Digest day (weekly)",
            ["errors_title"] = "Please correct:", ["preferences_link"] = "Change preferences or pause",
            ["signup_channel"] = "Critical alerts also to (added once you confirm)", ["signup_channel_none"] = "email only",
            ["channels_title"] = "Channels", ["channels_intro"] = "Critical alerts can also go to a webhook, Slack, Microsoft Teams or Telegram. A channel receives alerts once its test message was accepted.",
            ["channel_none"] = "No channel yet.", ["channel_kind"] = "Kind", ["channel_target"] = "Webhook URL, or Telegram chat id",
            ["channel_target_hint"] = "Slack: an incoming webhook (https://hooks.slack.com/services/…). Teams: a Workflows webhook. Telegram: the chat id, with our bot added to the chat.",
            ["channel_add_button"] = "Add the channel", ["channel_verify_button"] = "Send a test", ["channel_remove_button"] = "Remove",
            ["channel_active"] = "active", ["channel_waiting"] = "waiting for a successful test", ["channel_secret_notice"] = "Webhook added. Its signing secret, shown only now: {0} — set it on your receiver, then press Send a test.",
            ["channel_added_notice"] = "Channel added and its test message accepted.", ["channel_failed_notice"] = "The channel was not accepted: {0}",
            ["channel_removed_notice"] = "Channel removed.", ["channel_verified_notice"] = "Test message accepted: the channel is active.",
            ["board_title"] = "The situation", ["board_intro"] = "Countries reported on in the last three days, shaded by the highest severity of their reports, and your alerts.", ["board_countries"] = "Countries", ["board_mine"] = "Your alerts", ["board_none"] = "No alert matches your choices in the last 30 days.", ["board_link"] = "The situation: a map and your alerts", ["board_invalid"] = "This link is unknown or was replaced: take the current one from your preferences page.",
            ["story_first_seen"] = "First seen", ["story_articles"] = "Every report, in the order read", ["story_new_source"] = "new source", ["story_rose"] = "severity rose", ["story_languages"] = "Languages", ["story_invalid"] = "This story link is incomplete, altered or expired.", ["story_gone"] = "This story is no longer kept.",
            ["feed_title"] = "Your feed", ["feed_intro"] = "The alerts your choices match, for a feed reader. Keep the link to yourself: it shows your alerts to whoever has it.",
            ["feed_create_button"] = "Create my feed link",
            ["feedback_title"] = "Your word on this alert", ["feedback_question"] = "Mark this alert as: {0}?", ["feedback_alert"] = "Alert",
            ["feedback_thanks_title"] = "Thank you", ["feedback_thanks"] = "Recorded: {0}. It helps the admins tune the signals.",
            ["feedback_useful"] = "Useful", ["feedback_false_alarm"] = "False alarm", ["feedback_wrong_place"] = "Wrong place", ["feed_replace_button"] = "Replace the link (the old one stops working)", ["feed_replaced_notice"] = "New feed link made; the old one no longer works.",
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
            ["signup_title"] = "S'abonner à Crisis Alerts", ["signup_intro"] = "Des alertes quand une crise s'aggrave : état d'urgence, couvre-feu, coupure d'internet, tirs à balles réelles, coup d'État. Choisissez où et quoi ; un message de confirmation part d'abord.",
            ["signup_button"] = "M'abonner", ["signup_done_title"] = "Consultez votre messagerie", ["signup_done_message"] = "Si l'adresse peut recevoir des alertes, un message de confirmation est en route. Ouvrez son lien pour commencer à recevoir les alertes.",
            ["ratelimited_title"] = "Trop de demandes", ["ratelimited_message"] = "Trop de demandes d'abonnement d'ici ou pour cette adresse. Réessayez dans {0} minutes.",
            ["manage_title"] = "Votre abonnement", ["manage_intro"] = "Alertes pour {0}. Modifiez ce que vous recevez, faites une pause ou partez.",
            ["manage_unsubscribed"] = "Vous êtes désabonné : rien n'est envoyé à cette adresse.", ["resubscribe_button"] = "Me réabonner",
            ["paused_until"] = "En pause jusqu'au {0} ({1}) : rien n'est envoyé d'ici là.", ["resume_button"] = "Reprendre maintenant",
            ["preferences_title"] = "Ce que vous recevez", ["save_button"] = "Enregistrer", ["pause_title"] = "Pause", ["pause_days"] = "Jours sans aucun message",
            ["pause_button"] = "Faire une pause", ["leave_title"] = "Partir", ["erase_message"] = "Effacer supprime votre adresse, vos choix et l'historique de ce qui vous a été envoyé. C'est définitif.",
            ["erase_button"] = "Effacer mes données", ["erased_title"] = "Vos données sont effacées", ["erased_message"] = "Votre adresse, vos choix et votre historique d'envois sont supprimés. Plus rien ne sera envoyé.",
            ["saved_notice"] = "Enregistré.", ["paused_notice"] = "En pause.", ["resumed_notice"] = "Alertes reprises.", ["resubscribed_notice"] = "Vous êtes de nouveau abonné.",
            ["name"] = "Nom (facultatif)", ["language"] = "Langue", ["zone"] = "Fuseau horaire",
            ["countries_field"] = "Pays", ["countries_hint"] = "Noms séparés par des virgules. Vide : partout.",
            ["regions_field"] = "Régions", ["regions_hint"] = "Autant que voulu (Ctrl ou Cmd pour en choisir plusieurs).", ["places_field"] = "Villes ou provinces", ["places_hint"] = "Noms séparés par des virgules (Goma, Nord-Kivu).",
            ["signals_field"] = "Signaux", ["signals_hint"] = "Aucun coché : tous les signaux.", ["severity_field"] = "Résumés à partir de",
            ["immediate_field"] = "Envoyer les alertes critiques aussitôt", ["immediate_email_field"] = "Les envoyer aussi par e-mail (décochez si un canal les reçoit)",
            ["frequency_field"] = "Résumé", ["daily_plain"] = "chaque jour", ["weekly_plain"] = "chaque semaine", ["at_field"] = "Heure du résumé (quotidien ou hebdomadaire)", ["day_field"] = "Jour du résumé (hebdomadaire)",
            ["errors_title"] = "À corriger :", ["preferences_link"] = "Modifier mes préférences ou faire une pause",
            ["signup_channel"] = "Alertes critiques aussi vers (ajouté après confirmation)", ["signup_channel_none"] = "e-mail seulement",
            ["channels_title"] = "Canaux", ["channels_intro"] = "Les alertes critiques peuvent aussi aller vers un webhook, Slack, Microsoft Teams ou Telegram. Un canal reçoit les alertes une fois son message de test accepté.",
            ["channel_none"] = "Aucun canal pour l'instant.", ["channel_kind"] = "Type", ["channel_target"] = "URL du webhook, ou identifiant de discussion Telegram",
            ["channel_target_hint"] = "Slack : un webhook entrant (https://hooks.slack.com/services/…). Teams : un webhook Workflows. Telegram : l'identifiant de la discussion, où notre bot a été ajouté.",
            ["channel_add_button"] = "Ajouter le canal", ["channel_verify_button"] = "Envoyer un test", ["channel_remove_button"] = "Supprimer",
            ["channel_active"] = "actif", ["channel_waiting"] = "en attente d'un test réussi", ["channel_secret_notice"] = "Webhook ajouté. Son secret de signature, affiché cette fois seulement : {0} — configurez-le sur votre récepteur, puis appuyez sur Envoyer un test.",
            ["channel_added_notice"] = "Canal ajouté et message de test accepté.", ["channel_failed_notice"] = "Le canal n'a pas été accepté : {0}",
            ["channel_removed_notice"] = "Canal supprimé.", ["channel_verified_notice"] = "Message de test accepté : le canal est actif.",
            ["board_title"] = "La situation", ["board_intro"] = "Les pays dont on a parlé ces trois derniers jours, colorés selon la gravité la plus haute de leurs dépêches, et vos alertes.", ["board_countries"] = "Pays", ["board_mine"] = "Vos alertes", ["board_none"] = "Aucune alerte ne correspond à vos choix ces 30 derniers jours.", ["board_link"] = "La situation : une carte et vos alertes", ["board_invalid"] = "Ce lien est inconnu ou a été remplacé : prenez l'actuel sur votre page de préférences.",
            ["story_first_seen"] = "Vue pour la première fois", ["story_articles"] = "Chaque dépêche, dans l'ordre de lecture", ["story_new_source"] = "nouvelle source", ["story_rose"] = "gravité en hausse", ["story_languages"] = "Langues", ["story_invalid"] = "Ce lien d'histoire est incomplet, modifié ou expiré.", ["story_gone"] = "Cette histoire n'est plus conservée.",
            ["feed_title"] = "Votre flux", ["feed_intro"] = "Les alertes que vos choix retiennent, pour un lecteur de flux. Gardez ce lien pour vous : il montre vos alertes à qui le détient.",
            ["feed_create_button"] = "Créer mon lien de flux",
            ["feedback_title"] = "Votre avis sur cette alerte", ["feedback_question"] = "Marquer cette alerte comme : {0} ?", ["feedback_alert"] = "Alerte",
            ["feedback_thanks_title"] = "Merci", ["feedback_thanks"] = "Enregistré : {0}. Cela aide les administrateurs à régler les signaux.",
            ["feedback_useful"] = "Utile", ["feedback_false_alarm"] = "Fausse alerte", ["feedback_wrong_place"] = "Mauvais lieu", ["feed_replace_button"] = "Remplacer le lien (l'ancien cesse de fonctionner)", ["feed_replaced_notice"] = "Nouveau lien de flux créé ; l'ancien ne fonctionne plus.",
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
            ["signup_title"] = "Suscribirse a Crisis Alerts", ["signup_intro"] = "Alertas cuando una crisis se agrava: estado de emergencia, toque de queda, cortes de internet, disparos con fuego real, golpes de Estado. Elija dónde y qué; primero enviamos un mensaje de confirmación.",
            ["signup_button"] = "Suscribirme", ["signup_done_title"] = "Revise su correo", ["signup_done_message"] = "Si la dirección puede recibir alertas, un mensaje de confirmación está en camino. Abra su enlace para empezar a recibir alertas.",
            ["ratelimited_title"] = "Demasiadas solicitudes", ["ratelimited_message"] = "Demasiadas solicitudes de suscripción desde aquí o para esta dirección. Inténtelo de nuevo en {0} minutos.",
            ["manage_title"] = "Su suscripción", ["manage_intro"] = "Alertas para {0}. Cambie lo que recibe, haga una pausa o dese de baja.",
            ["manage_unsubscribed"] = "Se ha dado de baja: no se envía nada a esta dirección.", ["resubscribe_button"] = "Suscribirme de nuevo",
            ["paused_until"] = "En pausa hasta el {0} ({1}): no se envía nada hasta entonces.", ["resume_button"] = "Reanudar ahora",
            ["preferences_title"] = "Lo que recibe", ["save_button"] = "Guardar", ["pause_title"] = "Pausa", ["pause_days"] = "Días sin ningún mensaje",
            ["pause_button"] = "Pausar", ["leave_title"] = "Darse de baja", ["erase_message"] = "Borrar elimina su dirección, sus opciones y el registro de lo que se le envió. No se puede deshacer.",
            ["erase_button"] = "Borrar mis datos", ["erased_title"] = "Sus datos están borrados", ["erased_message"] = "Su dirección, sus opciones y su historial de envíos están eliminados. No se enviará nada más.",
            ["saved_notice"] = "Guardado.", ["paused_notice"] = "En pausa.", ["resumed_notice"] = "Alertas reanudadas.", ["resubscribed_notice"] = "Está suscrito de nuevo.",
            ["name"] = "Nombre (opcional)", ["language"] = "Idioma", ["zone"] = "Zona horaria",
            ["countries_field"] = "Países", ["countries_hint"] = "Nombres separados por comas. Vacío: en todas partes.",
            ["regions_field"] = "Regiones", ["regions_hint"] = "Las que quiera (Ctrl o Cmd para elegir varias).", ["places_field"] = "Ciudades o provincias", ["places_hint"] = "Nombres separados por comas (Goma, Kivu del Norte).",
            ["signals_field"] = "Señales", ["signals_hint"] = "Ninguna marcada: todas las señales.", ["severity_field"] = "Resúmenes a partir de",
            ["immediate_field"] = "Enviar las alertas críticas al instante", ["immediate_email_field"] = "Enviarlas también por correo (desmarque si un canal las recibe)",
            ["frequency_field"] = "Resumen", ["daily_plain"] = "cada día", ["weekly_plain"] = "cada semana", ["at_field"] = "Hora del resumen (diario o semanal)", ["day_field"] = "Día del resumen (semanal)",
            ["errors_title"] = "Corrija, por favor:", ["preferences_link"] = "Cambiar preferencias o pausar",
            ["signup_channel"] = "Alertas críticas también a (se añade al confirmar)", ["signup_channel_none"] = "solo correo",
            ["channels_title"] = "Canales", ["channels_intro"] = "Las alertas críticas también pueden ir a un webhook, Slack, Microsoft Teams o Telegram. Un canal recibe alertas cuando su mensaje de prueba fue aceptado.",
            ["channel_none"] = "Todavía no hay canales.", ["channel_kind"] = "Tipo", ["channel_target"] = "URL del webhook, o id del chat de Telegram",
            ["channel_target_hint"] = "Slack: un webhook entrante (https://hooks.slack.com/services/…). Teams: un webhook de Workflows. Telegram: el id del chat, con nuestro bot añadido.",
            ["channel_add_button"] = "Añadir el canal", ["channel_verify_button"] = "Enviar una prueba", ["channel_remove_button"] = "Quitar",
            ["channel_active"] = "activo", ["channel_waiting"] = "esperando una prueba correcta", ["channel_secret_notice"] = "Webhook añadido. Su secreto de firma, que solo se muestra ahora: {0} — configúrelo en su receptor y pulse Enviar una prueba.",
            ["channel_added_notice"] = "Canal añadido y mensaje de prueba aceptado.", ["channel_failed_notice"] = "El canal no fue aceptado: {0}",
            ["channel_removed_notice"] = "Canal quitado.", ["channel_verified_notice"] = "Mensaje de prueba aceptado: el canal está activo.",
            ["board_title"] = "La situación", ["board_intro"] = "Los países de los que se informó en los últimos tres días, coloreados según la gravedad más alta de sus noticias, y sus alertas.", ["board_countries"] = "Países", ["board_mine"] = "Sus alertas", ["board_none"] = "Ninguna alerta coincide con sus opciones en los últimos 30 días.", ["board_link"] = "La situación: un mapa y sus alertas", ["board_invalid"] = "Este enlace es desconocido o fue reemplazado: tome el actual en su página de preferencias.",
            ["story_first_seen"] = "Vista por primera vez", ["story_articles"] = "Cada noticia, en el orden de lectura", ["story_new_source"] = "nueva fuente", ["story_rose"] = "gravedad en aumento", ["story_languages"] = "Idiomas", ["story_invalid"] = "Este enlace de historia está incompleto, alterado o caducado.", ["story_gone"] = "Esta historia ya no se conserva.",
            ["feed_title"] = "Su feed", ["feed_intro"] = "Las alertas que coinciden con sus opciones, para un lector de feeds. Guarde el enlace para usted: muestra sus alertas a quien lo tenga.",
            ["feed_create_button"] = "Crear mi enlace de feed",
            ["feedback_title"] = "Su opinión sobre esta alerta", ["feedback_question"] = "¿Marcar esta alerta como: {0}?", ["feedback_alert"] = "Alerta",
            ["feedback_thanks_title"] = "Gracias", ["feedback_thanks"] = "Registrado: {0}. Ayuda a los administradores a ajustar las señales.",
            ["feedback_useful"] = "Útil", ["feedback_false_alarm"] = "Falsa alarma", ["feedback_wrong_place"] = "Lugar equivocado", ["feed_replace_button"] = "Reemplazar el enlace (el anterior deja de funcionar)", ["feed_replaced_notice"] = "Nuevo enlace de feed creado; el anterior ya no funciona.",
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

    private static readonly Dictionary<string, string> EnglishSignals = new(StringComparer.Ordinal)
    {
        ["state-of-emergency"] = "State of emergency", ["martial-law"] = "Martial law", ["curfew"] = "Curfew", ["internet-shutdown"] = "Internet shutdown",
        ["foreign-troops"] = "Foreign troops", ["live-fire"] = "Live fire", ["fatalities"] = "Fatalities", ["mass-arrests"] = "Mass arrests", ["coup"] = "Coup",
        ["surge"] = "Surge in reporting", ["silence"] = "Silence in reporting",
    };

    /// <summary>A default signal's English label (the emails have the French and Spanish ones).</summary>
    public static string EnglishSignal(string id) => EnglishSignals.GetValueOrDefault(id, id);

    /// <summary>The page language a visitor asked for: <c>?lang=</c>, else the first of en, fr, es in Accept-Language.</summary>
    public static PageWords ForRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asked = request.Query["lang"].ToString();
        if (Words.ContainsKey(asked))
        {
            return For(asked);
        }

        var accepted = request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant()).FirstOrDefault(l => l is not null && Words.ContainsKey(l));
        return For(accepted);
    }

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
            .. subscriber.PendingChannel is { } channel
                ? new[] { (words["channels_title"], channel.Kind + ": " + (channel.Kind == Alerts.Core.Channels.ChannelKind.Telegram ? channel.Target : new Alerts.Core.Channels.Channel { Id = "", Kind = channel.Kind, Target = channel.Target }.RedactedTarget)) }
                : [],
        ];
    }
}
