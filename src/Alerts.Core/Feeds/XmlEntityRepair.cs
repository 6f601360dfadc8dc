using System.Net;
using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// Makes feed XML well-formed where feeds commonly break it, without ever expanding a DTD:
/// HTML named entities (&amp;nbsp;, &amp;eacute;) become numeric references, and any other undeclared entity or bare
/// ampersand becomes literal text. A billion-laughs or XXE entity therefore stays an inert string.
/// </summary>
internal static class XmlEntityRepair
{
    public static string Repair(string xml)
    {
        var first = FindFirstSuspect(xml);
        if (first < 0)
        {
            return xml;
        }

        var sb = new StringBuilder(xml.Length + 64);
        sb.Append(xml, 0, first);
        var i = first;
        while (i < xml.Length)
        {
            var c = xml[i];
            if (c == '<' && string.CompareOrdinal(xml, i, "<![CDATA[", 0, 9) == 0)
            {
                var end = xml.IndexOf("]]>", i + 9, StringComparison.Ordinal);
                end = end < 0 ? xml.Length : end + 3;
                sb.Append(xml, i, end - i);
                i = end;
                continue;
            }

            if (c == '&')
            {
                var len = ReferenceLength(xml, i, out var name);
                if (len > 0 && name is null)
                {
                    sb.Append(xml, i, len); // numeric or XML-predefined reference: keep
                }
                else if (len > 0 && HtmlCodePoint(name!) is { } codePoint)
                {
                    sb.Append("&#").Append(codePoint).Append(';');
                }
                else if (len > 0)
                {
                    sb.Append("&amp;").Append(xml, i + 1, len - 1);
                }
                else
                {
                    sb.Append("&amp;");
                    len = 1;
                }

                i += len;
                continue;
            }

            sb.Append(c);
            i++;
        }

        return sb.ToString();
    }

    /// <summary>Index of the first ampersand that is not a numeric or XML-predefined reference, or -1.</summary>
    private static int FindFirstSuspect(string xml)
    {
        var i = xml.IndexOf('&', StringComparison.Ordinal);
        while (i >= 0)
        {
            var len = ReferenceLength(xml, i, out var name);
            if (len == 0 || name is not null)
            {
                // Step back to before any CDATA section that might contain it; Repair handles CDATA precisely.
                var cdata = xml.LastIndexOf("<![CDATA[", i, StringComparison.Ordinal);
                return cdata >= 0 ? cdata : i;
            }

            i = xml.IndexOf('&', i + len);
        }

        return -1;
    }

    /// <summary>
    /// Length of a well-formed reference at <paramref name="at"/> (0 if none). <paramref name="name"/> is set for a
    /// named reference that is not one of XML's five predefined entities.
    /// </summary>
    private static int ReferenceLength(string s, int at, out string? name)
    {
        name = null;
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
            while (i < s.Length && (hex ? Uri.IsHexDigit(s[i]) : char.IsAsciiDigit(s[i])) && i - digitsStart < 8)
            {
                i++;
            }

            return i > digitsStart && i < s.Length && s[i] == ';' ? i - at + 1 : 0;
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

        var candidate = s.AsSpan(nameStart, i - nameStart);
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
