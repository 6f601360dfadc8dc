using System.Buffers;
using System.Globalization;
using System.Net;

namespace Alerts.Core.Feeds;

/// <summary>
/// Makes feed XML well-formed where feeds commonly break it, without ever expanding a DTD:
/// HTML named entities (&amp;nbsp;, &amp;eacute;) become numeric references, and any other undeclared entity or bare
/// ampersand becomes literal text. A billion-laughs or XXE entity therefore stays an inert string. Numeric references
/// are read as HTML5 reads them (an upper-case "&amp;#X", 128 to 159 as Windows-1252, NUL, surrogates and numbers past
/// Unicode as U+FFFD); other characters XML does not allow
/// (NUL, other control characters, lone surrogates), raw or referenced, are dropped and counted.
/// </summary>
internal static class XmlEntityRepair
{
    public static string Repair(string xml) => Repair(xml, out _, out _) ?? xml;

    /// <summary>
    /// Repairs <paramref name="xml"/>; <paramref name="dropped"/> counts the characters XML does not allow that were
    /// removed. Null when the repair meets a '&lt;' that can start no markup (<paramref name="badMarkup"/> is where):
    /// such a document is not XML whatever the repair does, and only the tolerant pass can read it.
    /// </summary>
    public static string? Repair(string xml, out int dropped, out int badMarkup)
    {
        dropped = 0;
        badMarkup = -1;
        var first = FindFirstSuspect(xml);
        if (first < 0)
        {
            return xml;
        }

        var sb = new TextBuffer(xml.Length + 64);
        sb.Append(xml, 0, first);
        var i = first;
        var nextInvalid = NextInvalid(xml, first);
        while (i < xml.Length)
        {
            if (i == nextInvalid)
            {
                dropped++;
                nextInvalid = NextInvalid(xml, ++i);
                continue;
            }

            var c = xml[i];
            if (c == '&')
            {
                i += AppendReference(sb, xml, i, ref dropped);
                continue;
            }

            if (c == '<' && !CanStartMarkup(xml, i))
            {
                badMarkup = i;
                return null;
            }

            if (c == '<' && string.CompareOrdinal(xml, i, "<![CDATA[", 0, 9) == 0)
            {
                // A CDATA section's '&' stay as they are; only characters XML does not allow are dropped.
                var end = CdataEnd(xml, i);
                while (nextInvalid < end)
                {
                    sb.Append(xml, i, nextInvalid - i);
                    dropped++;
                    i = nextInvalid + 1;
                    nextInvalid = NextInvalid(xml, i);
                }

                sb.Append(xml, i, end - i);
                i = end;
                continue;
            }

            // Copy up to the next reference, CDATA section, '<' that starts no markup or character to drop.
            var stop = NextSpecial(xml, i + 1, nextInvalid);
            sb.Append(xml, i, stop - i);
            i = stop;
        }

        return sb.ToString();
    }

    /// <summary>Index of the next '&amp;', CDATA start or '&lt;' that starts no markup from <paramref name="from"/>, or <paramref name="limit"/>.</summary>
    private static int NextSpecial(string xml, int from, int limit)
    {
        while (true)
        {
            var rel = xml.AsSpan(from, limit - from).IndexOfAny('&', '<');
            if (rel < 0)
            {
                return limit;
            }

            var at = from + rel;
            if (xml[at] == '&' || string.CompareOrdinal(xml, at, "<![CDATA[", 0, 9) == 0 || !CanStartMarkup(xml, at))
            {
                return at;
            }

            from = at + 1;
        }
    }

    /// <summary>True when the '&lt;' at <paramref name="lt"/> is followed by what can start markup: a name, '/', '!' or '?'.</summary>
    internal static bool CanStartMarkup(string xml, int lt) =>
        lt + 1 < xml.Length && (xml[lt + 1] is '/' or '!' or '?' || System.Xml.XmlConvert.IsStartNCNameChar(xml[lt + 1]));

    private static int CdataEnd(string xml, int start)
    {
        var end = xml.IndexOf("]]>", start + 9, StringComparison.Ordinal);
        return end < 0 ? xml.Length : end + 3;
    }

    /// <summary>Index of the next character XML does not allow, at or after <paramref name="from"/>, or the end.</summary>
    private static int NextInvalid(string xml, int from)
    {
        var at = InvalidAt(xml.AsSpan(from));
        return at < 0 ? xml.Length : from + at;
    }

