using System.Globalization;
using System.Net;
using System.Text;

namespace Alerts.Core.Feeds;

/// <summary>
/// Converts feed HTML to plain text for scoring and display, reading markup by the HTML5 tokenizer's rules: a tag
/// starts only with '&lt;' and a letter ("&lt;10 dead" is text), a quoted attribute value may hold '&gt;', comments,
/// doctypes and processing instructions vanish, script and style bodies are skipped. Block elements become line
/// breaks, table cells spaces, inline elements nothing ("&lt;b&gt;Hello&lt;/b&gt;!" is "Hello!"). Entities are decoded
/// as HTML5 does, including the Windows-1252 meaning of references 128 to 159. One pass into a reused buffer: time
/// and memory are linear in the input.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "li", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "tbody", "thead",
        "tfoot", "caption", "blockquote", "section", "article", "header", "footer", "main", "nav", "aside", "address",
        "pre", "hr", "dd", "dt", "figure", "figcaption", "details", "summary", "form", "fieldset", "legend", "center",
    };

    /// <summary>Elements whose boundaries separate words without starting a line.</summary>
    private static readonly HashSet<string> SpaceTags = new(StringComparer.OrdinalIgnoreCase) { "td", "th" };

    /// <summary>Elements whose body is never shown as text (raw text elements and their kin).</summary>
    private static readonly HashSet<string> HiddenBodyTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "iframe", "noembed", "noframes", "noscript", "template",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> BlockLookup = BlockTags.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SpaceLookup = SpaceTags.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> HiddenLookup = HiddenBodyTags.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>What HTML5 makes of numeric references 0x80 to 0x9F: the Windows-1252 characters (0 where it keeps the code).</summary>
    private static readonly char[] Windows1252 =
    [
        '\u20AC', '\0', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\0', '\u017D', '\0',
        '\0', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\0', '\u017E', '\u0178',
    ];

    private static readonly System.Buffers.SearchValues<char> AsciiLettersAndDigits =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

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
        var tagsEnd = html.Length; // past this, '<' is text: a tag left open to the end was found there
        while (i < html.Length && writer.Length < MaxTextCharacters)
        {
            var c = html[i];
            if (c == '<' && i < tagsEnd)
            {
                i = Markup(html, i, ref writer, ref tagsEnd);
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

        return writer.Finish(html);
    }

    /// <summary>Folds runs of spaces within lines and removes empty lines.</summary>
    public static string FoldWhitespace(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var writer = new Writer(Rent(text.Length));
        foreach (var c in text)
        {
            writer.Add(c);
            if (writer.Length >= MaxTextCharacters)
            {
                break;
            }
        }

        return writer.Finish(text);
    }

    /// <summary>A code point 0x80 to 0x9F read as the Windows-1252 character HTML5 gives it (others unchanged).</summary>
    internal static int Windows1252CodePoint(int code) =>
        code is >= 0x80 and <= 0x9F && Windows1252[code - 0x80] != '\0' ? Windows1252[code - 0x80] : code;

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
                Space();
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

        private readonly bool SameAs(string input)
        {
            var offset = 0;
            foreach (var chunk in sb.GetChunks())
            {
                if (!chunk.Span.SequenceEqual(input.AsSpan(offset, chunk.Length)))
                {
                    return false;
                }

                offset += chunk.Length;
            }

            return true;
        }

        public void Space() => _pendingSpace = sb.Length > 0 && !_pendingNewline;

        public void Newline()
        {
            _pendingNewline = sb.Length > 0;
            _pendingSpace = false;
        }

        /// <summary>The text; <paramref name="input"/> itself when the text is the same (most titles): no copy is made.</summary>
        public readonly string Finish(string? input = null)
        {
            var result = input is not null && input.Length == sb.Length && SameAs(input) ? input
                : sb.Length <= MaxTextCharacters ? sb.ToString() : sb.ToString(0, MaxTextCharacters);
            if (sb.Capacity > 1 << 21)
            {
                t_builder = null; // keep up to 4 MB per thread, not more
            }

            return result;
        }
    }

    /// <summary>
    /// Reads the markup at <paramref name="lt"/> and returns where text resumes. A '&lt;' that starts no markup is text.
    /// A tag still open at the end of the input is text too (HTML5 would drop it; a feed's words are worth more), and
    /// so is every later '&lt;', since any tag there would run to the end as well: each character is read a bounded
    /// number of times.
    /// </summary>
    private static int Markup(string html, int lt, ref Writer writer, ref int tagsEnd)
    {
        var n = html.Length;
        var next = lt + 1 < n ? html[lt + 1] : '\0';
        if (next == '!')
        {
            if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
            {
                return CommentEnd(html, lt + 4);
            }

            if (string.CompareOrdinal(html, lt, "<![CDATA[", 0, 9) == 0)
            {
                // Foreign-content CDATA: its text is text.
                var end = html.IndexOf("]]>", lt + 9, StringComparison.Ordinal);
                writer.Add(html.AsSpan(lt + 9, (end < 0 ? n : end) - lt - 9));
                return end < 0 ? n : end + 3;
            }

            return BogusCommentEnd(html, lt + 2); // <!DOCTYPE …>, <!ELEMENT …>
        }

        if (next == '?')
        {
            return BogusCommentEnd(html, lt + 2); // <?xml:namespace …?>, <?php …?>
        }

        var isEnd = next == '/';
        var nameStart = isEnd ? lt + 2 : lt + 1;
        if (isEnd && nameStart < n && html[nameStart] == '>')
        {
            return nameStart + 1; // "</>" is nothing
        }

        if (nameStart >= n || !char.IsAsciiLetter(html[nameStart]))
        {
            if (isEnd && nameStart < n)
            {
                return BogusCommentEnd(html, nameStart); // "</ x>", "</3>"
            }

            writer.Add('<');
            return lt + 1;
        }

        var nameEnd = nameStart;
        while (nameEnd < n && !IsTagNameEnd(html[nameEnd]))
        {
            nameEnd++;
        }

        var gt = TagEnd(html, nameEnd);
        if (gt < 0)
        {
            tagsEnd = lt;
            writer.Add('<');
            return lt + 1;
        }

        var name = html.AsSpan(nameStart, nameEnd - nameStart);
        if (!isEnd && HiddenLookup.Contains(name) && html[gt - 1] != '/')
        {
            return HiddenBodyEnd(html, gt + 1, name);
        }

        if (BlockLookup.Contains(name))
        {
            writer.Newline();
        }
        else if (SpaceLookup.Contains(name))
        {
            writer.Space();
        }

        return gt + 1;
    }

    private static bool IsTagNameEnd(char c) => c is '>' or '/' or ' ' or '\t' or '\n' or '\r' or '\f';

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>
    /// The '&gt;' that closes a tag whose attributes start at <paramref name="at"/>, following the HTML5 attribute
    /// states: a '&gt;' inside a quoted value does not close it. -1 when the input ends first.
    /// </summary>
    private static int TagEnd(string html, int at)
    {
        var n = html.Length;
        var i = at;
        while (i < n)
        {
            var c = html[i];
            if (c == '>')
            {
                return i;
            }

            if (c != '=')
            {
                i++;
                continue;
            }

            // An attribute value: skip spaces, then a quoted value as a whole, or an unquoted one up to space or '>'.
            i++;
            while (i < n && IsSpace(html[i]))
            {
                i++;
            }

            if (i < n && html[i] is '"' or '\'')
            {
                var close = html.IndexOf(html[i], i + 1);
                if (close < 0)
                {
                    return -1;
                }

                i = close + 1;
            }
            else
            {
                while (i < n && !IsSpace(html[i]) && html[i] != '>')
                {
                    i++;
                }
            }
        }

        return -1;
    }

    private static int CommentEnd(string html, int bodyStart)
    {
        // "<!-->" and "<!--->" are whole (empty) comments in HTML5.
        if (bodyStart < html.Length && html[bodyStart] == '>')
        {
            return bodyStart + 1;
        }

        if (string.CompareOrdinal(html, bodyStart, "->", 0, 2) == 0)
        {
            return bodyStart + 2;
        }

        var end = html.IndexOf("-->", bodyStart, StringComparison.Ordinal);
        return end < 0 ? html.Length : end + 3;
    }

    private static int BogusCommentEnd(string html, int from)
    {
        var gt = html.IndexOf('>', from);
        return gt < 0 ? html.Length : gt + 1;
    }

    private static int HiddenBodyEnd(string html, int bodyStart, ReadOnlySpan<char> name)
    {
        var search = bodyStart;
        while (true)
        {
            var close = html.IndexOf("</", search, StringComparison.Ordinal);
            if (close < 0)
            {
                return html.Length;
            }

            var after = close + 2 + name.Length;
            if (after <= html.Length && html.AsSpan(close + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (after == html.Length || IsTagNameEnd(html[after])))
            {
                var gt = html.IndexOf('>', after);
                return gt < 0 ? html.Length : gt + 1;
            }

            search = close + 2;
        }
    }

    private static int DecodeEntity(string html, int amp, ref Writer writer)
    {
        var semi = html.IndexOf(';', amp + 1, Math.Min(32, html.Length - amp - 1));
        if (semi < 0)
        {
            return DecodeLegacy(html, amp, ref writer);
        }

        var body = html.AsSpan(amp + 1, semi - amp - 1);
        if (body.Length > 1 && body[0] == '#')
        {
            var hex = body[1] is 'x' or 'X';
            var digits = hex ? body[2..] : body[1..];
            if (digits.Length > 0 && digits.Length <= 8
                && int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                AddCodePoint(ref writer, code);
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

            if (body.Length is > 0 and <= 31 && char.IsAsciiLetter(body[0]) && !body.ContainsAnyExcept(AsciiLettersAndDigits))
            {
                var reference = html.Substring(amp, semi - amp + 1);
                var decoded = WebUtility.HtmlDecode(reference);
                if (decoded != reference)
                {
                    writer.Add(decoded.AsSpan());
                    return semi + 1;
                }
            }
        }

        return DecodeLegacy(html, amp, ref writer);
    }

    /// <summary>The references HTML5 also reads without their semicolon ("&amp;amp", "&amp;lt", "&amp;nbsp") when no letter or digit follows.</summary>
    private static int DecodeLegacy(string html, int amp, ref Writer writer)
    {
        if (amp + 1 >= html.Length || html[amp + 1] is not ('a' or 'l' or 'g' or 'q' or 'n'))
        {
            writer.Add('&');
            return amp + 1;
        }

        ReadOnlySpan<string> names = ["amp", "lt", "gt", "quot", "nbsp"];
        ReadOnlySpan<char> values = ['&', '<', '>', '"', ' '];
        for (var k = 0; k < names.Length; k++)
        {
            var end = amp + 1 + names[k].Length;
            if (end <= html.Length && string.CompareOrdinal(html, amp + 1, names[k], 0, names[k].Length) == 0
                && (end == html.Length || !char.IsAsciiLetterOrDigit(html[end])))
            {
                writer.Add(values[k]);
                return end;
            }
        }

        writer.Add('&');
        return amp + 1;
    }

    private static void AddCodePoint(ref Writer writer, int code)
    {
        code = Windows1252CodePoint(code);
        if (code is <= 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
        {
            writer.Add('\uFFFD'); // as HTML5: NUL, surrogates and numbers past Unicode read as the replacement character
        }
        else if (code < 0x10000)
        {
            writer.Add((char)code);
        }
        else
        {
            writer.Add(char.ConvertFromUtf32(code).AsSpan());
        }
    }
}
