using System.Xml;

namespace Alerts.Core.Feeds;

/// <summary>
/// The last-resort pass for feeds that are not well-formed XML, as mature readers have one: the document is read as
/// tag soup and written back well-formed, so that the strict reader can read what it says. Text and markup before the
/// feed's root element are dropped (a server's warning printed before the XML); a '&lt;' that starts no tag is text;
/// attributes may be unquoted or repeated; an end tag closes the open elements up to its own and an end tag without a
/// start is dropped; elements still open at the end are closed, except an item or entry cut off by the end, which is dropped; a namespace prefix used without a declaration is
/// declared where it is used (the well-known ones with their real namespaces, others with a placeholder). Every part is
/// read once: time and memory are linear in the input.
/// </summary>
internal static class TolerantXml
{
    /// <summary>Prefixes that feeds use without declaring them, bound to the namespaces they always mean.</summary>
    private static readonly Dictionary<string, string> KnownPrefixes = new(StringComparer.Ordinal)
    {
        ["atom"] = "http://www.w3.org/2005/Atom",
        ["content"] = "http://purl.org/rss/1.0/modules/content/",
        ["dc"] = "http://purl.org/dc/elements/1.1/",
        ["dcterms"] = "http://purl.org/dc/terms/",
        ["media"] = "http://search.yahoo.com/mrss/",
        ["itunes"] = "http://www.itunes.com/dtds/podcast-1.0.dtd",
        ["rdf"] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        ["slash"] = "http://purl.org/rss/1.0/modules/slash/",
        ["georss"] = "http://www.georss.org/georss",
        ["geo"] = "http://www.w3.org/2003/01/geo/wgs84_pos#",
        ["sy"] = "http://purl.org/rss/1.0/modules/syndication/",
        ["wfw"] = "http://wellformedweb.org/CommentAPI/",
        ["xhtml"] = "http://www.w3.org/1999/xhtml",
    };

    private static readonly string[] RootNames = ["rss", "RDF", "feed"];

    /// <summary>
    /// Elements nest at most this deep (real feeds nest a dozen levels); deeper tags are dropped and their text kept,
    /// so that a hostile document cannot make the readers after this one deep.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>Writes <paramref name="xml"/> back as well-formed XML (entities are left for <see cref="XmlEntityRepair"/>).</summary>
    public static string Rebuild(string xml)
    {
        var output = new TextBuffer(xml.Length + 256);
        var open = new List<OpenElement>();
        var openCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var scope = new Dictionary<string, int>(StringComparer.Ordinal); // prefix → declarations in scope
        var rootSeen = false;
        var i = FeedRootStart(xml);
        var tagsEnd = xml.Length;
        var pendingText = -1; // where text not yet written starts
        var lastSubsetEnd = xml.LastIndexOf("]>", StringComparison.Ordinal);
        var runsToEnd = false;
        while (i < xml.Length)
        {
            if (rootSeen && open.Count == 0)
            {
                break; // one root element; whatever follows it is not part of the feed
            }

            var textEnd = TextEnd(xml, i, tagsEnd);
            if (textEnd > i)
            {
                pendingText = pendingText < 0 ? i : pendingText;
                i = textEnd;
                continue;
            }

            // A comment, CDATA, declaration or instruction; else a tag, read once, or a '<' that is text after all.
            var declaration = xml[i + 1] is '!' or '?';
            var tag = declaration ? null : ReadTag(xml, i, out runsToEnd);
            if (!declaration && tag is null)
            {
                if (runsToEnd)
                {
                    tagsEnd = i; // nothing closes it: the rest is text, read once
                }

                pendingText = pendingText < 0 ? i : pendingText; // a '<' that starts no tag is text
                i++;
                continue;
            }

            if (pendingText >= 0)
            {
                FlushText(output, xml, ref pendingText, i, open.Count > 0);
            }

            if (string.CompareOrdinal(xml, i, "<!--", 0, 4) == 0)
            {
                i = After(xml, "-->", i + 4);
                continue;
            }

            if (string.CompareOrdinal(xml, i, "<![CDATA[", 0, 9) == 0)
            {
                var end = xml.IndexOf("]]>", i + 9, StringComparison.Ordinal);
                var bodyEnd = end < 0 ? xml.Length : end;
                if (open.Count > 0)
                {
                    output.Append("<![CDATA[").Append(xml, i + 9, bodyEnd - i - 9).Append("]]>");
                }

                i = end < 0 ? xml.Length : end + 3;
                continue;
            }

            if (string.CompareOrdinal(xml, i, "<!", 0, 2) == 0)
            {
                i = SkipDeclaration(xml, i + 2, lastSubsetEnd);
                continue;
            }

            if (string.CompareOrdinal(xml, i, "<?", 0, 2) == 0)
            {
                i = After(xml, "?>", i + 2);
                continue;
            }

            var t = tag!.Value;
            i = t.End;
            if (t.IsEnd)
            {
                if (openCounts.GetValueOrDefault(t.Name) > 0)
                {
                    while (open.Count > 0)
                    {
                        var top = Pop(open, openCounts, scope, output);
                        if (top == t.Name)
                        {
                            break;
                        }
                    }
                }

                continue;
            }

            rootSeen = true;
            if (open.Count < MaxDepth)
            {
                WriteStartTag(output, t, xml, open, openCounts, scope);
            }
        }

        if (pendingText >= 0)
        {
            FlushText(output, xml, ref pendingText, i, open.Count > 0);
        }

        // An item or entry that the end of the document cut off is dropped, not read half: the next poll reads it whole
        // (its half would otherwise be published under a key of its own, and the whole one again).
        var cut = open.FindIndex(e => e.Name is "item" or "entry" || e.Name.EndsWith(":item", StringComparison.Ordinal) || e.Name.EndsWith(":entry", StringComparison.Ordinal));
        if (cut >= 0)
        {
            output.Truncate(open[cut].OutputStart);
            while (open.Count > cut)
            {
                Forget(open, openCounts, scope);
            }
        }

        while (open.Count > 0)
        {
            Pop(open, openCounts, scope, output);
        }

        return output.ToString();
    }

