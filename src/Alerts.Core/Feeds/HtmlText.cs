using System.Globalization;
using System.Net;
using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// Converts feed HTML to plain text for scoring and display: tags dropped, script and style bodies skipped, block
/// elements become line breaks, entities decoded, white space folded; all in one pass into a reused buffer.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote", "section",
        "article", "header", "footer", "pre", "hr", "dd", "dt", "figcaption",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> BlockLookup = BlockTags.GetAlternateLookup<ReadOnlySpan<char>>();

    [ThreadStatic]
    private static StringBuilder? t_builder;

    /// <summary>
    /// Characters of text one field gives at most (a long news article is 10,000 to 40,000; scoring reads 200,000): the
    /// rest of a longer field is not read, so that the work for one item is bounded whatever a feed sends.
    /// </summary>
    public const int MaxTextCharacters = 1_000_000;

    /// <summary>Converts <paramref name="html"/> to plain text (its first <see cref="MaxTextCharacters"/> characters of text).</summary>
    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var writer = new Writer(Rent(html.Length));
        var i = 0;
        var nextGt = -1; // the first '>' after the last '<' looked at (-2: none left); each search starts past the last
        while (i < html.Length && writer.Length < MaxTextCharacters)
        {
            var c = html[i];
            if (c == '<')
            {
                i = SkipTag(html, i, ref writer, ref nextGt);
            }
            else if (c == '&')
            {
                i = DecodeEntity(html, i, ref writer);
            }
            else
            {
                writer.Add(c);
                i++;
            }
        }

        return writer.Finish();
    }

    /// <summary>Folds runs of spaces within lines and removes empty lines.</summary>
    public static string FoldWhitespace(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var writer = new Writer(Rent(text.Length));
        foreach (var c in text)
        {
            writer.Add(c);
        }

        return writer.Finish();
    }

    private static StringBuilder Rent(int capacity)
    {
        var sb = t_builder ??= new StringBuilder(256);
        sb.Clear();
        sb.EnsureCapacity(Math.Min(capacity, MaxTextCharacters));
        return sb;
    }

    /// <summary>Appends characters with white space folded: runs become one space, line breaks one newline.</summary>
    private ref struct Writer(StringBuilder sb)
    {
        private bool _pendingSpace;
        private bool _pendingNewline;

        public readonly int Length => sb.Length;

        public void Add(char c)
        {
            if (c is '\n' or '\r' or '\u2028' or '\u2029')
            {
                Newline();
            }
            else if (char.IsWhiteSpace(c))
            {
                _pendingSpace = sb.Length > 0 && !_pendingNewline;
            }
            else
            {
                if (_pendingNewline)
                {
                    sb.Append('\n');
                }
                else if (_pendingSpace)
                {
                    sb.Append(' ');
                }

                _pendingNewline = _pendingSpace = false;
                sb.Append(c);
            }
        }

        public void Add(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                Add(c);
            }
        }

        public void Newline()
        {
            _pendingNewline = sb.Length > 0;
            _pendingSpace = false;
        }

        public readonly string Finish()
        {
            var result = sb.Length <= MaxTextCharacters ? sb.ToString() : sb.ToString(0, MaxTextCharacters);
            if (sb.Capacity > 1 << 21)
            {
                t_builder = null; // keep up to 4 MB per thread, not more
            }

            return result;
        }
    }

    /// <summary>
    /// Skips the tag at <paramref name="lt"/>, or keeps a '&lt;' that starts none as text. <paramref name="nextGt"/> carries
    /// the last '&gt;' found, so that a run of '&lt;' without tags scans the text once, not once per '&lt;'.
    /// </summary>
    private static int SkipTag(string html, int lt, ref Writer writer, ref int nextGt)
    {
        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
        {
            var endComment = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return endComment < 0 ? html.Length : endComment + 3;
        }

        if (nextGt != -2 && nextGt <= lt)
        {
            nextGt = html.IndexOf('>', lt + 1);
            nextGt = nextGt < 0 ? -2 : nextGt;
        }

        var gt = nextGt < 0 ? -1 : nextGt;
        var nameStart = lt + 1;
        if (nameStart < html.Length && html[nameStart] == '/')
        {
            nameStart++;
        }

        var nameEnd = nameStart;
        if (gt > 0 && nameEnd < gt && char.IsAsciiLetter(html[nameEnd]))
        {
            while (nameEnd < gt && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }
        }

        if (gt < 0 || nameEnd == nameStart)
        {
            // A '<' that starts no tag ("a < b", "<10 dead"): keep it as text.
            writer.Add('<');
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

        if (BlockLookup.Contains(name))
        {
            writer.Newline();
        }
        else
        {
            writer.Add(' ');
        }

        return gt + 1;
    }

    private static int DecodeEntity(string html, int amp, ref Writer writer)
    {
        var semi = html.IndexOf(';', amp + 1, Math.Min(12, html.Length - amp - 1));
        if (semi < 0)
        {
            writer.Add('&');
            return amp + 1;
        }

        var body = html.AsSpan(amp + 1, semi - amp - 1);
        if (body.Length > 1 && body[0] == '#')
        {
            var hex = body[1] is 'x' or 'X';
            var digits = hex ? body[2..] : body[1..];
            if (int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                && code is > 0 and <= 0x10FFFF && code is < 0xD800 or > 0xDFFF)
            {
                if (code < 0x10000)
                {
                    writer.Add((char)code);
                }
                else
                {
                    writer.Add(char.ConvertFromUtf32(code).AsSpan());
                }

                return semi + 1;
            }
        }
        else
        {
            switch (body)
            {
                case "amp": writer.Add('&'); return semi + 1;
                case "lt": writer.Add('<'); return semi + 1;
                case "gt": writer.Add('>'); return semi + 1;
                case "quot": writer.Add('"'); return semi + 1;
                case "apos": writer.Add('\''); return semi + 1;
                case "nbsp": writer.Add(' '); return semi + 1;
            }

            var reference = html.Substring(amp, semi - amp + 1);
            var decoded = WebUtility.HtmlDecode(reference);
            if (decoded != reference)
            {
                writer.Add(decoded.AsSpan());
                return semi + 1;
            }
        }

        writer.Add('&');
        return amp + 1;
    }
}