    /// <summary>Appends a reference at <paramref name="at"/> in repaired form and returns how many characters it took.</summary>
    private static int AppendReference(TextBuffer sb, string xml, int at, ref int dropped)
    {
        var len = ReferenceLength(xml, at, out var name, out var code);
        if (len == 0)
        {
            sb.Append("&amp;");
            return 1;
        }

        if (code >= 0)
        {
            var mapped = HtmlText.Windows1252CodePoint(code);
            if (mapped is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
            {
                sb.Append("&#65533;"); // as HTML5: NUL, surrogates and numbers past Unicode are U+FFFD
            }
            else if (!IsXmlCodePoint(mapped))
            {
                dropped++;
            }
            else if (mapped != code || xml[at + 2] == 'X')
            {
                sb.Append("&#").Append(mapped.ToString(CultureInfo.InvariantCulture)).Append(';');
            }
            else
            {
                sb.Append(xml, at, len);
            }
        }
        else if (name is null)
        {
            sb.Append(xml, at, len); // XML-predefined reference: keep
        }
        else if (HtmlCodePoint(name) is { } codePoint)
        {
            sb.Append("&#").Append(codePoint.ToString(CultureInfo.InvariantCulture)).Append(';');
        }
        else
        {
            sb.Append("&amp;").Append(xml, at + 1, len - 1);
        }

        return len;
    }

    /// <summary>Index of the first character in <paramref name="text"/> that XML does not allow (a surrogate pair is allowed), or -1.</summary>
    private static int InvalidAt(ReadOnlySpan<char> text)
    {
        var control = text.IndexOfAny(Controls);
        var limit = control < 0 ? text.Length : control;
        var nonAscii = InvalidNonAscii(text[..limit]);
        return nonAscii >= 0 ? nonAscii : control;
    }

    private static readonly SearchValues<char> Controls = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    /// <summary>Index of the first U+FFFE, U+FFFF or lone surrogate in <paramref name="text"/>, or -1; each character is read once.</summary>
    private static int InvalidNonAscii(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var rest = text[offset..];
            var surrogate = rest.IndexOfAnyInRange('\uD800', '\uDFFF');
            var nonCharacter = (surrogate < 0 ? rest : rest[..surrogate]).IndexOfAny('\uFFFE', '\uFFFF');
            if (nonCharacter >= 0)
            {
                return offset + nonCharacter;
            }

            if (surrogate < 0)
            {
                return -1;
            }

            var at = offset + surrogate;
            if (!(char.IsHighSurrogate(text[at]) && at + 1 < text.Length && char.IsLowSurrogate(text[at + 1])))
            {
                return at;
            }

            offset = at + 2;
        }
    }

    private static bool IsXmlCodePoint(int code) =>
        code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    /// <summary>Index of the first character that needs a repair, or -1 (then the document is returned as it is).</summary>
    private static int FindFirstSuspect(string xml)
    {
        var first = FirstBadReference(xml);
        var invalid = InvalidAt(first < 0 ? xml.AsSpan() : xml.AsSpan(0, first));
        var at = invalid >= 0 ? invalid : first;
        if (at < 0)
        {
            return -1;
        }

        // Step back to before any CDATA section that might contain it; Repair handles CDATA precisely.
        var cdata = xml.LastIndexOf("<![CDATA[", at, StringComparison.Ordinal);
        return cdata >= 0 ? cdata : at;
    }

    /// <summary>
    /// True when <paramref name="text"/> has a reference to repair or a character to drop; false means the repair would
    /// return the document as it is (a '&lt;' that starts no markup is left for the strict reader to find).
    /// </summary>
    public static bool NeedsRepair(ReadOnlySpan<char> text) => FirstBadReference(text) >= 0 || InvalidAt(text) >= 0;

    /// <summary>Index of the first '&amp;' that is not a numeric or XML-predefined reference XML reads as meant, or -1.</summary>
    private static int FirstBadReference(ReadOnlySpan<char> xml)
    {
        var i = xml.IndexOf('&');
        while (i >= 0)
        {
            var len = ReferenceLength(xml, i, out var name, out var code);
            var keep = len > 0 && name is null && (code < 0 || (IsXmlCodePoint(code) && HtmlText.Windows1252CodePoint(code) == code && xml[i + 2] != 'X'));
            if (!keep)
            {
                return i;
            }

            var next = xml[(i + len)..].IndexOf('&');
            i = next < 0 ? -1 : i + len + next;
        }

        return -1;
    }

    /// <summary>
    /// Length of a well-formed reference at <paramref name="at"/> (0 if none). <paramref name="name"/> is set for a
    /// named reference that is not one of XML's five predefined entities; <paramref name="code"/> is the number of a
    /// numeric reference (-1 for a named one).
    /// </summary>
    private static int ReferenceLength(ReadOnlySpan<char> s, int at, out string? name, out int code)
    {
        name = null;
        code = -1;
        var i = at + 1;
        if (i < s.Length && s[i] == '#')
        {
            i++;
            var hex = i < s.Length && (s[i] == 'x' || s[i] == 'X');
            if (hex)
            {
                i++;
            }

            var digitsStart = i;
            while (i < s.Length && (hex ? char.IsAsciiHexDigit(s[i]) : char.IsAsciiDigit(s[i])) && i - digitsStart < 8)
            {
                i++;
            }

            if (i > digitsStart && i < s.Length && s[i] == ';')
            {
                var value = long.Parse(s.Slice(digitsStart, i - digitsStart), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture);
                code = value > 0x10FFFF ? int.MaxValue : (int)value;
                return i - at + 1;
            }

            return 0;
        }

        var nameStart = i;
        while (i < s.Length && i - nameStart < 32 && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or '-' or '.' or ':'))
        {
            i++;
        }

        if (i == nameStart || i >= s.Length || s[i] != ';' || !char.IsAsciiLetter(s[nameStart]))
        {
            return 0;
        }

        var candidate = s.Slice(nameStart, i - nameStart);
        if (!(candidate is "amp" or "lt" or "gt" or "quot" or "apos"))
        {
            name = candidate.ToString();
        }

        return i - at + 1;
    }

    private static int? HtmlCodePoint(string name)
    {
        var reference = "&" + name + ";";
        var decoded = WebUtility.HtmlDecode(reference);
        if (decoded == reference || decoded.Length == 0)
        {
            return null;
        }

        return char.ConvertToUtf32(decoded, 0);
    }
}