    private readonly record struct OpenElement(string Name, string[]? Declared, int OutputStart);

    private readonly record struct Tag(string Name, bool IsEnd, bool SelfClosing, int AttributesStart, int AttributesEnd, int End);

    private static void FlushText(TextBuffer output, string xml, ref int pendingText, int end, bool inRoot)
    {
        if (inRoot)
        {
            AppendText(output, xml, pendingText, end);
        }

        pendingText = -1;
    }

    /// <summary>
    /// The end of the text that starts at <paramref name="from"/>: the next '&lt;' that may start markup (a letter,
    /// '/', '!' or '?' after it) before <paramref name="tagsEnd"/>; a '&lt;' that cannot is part of the text.
    /// </summary>
    private static int TextEnd(string xml, int from, int tagsEnd)
    {
        var i = from;
        while (i < tagsEnd)
        {
            var lt = xml.IndexOf('<', i, tagsEnd - i);
            if (lt < 0)
            {
                return tagsEnd;
            }

            if (XmlEntityRepair.CanStartMarkup(xml, lt))
            {
                return lt;
            }

            i = lt + 1;
        }

        return xml.Length;
    }

    /// <summary>Where the feed's root element starts (so that anything printed before it is dropped), else 0.</summary>
    internal static int FeedRootStart(string xml)
    {
        var best = -1;
        foreach (var name in RootNames)
        {
            var at = 0;
            while ((at = xml.IndexOf(name, at, StringComparison.Ordinal)) > 0)
            {
                var lt = at - 1;
                while (lt >= 0 && lt >= at - 64 && xml[lt] != '<' && (char.IsAsciiLetterOrDigit(xml[lt]) || xml[lt] is '_' or '-' or '.' or ':'))
                {
                    lt--;
                }

                var end = at + name.Length;
                if (lt >= 0 && xml[lt] == '<' && end < xml.Length && (xml[end] is '>' or '/' || char.IsWhiteSpace(xml[end])) && (lt == at - 1 || xml[at - 1] == ':'))
                {
                    best = best < 0 ? lt : Math.Min(best, lt);
                    break;
                }

                at = end;
                if (best >= 0 && at > best)
                {
                    break;
                }
            }
        }

        return best < 0 ? 0 : best;
    }

    private static int After(string xml, string terminator, int from)
    {
        var end = xml.IndexOf(terminator, from, StringComparison.Ordinal);
        return end < 0 ? xml.Length : end + terminator.Length;
    }

