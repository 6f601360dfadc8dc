using System.Text;
using Alerts.Core.Digests;
using Alerts.Infrastructure.Email;

namespace Alerts.Infrastructure.Tests.Email;

public sealed class OutboxEmailSenderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alerts-outbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EmailMessage Message(string subject = "1 critical: Kazakhstan", params EmailRecipient[] recipients) => new()
    {
        From = "alerts@crisis-alerts.example",
        Content = new EmailContent(subject, "<p>Couvre-feu à Almaty</p><a href=\"" + EmailMessage.UnsubscribePlaceholder + "\">stop</a>", "Couvre-feu à Almaty\nStop: " + EmailMessage.UnsubscribePlaceholder),
        Category = "digest",
        BatchId = "digest:20261128T0700Z",
        Recipients = recipients.Length > 0 ? recipients : [new EmailRecipient("ana@example.org", "https://alerts.example/api/unsubscribe?token=abc.def", "s1/digest:20261128T0700Z")],
    };

    [Fact]
    public async Task Send_WritesEmlWithOneClickUnsubscribeAndBothParts()
    {
        var result = await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message(), default);

        Assert.Equal(SendStatus.Accepted, result.Status);
        var eml = await File.ReadAllTextAsync(Path.Combine(_dir, "s1_digest_20261128T0700Z.eml"));
        Assert.Contains("\r\nTo: ana@example.org\r\n", eml, StringComparison.Ordinal);
        Assert.Matches("\r\nMessage-ID: <[^@>]+@crisis-alerts\\.example>\r\n", eml); // the sender's domain (RFC 5322)
        Assert.Contains("\r\nSubject: 1 critical: Kazakhstan\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("\r\nList-Unsubscribe: <https://alerts.example/api/unsubscribe?token=abc.def>\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", eml, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; charset=utf-8", eml, StringComparison.Ordinal);
        const string Html = "<p>Couvre-feu à Almaty</p><a href=\"https://alerts.example/api/unsubscribe?token=abc.def\">stop</a>";
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(Html)), eml.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(eml.Split("\r\n"), line => Assert.True(line.Length <= 998, "no line over the RFC 5322 limit"));
        Assert.Equal(Html, await File.ReadAllTextAsync(Path.Combine(_dir, "s1_digest_20261128T0700Z.html")));
    }

    [Fact]
    public async Task Send_SeveralRecipients_EachGetsTheirOwnCopyAndUnsubscribeLink()
    {
        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(
            Message("2 warning", new EmailRecipient("ana@example.org", "https://alerts.example/api/unsubscribe?token=a.1", "s1/d"), new EmailRecipient("bo@example.org", "https://alerts.example/api/unsubscribe?token=b.2", "s2/d")),
            default);

        var bo = await File.ReadAllTextAsync(Path.Combine(_dir, "s2_d.eml"));
        Assert.Contains("\r\nTo: bo@example.org\r\n", bo, StringComparison.Ordinal);
        Assert.Contains("\r\nList-Unsubscribe: <https://alerts.example/api/unsubscribe?token=b.2>\r\n", bo, StringComparison.Ordinal);
        Assert.Contains("token=b.2", await File.ReadAllTextAsync(Path.Combine(_dir, "s2_d.html")), StringComparison.Ordinal);
        Assert.Contains("token=a.1", await File.ReadAllTextAsync(Path.Combine(_dir, "s1_d.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SubjectWithLineBreaks_CannotAddAHeader()
    {
        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message("Riots\r\nBcc: victim@example.org"), default);

        var eml = await File.ReadAllTextAsync(Directory.GetFiles(_dir, "*.eml").Single());
        Assert.DoesNotContain("\r\nBcc:", eml, StringComparison.Ordinal);
        Assert.Contains("\r\nSubject: Riots  Bcc: victim@example.org\r\n", eml, StringComparison.Ordinal);
    }

    /// <summary>
    /// The hand-written MIME read back by MimeKit, the maintained parser: what a mail client sees is what was meant.
    /// (The writer stays hand-written: EmlWriterBenchmarks measures it against MimeKit's.)
    /// </summary>
    [Theory]
    [InlineData("1 critical: Kazakhstan")]
    [InlineData("1 crítica: Kazajistán")]
    [InlineData("Critique, Kazakhstan\u00A0: Couvre-feu à Almaty — 12 morts")]
    [InlineData("Riots\r\nBcc: victim@example.org")]
    [InlineData("Критический: Казахстан, комендантский час в Алматы, отключение интернета по всей стране и стрельба по протестующим")]
    public async Task Send_EveryEml_ReadsBackWithAMaintainedMimeParser(string subject)
    {
        var message = Message(subject) with { FromName = "Crisis Alerts «test»" };
        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(message, default);

        var file = Directory.GetFiles(_dir, "*.eml").Single();
        var mime = await MimeKit.MimeMessage.LoadAsync(file);
        var content = message.ContentFor(message.Recipients[0]);
        var eml = await File.ReadAllTextAsync(file);
        Assert.All(System.Text.RegularExpressions.Regex.Matches(eml, @"=\?utf-8\?B\?[^?]*\?=").Select(m => m.Value), w => Assert.True(w.Length <= 75, $"encoded word of {w.Length} characters (RFC 2047: 75)"));

        Assert.Equal(DigestRenderer.OneLine(subject), mime.Subject);
        Assert.Equal("ana@example.org", Assert.Single(mime.To.Mailboxes).Address);
        Assert.Empty(mime.Bcc);
        Assert.Empty(mime.Cc);
        var from = Assert.Single(mime.From.Mailboxes);
        Assert.Equal(("Crisis Alerts «test»", "alerts@crisis-alerts.example"), (from.Name, from.Address));
        Assert.Equal("<https://alerts.example/api/unsubscribe?token=abc.def>", mime.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mime.Headers["List-Unsubscribe-Post"]);
        Assert.EndsWith("@crisis-alerts.example", mime.MessageId, StringComparison.Ordinal);
        Assert.Equal(content.Html, mime.HtmlBody);
        Assert.Equal(content.Text, mime.TextBody);
    }

    [Fact]
    public async Task Send_NonAsciiSubject_IsAnEncodedWord()
    {
        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message("1 crítica: Kazajistán"), default);

        var eml = await File.ReadAllTextAsync(Directory.GetFiles(_dir, "*.eml").Single());
        Assert.Contains("Subject: =?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("1 crítica: Kazajistán")) + "?=", eml, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipient_AddressWithInjection_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new EmailRecipient("a@example.org>\r\nBcc: x@example.org", "https://alerts.example/u?token=a", "s/d"));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://alerts.example/u?token=a&x=\"><script>")]
    [InlineData("/api/unsubscribe?token=a")]
    public void Recipient_UnsafeUnsubscribeLink_IsRefused(string url) =>
        Assert.Throws<ArgumentException>(() => new EmailRecipient("a@example.org", url, "s/d"));

    [Fact]
    public async Task Send_Cancelled_LeavesNoPartialEmail_AndTheSameDeliveryIsWrittenOnce()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message(), cancelled.Token));
        Assert.Empty(Directory.EnumerateFiles(_dir)); // neither a .eml, a 0-byte file, nor a temporary one

        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message("first"), default);
        await new OutboxEmailSender(_dir, TimeProvider.System).SendAsync(Message("second"), default);

        Assert.Equal(["s1_digest_20261128T0700Z.eml", "s1_digest_20261128T0700Z.html"], Directory.EnumerateFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // A retry of a delivery already in the outbox (the process died before recording it) sends nothing twice.
        Assert.Contains("\r\nSubject: first\r\n", await File.ReadAllTextAsync(Path.Combine(_dir, "s1_digest_20261128T0700Z.eml")), StringComparison.Ordinal);
    }
}
