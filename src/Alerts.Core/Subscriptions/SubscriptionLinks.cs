using Alerts.Core.Digests;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Subscriptions;

/// <summary>Signed confirmation and unsubscribe links under <see cref="EmailOptions.PublicBaseUrl"/>.</summary>
public sealed class SubscriptionLinks(IOptions<EmailOptions> options, TimeProvider time)
{
    public const string ConfirmPurpose = "confirm";
    public const string UnsubscribePurpose = "unsubscribe";

    private readonly Lazy<SignedTokens> _tokens = new(() => new SignedTokens(options.Value.SigningKeyBytes(), time));

    public string Confirm(string subscriberId) => Link("confirm", _tokens.Value.Create(ConfirmPurpose, subscriberId, options.Value.ConfirmLinkLifetime));

    public string Unsubscribe(string subscriberId) => Link("unsubscribe", _tokens.Value.Create(UnsubscribePurpose, subscriberId, options.Value.UnsubscribeLinkLifetime));

    /// <summary>The subscriber id of a genuine, unexpired confirmation token; otherwise null.</summary>
    public string? VerifyConfirm(string? token) => _tokens.Value.Verify(token, ConfirmPurpose);

    /// <summary>The subscriber id of a genuine, unexpired unsubscribe token; otherwise null.</summary>
    public string? VerifyUnsubscribe(string? token) => _tokens.Value.Verify(token, UnsubscribePurpose);

    private string Link(string route, string token) => options.Value.PublicBaseUrl.TrimEnd('/') + "/api/" + route + "?token=" + token;
}