    /// <summary>
    /// Skips a markup declaration such as a DOCTYPE, with its internal subset in brackets. <paramref name="lastSubsetEnd"/>
    /// is where the document's last "]>" is: a '[' after it opens no subset, so the search for its end is not made again
    /// from every such declaration (that would be quadratic).
    /// </summary>
    private static int SkipDeclaration(string xml, int from, int lastSubsetEnd)
    {
        var gt = xml.IndexOf('>', from);
        var bracket = xml.IndexOf('[', from, (gt < 0 ? xml.Length : gt) - from);
        if (bracket >= 0 && bracket < lastSubsetEnd)
        {
            return After(xml, "]>", bracket + 1);
        }

        return gt < 0 ? xml.Length : gt + 1;
    }

    /// <summary>
    /// The tag at <paramref name="lt"/>, or null when the '&lt;' starts none; <paramref name="runsToEnd"/> tells that
    /// the tag was read to the end of the input without closing.
    /// </summary>
    private static Tag? ReadTag(string xml, int lt, out bool runsToEnd)
    {
        runsToEnd = false;
        var n = xml.Length;
        var isEnd = lt + 1 < n && xml[lt + 1] == '/';
        var nameStart = lt + (isEnd ? 2 : 1);
        if (nameStart >= n || !XmlConvert.IsStartNCNameChar(xml[nameStart]))
        {
            return null;
        }

        var nameEnd = nameStart + 1;
        var colons = 0;
        while (nameEnd < n && (XmlConvert.IsNCNameChar(xml[nameEnd]) || xml[nameEnd] == ':'))
        {
            colons += xml[nameEnd] == ':' ? 1 : 0;
            nameEnd++;
        }

        if (colons > 1 || xml[nameEnd - 1] == ':')
        {
            return null;
        }

        // The closing '>', skipping quoted attribute values; the scan ends at the next '<' whatever the quotes, so that
        // each character is read by one tag at most.
        var i = nameEnd;
        char quote = '\0';
        while (i < n)
        {
            var c = xml[i];
            if (c == '<')
            {
                return null; // "<b a < c", or a '<' in a quoted value, which XML does not allow: no tag, text
            }

            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'' && i > 0 && (xml[i - 1] == '=' || char.IsWhiteSpace(xml[i - 1])))
            {
                quote = c;
            }
            else if (c == '>')
            {
                break;
            }

            i++;
        }

        if (i >= n)
        {
            runsToEnd = true;
            return null;
        }

