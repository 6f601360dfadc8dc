using System.Text.Json;
using Alerts.Core.Channels;
using Alerts.Core.Digests;
using Alerts.Core.Places;
using Alerts.Core.Scoring;
using Alerts.Core.Subscriptions;

namespace Alerts.Core.Tests.Channels;

public sealed class ChannelRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static Channel Of(ChannelKind kind, string target = "https://hooks.example/x") => new() { Id = "c1", Kind = kind, Target = target, Active = true };

    private static DigestItem Goma(int signals = 2, int evidenceLength = 60) => new(
        "s-goma",
        "Rebels shell Goma as curfew begins",
        "https://wire.example/goma",
        Severity.Critical,
        Now.AddHours(-1),
        ["CD", "RW"],
        ["Wire", "Radio"],
        [.. Enumerable.Range(0, signals).Select(i => new SignalMatch(i == 0 ? "curfew" : "fatalities" + i, i == 0 ? "Curfew" : "Fatalities", "escalation", 1,
            [new Evidence(ArticleField.Content, "a night curfew was ordered " + new string('x', evidenceLength) + " " + i, "curfew", null, "curfew")]))],
        new ArticlePlace("Goma", "North Kivu", "CD", -1.68, 29.22));

    private static JsonElement Json(ChannelMessage message) => JsonDocument.Parse(message.Json).RootElement;

    [Fact]
    public void Alert_InTheSubscribersLanguage_WithPlaceCountriesAndSignalLabels()
    {
        var french = new Subscriber { Id = "s", Email = "a@example.org", Language = "fr" };

        var telegram = Json(ChannelRenderer.RenderAlert(Of(ChannelKind.Telegram, "42"), french, Goma(), "k", Now)).GetProperty("text").GetString()!;

        Assert.StartsWith("<b>Critique, ", telegram, StringComparison.Ordinal);
        Assert.Contains("Goma, North Kivu, ", telegram, StringComparison.Ordinal);
        Assert.Contains("Couvre-feu\u00A0:", telegram, StringComparison.Ordinal);
        Assert.Contains("Lire l'article", telegram, StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_CarriesTheWholeAlertAsData()
    {
        var json = Json(ChannelRenderer.RenderAlert(Of(ChannelKind.Webhook), new Subscriber { Id = "s", Email = "a@example.org" }, Goma(), "s/breaking:s-goma:c1", Now));

        Assert.Equal("alert.critical", json.GetProperty("event").GetString());
        Assert.Equal("s/breaking:s-goma:c1", json.GetProperty("id").GetString());
        var alert = json.GetProperty("alert");
        Assert.Equal(["CD", "RW"], alert.GetProperty("countries").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal("North Kivu", alert.GetProperty("place").GetProperty("division").GetString());
        Assert.Equal(-1.68, alert.GetProperty("place").GetProperty("latitude").GetDouble());
        Assert.Equal(2, alert.GetProperty("signals").GetArrayLength());
        Assert.Equal(["Wire", "Radio"], alert.GetProperty("sources").EnumerateArray().Select(c => c.GetString()!));
    }

    [Theory]
    [InlineData(ChannelKind.Webhook)]
    [InlineData(ChannelKind.Slack)]
    [InlineData(ChannelKind.Teams)]
    [InlineData(ChannelKind.Telegram)]
    public void Test_IsAShortMessageInTheLanguage_WithTheTestEvent(ChannelKind kind)
    {
        var message = ChannelRenderer.RenderTest(Of(kind, kind == ChannelKind.Telegram ? "@crisis_desk" : "https://hooks.example/x"), "es", "k", Now);

        Assert.Equal(ChannelRenderer.TestEvent, message.Event);
        Assert.Contains("Mensaje de prueba", message.Json, StringComparison.Ordinal);
        if (kind == ChannelKind.Telegram)
        {
            Assert.Equal("@crisis_desk", Json(message).GetProperty("chat_id").GetString()); // a public channel's name stays a string
        }
    }

    [Fact]
    public void LongEvidence_StaysUnderTheReceiversLimits()
    {
        var item = Goma(signals: 10, evidenceLength: 2000);
        var subscriber = new Subscriber { Id = "s", Email = "a@example.org" };

        var feedback = "https://alerts.example/api/feedback?token=" + new string('t', 120);
        var telegram = Json(ChannelRenderer.RenderAlert(Of(ChannelKind.Telegram, "42"), subscriber, item, "k", Now, feedbackUrl: feedback)).GetProperty("text").GetString()!;
        var slack = Json(ChannelRenderer.RenderAlert(Of(ChannelKind.Slack), subscriber, item, "k", Now, feedbackUrl: feedback)).GetProperty("blocks");

        Assert.True(telegram.Length <= 4096, $"{telegram.Length} characters");
        Assert.EndsWith("&amp;kind=wrong-place\">Wrong place</a>", telegram, StringComparison.Ordinal); // signals that do not fit are left out, the links are not
        Assert.All(slack.EnumerateArray().Where(b => b.TryGetProperty("text", out _)), b => Assert.True(b.GetProperty("text").GetProperty("text").GetString()!.Length <= 3000));
        Assert.True(slack.GetArrayLength() <= 50);
    }

    [Theory]
    [InlineData(ChannelKind.Webhook)]
    [InlineData(ChannelKind.Slack)]
    [InlineData(ChannelKind.Teams)]
    [InlineData(ChannelKind.Telegram)]
    public void Alert_CarriesTheSubscribersFeedbackLinks(ChannelKind kind)
    {
        var message = ChannelRenderer.RenderAlert(Of(kind, kind == ChannelKind.Telegram ? "42" : "https://hooks.example/x"), new Subscriber { Id = "s", Email = "a@example.org" }, Goma(), "k", Now,
            feedbackUrl: "https://alerts.example/api/feedback?token=abc.sig");
        var text = Json(message).ToString();

        foreach (var kindOfAnswer in new[] { "useful", "false-alarm", "wrong-place" })
        {
            Assert.Contains("https://alerts.example/api/feedback?token=abc.sig&kind=" + kindOfAnswer, text.Replace("\\u0026", "&", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SlackEscape_TheThreeCharactersSlackReads()
    {
        Assert.Equal("&lt;!here&gt; &amp; &lt;http://x|y&gt;", ChannelRenderer.SlackEscape("<!here> & <http://x|y>"));
    }
}
