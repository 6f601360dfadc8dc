using System.Net;
using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// Converts feed HTML to plain text for scoring and display: tags dropped, script and style bodies skipped, block
/// elements become line breaks, entities decoded, white space folded.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote", "section",
        "article", "header", "footer", "pre", "hr", "dd", "dt", "figcaption",
    };

    /// <summary>Converts <paramref name="html"/> to plain text.</summary>
    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        if (html.IndexOfAny(['<', '&']) < 0)
        {
            return FoldWhitespace(html);
        }

        var sb = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0)
            {
                AppendDecoded(sb, html.AsSpan(i));
                break;
            }

            AppendDecoded(sb, html.AsSpan(i, lt - i));
            i = SkipTag(html, lt, sb);
        }

        return FoldWhitespace(sb.ToString());
    }

    private static int SkipTag(string html, int lt, StringBuilder sb)
    {
        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
        {
            var endComment = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return endComment < 0 ? html.Length : endComment + 3;
        }

        var gt = html.IndexOf('>', lt + 1);
        if (gt < 0)
        {
            // A lone '<' (e.g. "a < b"): keep it as text.
            sb.Append('<');
            return lt + 1;
        }

        var nameStart = lt + 1;
        if (nameStart < gt && html[nameStart] == '/')
        {
            nameStart++;
        }

        var nameEnd = nameStart;
        while (nameEnd < gt && char.IsAsciiLetterOrDigit(html[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == nameStart)
        {
            sb.Append('<');
            return lt + 1;
        }

        var name = html.AsSpan(nameStart, nameEnd - nameStart);
        if (html[lt + 1] != '/' && (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)))
        {
            var close = html.IndexOf("</" + name.ToString(), gt, StringComparison.OrdinalIgnoreCase);
            if (close < 0)
            {
                return html.Length;
            }

            var closeEnd = html.IndexOf('>', close);
            return closeEnd < 0 ? html.Length : closeEnd + 1;
        }

        var lookup = BlockTags.GetAlternateLookup<ReadOnlySpan<char>>();
        sb.Append(lookup.Contains(name) ? '\n' : ' ');
        return gt + 1;
    }

    private static void AppendDecoded(StringBuilder sb, ReadOnlySpan<char> text)
    {
        if (text.IndexOf('&') < 0)
        {
            sb.Append(text);
            return;
        }

        sb.Append(WebUtility.HtmlDecode(text.ToString()));
    }

    /// <summary>Folds runs of spaces within lines and removes empty lines.</summary>
    internal static string FoldWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        var pendingNewline = false;
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\u2028' or '\u2029')
            {
                pendingNewline = sb.Length > 0;
                pendingSpace = false;
            }
            else if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0 && !pendingNewline;
            }
            else
            {
                if (pendingNewline)
                {
                    sb.Append('\n');
                }
                else if (pendingSpace)
                {
                    sb.Append(' ');
                }

                pendingNewline = pendingSpace = false;
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
