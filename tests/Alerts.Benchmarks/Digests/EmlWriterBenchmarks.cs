using Alerts.Core.Digests;
using Alerts.Infrastructure.Email;
using BenchmarkDotNet.Attributes;
using MimeKit;

namespace Alerts.Benchmarks.Digests;

/// <summary>
/// Writing the outbox's .eml for 1,000 recipients of a digest (50 stories, French, non-ASCII subject): MimeKit, the
/// maintained MIME library a user would pick (baseline), against the service's own writer (OutboxEmailSender.Render).
/// Both produce multipart/alternative with base64 parts and RFC 2047 subjects; the tests read the service's back with
/// MimeKit.
/// </summary>
[MemoryDiagnoser]
public class EmlWriterBenchmarks
{
    private EmailMessage _message = null!;
    private readonly DateTimeOffset _date = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        var stories = string.Concat(Enumerable.Range(0, 50).Select(i =>
            $"<div><h2><a href=\"https://news.example/{i}\">Couvre-feu et coupure d'internet à Almaty, jour {i}</a></h2><p>Sources (3) : Wire, Radio, Presse</p><ul><li><strong>Couvre-feu</strong> : un couvre-feu nocturne a été décrété</li></ul></div>"));
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => $"[CRITIQUE] Couvre-feu et coupure d'internet à Almaty, jour {i}\nhttps://news.example/{i}\n- Couvre-feu : un couvre-feu nocturne a été décrété\n\n"));
        _message = new EmailMessage
        {
            From = "alerts@crisis-alerts.example",
            FromName = "Crisis Alerts",
            Content = new EmailContent("3 critiques, 5 alertes : Kazakhstan, Soudan, Éthiopie", "<!DOCTYPE html><html><body>" + stories + "<a href=\"" + EmailMessage.UnsubscribePlaceholder + "\">Se désabonner</a></body></html>", text + "Se désabonner : " + EmailMessage.UnsubscribePlaceholder),
            Category = "digest",
            BatchId = "digest:20261205T0700Z",
            Recipients = [.. Enumerable.Range(0, 1000).Select(i => new EmailRecipient($"user{i}@example.org", $"https://alerts.example/api/unsubscribe?token=t{i}.sig", $"s{i}/digest:20261205T0700Z"))],
        };
    }

    [Benchmark(Baseline = true)]
    public long MimeKitWriter()
    {
        long bytes = 0;
        foreach (var recipient in _message.Recipients)
        {
            var content = _message.ContentFor(recipient);
            var mime = new MimeMessage { Date = _date, Subject = content.Subject, MessageId = recipient.DeliveryId.Replace('/', '_') + "@crisis-alerts.example" };
            mime.From.Add(new MailboxAddress(_message.FromName, _message.From));
            mime.To.Add(MailboxAddress.Parse(recipient.To));
            mime.Headers.Add("List-Unsubscribe", "<" + recipient.UnsubscribeUrl + ">");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            mime.Headers.Add("X-Category", _message.Category);
            mime.Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody();
            foreach (var part in mime.BodyParts.OfType<TextPart>())
            {
                part.ContentTransferEncoding = ContentEncoding.Base64;
            }

            using var stream = new MemoryStream();
            mime.WriteTo(stream);
            bytes += stream.Length;
        }

        return bytes;
    }

    [Benchmark]
    public long ServiceWriter()
    {
        long bytes = 0;
        foreach (var recipient in _message.Recipients)
        {
            bytes += OutboxEmailSender.Render(_message, recipient, _date).Length;
        }

        return bytes;
    }
}
