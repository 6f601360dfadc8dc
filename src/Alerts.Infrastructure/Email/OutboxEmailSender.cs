using System.Globalization;
using System.Text;
using Alerts.Core.Digests;

namespace Alerts.Infrastructure.Email;

/// <summary>
/// Writes each recipient's copy of a message into a folder as an RFC 5322 <c>.eml</c> file (multipart/alternative, text
/// and HTML parts in Base64) plus the HTML part as <c>.html</c>, for local runs. The folder is idempotent by delivery: a
/// delivery whose <c>.eml</c> is there was sent, and is not written again (a process that died between writing the
/// email and recording it sends nothing twice when the delivery is retried).
/// </summary>
public sealed class OutboxEmailSender(string folder, TimeProvider time) : IEmailSender
{
    public string Folder => folder;

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(folder);
        foreach (var recipient in message.Recipients)
        {
            var name = SafeFileName(recipient.DeliveryId);
            if (File.Exists(Path.Combine(folder, name + ".eml")))
            {
                continue; // sent already
            }

            // The .html first and the .eml last, each written under a temporary name and renamed: a crash leaves no
            // half-written file, and an .eml exists only once the email is complete.
            await WriteAtomicallyAsync(Path.Combine(folder, name + ".html"), message.ContentFor(recipient).Html, cancellationToken);
            await WriteAtomicallyAsync(Path.Combine(folder, name + ".eml"), Render(message, recipient, time.GetUtcNow()), cancellationToken);
        }

        return new SendResult(SendStatus.Accepted);
    }

    /// <summary>One recipient's copy as MIME text. Header values are single lines; non-ASCII ones are RFC 2047 encoded words.</summary>
    internal static string Render(EmailMessage message, EmailRecipient recipient, DateTimeOffset date)
    {
        var content = message.ContentFor(recipient);
        var boundary = "=_alerts_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(recipient.DeliveryId)))[..24];
        var sb = new StringBuilder();
        Header(sb, "Date", date.ToString("R", CultureInfo.InvariantCulture));
        Header(sb, "From", $"{Word(message.FromName)} <{Address(message.From)}>");
        Header(sb, "To", Address(recipient.To));
        Header(sb, "Subject", Word(content.Subject));
        // RFC 5322: id-left "@" domain; the sender's own domain, so the id is unique to this service's mail.
        var domain = Address(message.From) is var from && from.LastIndexOf('@') is var at and >= 0 ? from[(at + 1)..] : "localhost";
        Header(sb, "Message-ID", $"<{SafeFileName(recipient.DeliveryId)}@{domain}>");
        Header(sb, "List-Unsubscribe", $"<{DigestRenderer.OneLine(recipient.UnsubscribeUrl)}>");
        Header(sb, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        Header(sb, "X-Category", message.Category);
        Header(sb, "X-Batch-Id", message.BatchId);
        Header(sb, "MIME-Version", "1.0");
        Header(sb, "Content-Type", $"multipart/alternative; boundary=\"{boundary}\"");
        sb.Append("\r\n");
        Part(sb, boundary, "text/plain", content.Text);
        Part(sb, boundary, "text/html", content.Html);
        sb.Append("--").Append(boundary).Append("--\r\n");
        return sb.ToString();
    }

    // Values are single lines; only the folds Word puts between encoded words are kept.
    private static void Header(StringBuilder sb, string name, string value) =>
        sb.Append(name).Append(": ").Append(string.Join(Fold, value.Split(Fold).Select(DigestRenderer.OneLine))).Append("\r\n");

    private static void Part(StringBuilder sb, string boundary, string type, string body)
    {
        sb.Append("--").Append(boundary).Append("\r\n")
          .Append("Content-Type: ").Append(type).Append("; charset=utf-8\r\n")
          .Append("Content-Transfer-Encoding: base64\r\n\r\n");
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        for (var i = 0; i < base64.Length; i += 76)
        {
            sb.Append(base64, i, Math.Min(76, base64.Length - i)).Append("\r\n");
        }
    }

    /// <summary>An RFC 2047 encoded word when the text is not plain ASCII.</summary>
    /// <remarks>
    /// Each encoded word holds at most 45 bytes of whole characters (75 characters with its delimiters, RFC 2047 §2);
    /// longer text is several words on folded lines, which a reader joins without the spaces between them (§6.2).
    /// </remarks>
    private static string Word(string text)
    {
        var line = DigestRenderer.OneLine(text);
        if (line.All(c => c is >= ' ' and <= '~'))
        {
            return line;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        var bytes = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > 45)
            {
                words.Add(Encoded(chunk.ToString()));
                chunk.Clear();
                bytes = 0;
            }

            chunk.Append(rune.ToString());
            bytes += rune.Utf8SequenceLength;
        }

        words.Add(Encoded(chunk.ToString()));
        return string.Join(Fold, words);

        static string Encoded(string part) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(part)) + "?=";
    }

    /// <summary>Where a long header continues on the next line (RFC 5322 §2.2.3).</summary>
    private const string Fold = "\r\n ";

    private static string Address(string address) =>
        address.Any(c => char.IsControl(c) || c is '<' or '>' or ',' or ';' || char.IsWhiteSpace(c))
            ? throw new ArgumentException($"Not a plain address: '{address}'.", nameof(address))
            : address;

    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, content, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // nothing left when the move happened; a leftover otherwise
        }
    }

    private static string SafeFileName(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
