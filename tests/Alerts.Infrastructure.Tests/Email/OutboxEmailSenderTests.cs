using System.Text;
using Alerts.Core.Digests;
using Alerts.Infrastructure.Email;

namespace Alerts.Infrastructure.Tests.Email;

public sealed class OutboxEmailSenderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alerts-outbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EmailMessage Message(string subject = "1 critical: Kazakhstan") => new()
    {
        From = "alerts@crisis-alerts.example",
        To = "ana@example.org",
        Content = new EmailContent(subject, "<p>Couvre-feu à Almaty</p>", "Couvre-feu à Almaty"),
        UnsubscribeUrl = "https://alerts.example/api/unsubscribe?token=abc.def",
        Category = "digest",
        DeliveryId = "digest-s1-2026-11-28T07:00",
    };

    [Fact]
    public async Task Send_WritesEmlWithOneClickUnsubscribeAndBothParts()
    {
        var result = await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message(), default);

        Assert.Equal(SendStatus.Accepted, result.Status);
        var eml = await File.ReadAllTextAsync(Path.Combine(_dir, "digest-s1-2026-11-28T07_00.eml"));
        Assert.Contains("\r\nTo: ana@example.org\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("\r\nSubject: 1 critical: Kazakhstan\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("\r\nList-Unsubscribe: <https://alerts.example/api/unsubscribe?token=abc.def>\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; charset=utf-8", eml, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("<p>Couvre-feu à Almaty</p>")), eml, StringComparison.Ordinal);
        Assert.Equal("<p>Couvre-feu à Almaty</p>", await File.ReadAllTextAsync(Path.Combine(_dir, "digest-s1-2026-11-28T07_00.html")));
    }

    [Fact]
    public async Task Send_SubjectWithLineBreaks_CannotAddAHeader()
    {
        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message("Riots\r\nBcc: victim@example.org"), default);

        var eml = await File.ReadAllTextAsync(Directory.GetFiles(_dir, "*.eml").Single());
        Assert.DoesNotContain("\r\nBcc:", eml, StringComparison.Ordinal);
        Assert.Contains("\r\nSubject: Riots  Bcc: victim@example.org\r\n", eml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NonAsciiSubject_IsAnEncodedWord()
    {
        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message("1 crítica: Kazajistán"), default);

        var eml = await File.ReadAllTextAsync(Directory.GetFiles(_dir, "*.eml").Single());
        Assert.Contains("Subject: =?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("1 crítica: Kazajistán")) + "?=", eml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_AddressWithInjection_IsRefused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message() with { To = "a@example.org>\r\nBcc: x@example.org" }, default));
}
