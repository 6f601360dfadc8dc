using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// Turns the bytes of a feed into text. The byte-order mark wins; otherwise the HTTP charset and the XML declaration are
/// weighed against each other, since servers often send a blanket charset that contradicts the document.
/// </summary>
public static class FeedDecoder
{
    static FeedDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes <paramref name="body"/> to text.</summary>
    /// <param name="body">The raw (decompressed) body.</param>
    /// <param name="httpCharset">The charset parameter of the Content-Type header, if any.</param>
    /// <exception cref="FeedParseException">The declared encoding is not supported.</exception>
    public static string Decode(ReadOnlySpan<byte> body, string? httpCharset) => Decode(body, httpCharset, out _);

    /// <summary>Decodes <paramref name="body"/> to text; <paramref name="warning"/> says so when the bytes were not in the encoding declared.</summary>
    /// <exception cref="FeedParseException">The declared encoding is not supported.</exception>
    public static string Decode(ReadOnlySpan<byte> body, string? httpCharset, out string? warning)
    {
        var (encoding, skip) = Resolve(body, httpCharset, out warning);
        return encoding.GetString(body[skip..]);
    }

    /// <summary>
    /// The encoding of <paramref name="body"/> and how many bytes of byte-order mark precede the text;
    /// <paramref name="warning"/> says so when the bytes were not in the encoding declared.
    /// </summary>
    /// <exception cref="FeedParseException">The declared encoding is not supported.</exception>
    internal static (Encoding Encoding, int Skip) Resolve(ReadOnlySpan<byte> body, string? httpCharset, out string? warning)
    {
        warning = null;
        var (bomEncoding, bomLength) = DetectBom(body);
        if (bomEncoding is not null)
        {
            return (bomEncoding, bomLength);
        }

        if (LooksLikeUtf16WithoutBom(body, out var utf16))
        {
            return (utf16, 0);
        }

        var declared = ReadXmlDeclarationEncoding(body);
        var chosen = Choose(body, Normalize(declared), Normalize(httpCharset));
        if (chosen is null or "utf-8")
        {
            if (IsValidUtf8(body))
            {
                return (Encoding.UTF8, 0);
            }

            // Declared (or defaulted to) UTF-8 but not UTF-8: almost always Windows-1252 text, as browsers and feed
            // readers assume; read as that rather than turning every accented letter into U+FFFD.
            warning = "The document is not valid UTF-8 as declared; read as Windows-1252.";
            return (Encoding.GetEncoding(1252), 0);
        }

        if (GetEncoding(chosen) is { } encoding)
        {
            return (encoding, 0);
        }

        // A label nobody reads (UTF-7, made up): bytes that are valid UTF-8 are read as such, as browsers fall back.
        return IsValidUtf8(body) ? (Encoding.UTF8, 0) : throw new FeedParseException($"Unsupported character encoding '{chosen}', and the bytes are not UTF-8.");
    }

    private static string? Choose(ReadOnlySpan<byte> body, string? declared, string? http)
    {
        if (declared is null)
        {
            return http;
        }

        if (http is null || http == declared)
        {
            return declared;
        }

        // The two disagree. When one says UTF-8, the bytes can tell which is right.
        if (declared == "utf-8" || http == "utf-8")
        {
            var other = declared == "utf-8" ? http : declared;
            return IsValidUtf8(body) && !IsAscii(body) ? "utf-8" : other;
        }

        return declared;
    }

    private static string? Normalize(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        var name = charset.Trim().Trim('"', '\'').ToLowerInvariant();
        return name switch
        {
            "utf8" or "utf-8" => "utf-8",
            // US-ASCII labels are almost always a server default; UTF-8 is a superset.
            "us-ascii" or "ascii" => "utf-8",
            // As the WHATWG Encoding Standard and every browser: these labels mean Windows-1252, whose 0x80-0x9F are
            // the curly quotes, dashes and euro sign that ISO-8859-1 would turn into control characters.
            "latin1" or "latin-1" or "iso8859-1" or "iso-8859-1" or "iso_8859-1" or "l1" or "cp1252" or "x-cp1252" or "windows-1252" => "windows-1252",
            _ => name,
        };
    }

    private static Encoding? GetEncoding(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null; // unknown, or known and refused (UTF-7 is disabled in .NET for its security problems)
        }
    }

    private static (Encoding? Encoding, int Length) DetectBom(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        {
            return (Encoding.UTF8, 3);
        }

        if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        {
            return (Encoding.Unicode, 2);
        }

        if (b.Length >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        {
            return (Encoding.BigEndianUnicode, 2);
        }

        return (null, 0);
    }

    private static bool LooksLikeUtf16WithoutBom(ReadOnlySpan<byte> b, out Encoding encoding)
    {
        encoding = Encoding.Unicode;
        if (b.Length < 4)
        {
            return false;
        }

        if (b[0] == 0x3C && b[1] == 0 && b[2] != 0 && b[3] == 0)
        {
            encoding = Encoding.Unicode;
            return true;
        }

        if (b[0] == 0 && b[1] == 0x3C && b[2] == 0 && b[3] != 0)
        {
            encoding = Encoding.BigEndianUnicode;
            return true;
        }

        return false;
    }

    /// <summary>Reads encoding="..." from an XML declaration at the start of an ASCII-compatible document.</summary>
    internal static string? ReadXmlDeclarationEncoding(ReadOnlySpan<byte> body)
    {
        var start = 0;
        while (start < body.Length && start < 64 && body[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        var head = body[start..Math.Min(body.Length, start + 512)];
        if (!head.StartsWith("<?xml"u8))
        {
            return null;
        }

        var end = head.IndexOf("?>"u8);
        if (end < 0)
        {
            return null;
        }

        var decl = Encoding.ASCII.GetString(head[..end]);
        var at = decl.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = decl.AsSpan(at + "encoding".Length).TrimStart();
        if (rest.Length == 0 || rest[0] != '=')
        {
            return null;
        }

        rest = rest[1..].TrimStart();
        if (rest.Length == 0 || (rest[0] != '"' && rest[0] != '\''))
        {
            return null;
        }

        var quote = rest[0];
        rest = rest[1..];
        var close = rest.IndexOf(quote);
        return close <= 0 ? null : rest[..close].ToString();
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> body) => System.Text.Unicode.Utf8.IsValid(body);

    private static bool IsAscii(ReadOnlySpan<byte> body) => System.Text.Ascii.IsValid(body);
}