        var selfClosing = xml[i - 1] == '/' && i - 1 >= nameEnd;
        return new Tag(xml[nameStart..nameEnd], isEnd, selfClosing, nameEnd, selfClosing ? i - 1 : i, i + 1);
    }

    private static void WriteStartTag(TextBuffer output, Tag tag, string xml, List<OpenElement> open, Dictionary<string, int> openCounts, Dictionary<string, int> scope)
    {
        var attributes = ReadAttributes(xml, tag.AttributesStart, tag.AttributesEnd);
        List<string>? declared = null;
        foreach (var (name, _) in attributes)
        {
            if (name.StartsWith("xmlns:", StringComparison.Ordinal))
            {
                (declared ??= []).Add(name[6..]);
            }
        }

        foreach (var prefix in declared ?? [])
        {
            scope[prefix] = scope.GetValueOrDefault(prefix) + 1;
        }

        var outputStart = output.Length;
        output.Append('<').Append(tag.Name);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (seen.Add(name))
            {
                output.Append(' ').Append(name).Append("=\"");
                AppendAttributeValue(output, value);
                output.Append('"');
            }
        }

        // Prefixes used here without a declaration in scope are declared here.
        foreach (var used in UsedPrefixes(tag.Name, seen))
        {
            if (scope.GetValueOrDefault(used) == 0)
            {
                output.Append(" xmlns:").Append(used).Append("=\"")
                    .Append(KnownPrefixes.TryGetValue(used, out var known) ? known : "urn:x-undeclared-prefix:" + used).Append('"');
                scope[used] = 1;
                (declared ??= []).Add(used);
            }
        }

        if (tag.SelfClosing)
        {
            output.Append("/>");
            foreach (var prefix in declared ?? [])
            {
                scope[prefix]--;
            }

            return;
        }

        output.Append('>');
        open.Add(new OpenElement(tag.Name, declared?.ToArray(), outputStart));
        openCounts[tag.Name] = openCounts.GetValueOrDefault(tag.Name) + 1;
    }

    private static IEnumerable<string> UsedPrefixes(string elementName, HashSet<string> attributeNames)
    {
        var colon = elementName.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            yield return elementName[..colon];
        }

        foreach (var name in attributeNames)
        {
            var c = name.IndexOf(':', StringComparison.Ordinal);
            if (c > 0 && name[..c] is var p && p != "xmlns" && p != "xml" && p != (colon > 0 ? elementName[..colon] : null))
            {
                yield return p;
            }
        }
    }

    private static string Pop(List<OpenElement> open, Dictionary<string, int> openCounts, Dictionary<string, int> scope, TextBuffer output)
    {
        var top = Forget(open, openCounts, scope);
        output.Append("</").Append(top.Name).Append('>');
        return top.Name;
    }

    /// <summary>Takes the innermost open element off the stack without writing its end tag.</summary>
    private static OpenElement Forget(List<OpenElement> open, Dictionary<string, int> openCounts, Dictionary<string, int> scope)
    {
        var top = open[^1];
        open.RemoveAt(open.Count - 1);
        openCounts[top.Name]--;
        foreach (var prefix in top.Declared ?? [])
        {
            scope[prefix]--;
        }

        return top;
    }

    /// <summary>Attributes between the tag name and the tag's end: quoted, unquoted or bare; names that XML refuses are dropped.</summary>
    private static List<(string Name, string Value)> ReadAttributes(string xml, int start, int end)
    {
        var result = new List<(string, string)>();
        var i = start;
        while (i < end)
        {
            while (i < end && (char.IsWhiteSpace(xml[i]) || xml[i] == '/'))
            {
                i++;
            }

            var nameStart = i;
            while (i < end && !char.IsWhiteSpace(xml[i]) && xml[i] is not '=' and not '/')
            {
                i++;
            }

            var name = xml[nameStart..i];
            while (i < end && char.IsWhiteSpace(xml[i]))
            {
                i++;
            }

            var value = "";
            if (i < end && xml[i] == '=')
            {
                i++;
                while (i < end && char.IsWhiteSpace(xml[i]))
                {
                    i++;
                }

                if (i < end && xml[i] is '"' or '\'')
                {
                    var quote = xml[i];
                    var close = xml.IndexOf(quote, i + 1, end - i - 1);
                    close = close < 0 ? end : close;
                    value = xml[(i + 1)..close];
                    i = Math.Min(end, close + 1);
                }
                else
                {
                    var valueStart = i;
                    while (i < end && !char.IsWhiteSpace(xml[i]))
                    {
                        i++;
                    }

                    value = xml[valueStart..i];
                }
            }

            if (name.Length > 0 && IsQualifiedName(name))
            {
                result.Add((name, value));
            }
            else if (name.Length == 0 && i < end)
            {
                i++;
            }
        }

        return result;
    }

    private static bool IsQualifiedName(string name)
    {
        if (!XmlConvert.IsStartNCNameChar(name[0]) || name[^1] == ':')
        {
            return false;
        }

        var colons = 0;
        foreach (var c in name)
        {
            if (c == ':')
            {
                colons++;
            }
            else if (!XmlConvert.IsNCNameChar(c))
            {
                return false;
            }
        }

        return colons <= 1;
    }

    /// <summary>Text as XML: in a CDATA section when it holds '&lt;' but no '&amp;', else with '&lt;' and '&gt;' escaped.</summary>
    private static void AppendText(TextBuffer output, string xml, int start, int end)
    {
        var text = xml.AsSpan(start, end - start);
        if (text.IndexOfAny('<', '>') < 0)
        {
            output.Append(text);
            return;
        }

        if (!text.Contains('&') && !text.Contains("]]>", StringComparison.Ordinal))
        {
            output.Append("<![CDATA[").Append(text).Append("]]>");
            return;
        }

        while (text.Length > 0)
        {
            var special = text.IndexOfAny('<', '>');
            if (special < 0)
            {
                output.Append(text);
                break;
            }

            output.Append(text[..special]).Append(text[special] == '<' ? "&lt;" : "&gt;");
            text = text[(special + 1)..];
        }
    }

    private static void AppendAttributeValue(TextBuffer output, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '<' => output.Append("&lt;"),
                '"' => output.Append("&quot;"),
                _ => output.Append(c),
            };
        }
    }
}
