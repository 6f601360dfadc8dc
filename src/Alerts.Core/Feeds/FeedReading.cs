using System.Buffers;
using System.Collections;
using System.Xml;

namespace Alerts.Core.Feeds;

/// <summary>The feed's own fields, filled in by a reader as it meets them.</summary>
internal sealed class FeedHead
{
    public FeedFormat Format { get; set; }
    public string Title { get; set; } = "";
    public string? SiteUrl { get; set; }
    public string? Language { get; set; }
    public TimeSpan? Ttl { get; set; }
}

/// <summary>
/// A feed document being read: its items come one at a time from <see cref="Items"/>, so that the items of a large
/// document are not all alive at once (each can be handled and dropped while the next is read). The feed's own fields
/// are those read so far and complete once <see cref="Items"/> has been read to the end, as are the
/// <see cref="Warnings"/>. The first item is read when the reading starts, so a document that is no feed at all fails
/// there; a fault further on (malformed XML after some items) is recovered by reading the document again tolerantly
/// and skipping the items already given out.
/// </summary>
/// <remarks>Single use and not thread-safe; dispose it to give back the decode buffer.</remarks>
public sealed class FeedReading : IDisposable
{
    private readonly Uri? _feedUrl;
    private readonly List<string> _warnings = [];
    private char[]? _pooled;
    private int _pooledLength;
    private string? _document;
    private FeedHead _head = new();
    private IEnumerator<FeedItem>? _source;
    private bool _strict = true;
    private string? _tolerantReason;
    private int _skip;
    private FeedItem? _first;
    private bool _itemsTaken;
    private bool _disposed;

    private FeedReading(Uri? feedUrl) => _feedUrl = feedUrl;

    public FeedFormat Format => _head.Format;

    public string Title => _head.Title;

    public string? SiteUrl => _head.SiteUrl;

    /// <summary>The feed's language as read so far: the fallback of an item that gives none.</summary>
    public string? Language => _head.Language;

    public TimeSpan? Ttl => _head.Ttl;

    /// <summary>The items given out so far.</summary>
    public int ItemCount { get; private set; }

    /// <summary>What was wrong with the document and how it was read anyway; see <see cref="ParsedFeed.Warnings"/>.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The items, in document order; enumerable once.</summary>
    /// <exception cref="FeedParseException">From the enumeration: a fault even the tolerant pass cannot read past.</exception>
    public IEnumerable<FeedItem> Items
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_itemsTaken)
            {
                throw new InvalidOperationException("The items of a feed reading can be enumerated once.");
            }

            _itemsTaken = true;
            return new ItemSequence(this);
        }
    }

    /// <summary>Reads every item into a <see cref="ParsedFeed"/>.</summary>
    public ParsedFeed ReadToEnd()
    {
        var items = Items.ToList();
        return new ParsedFeed(Format, Title, SiteUrl, Language, Ttl, items) { Warnings = [.. _warnings] };
    }

    public void Dispose()
    {
        _source?.Dispose();
        _source = null;
        ReturnBuffer();
        _document = null;
        _first = null;
        _disposed = true;
    }

    /// <summary>Starts on a document decoded into a pooled buffer, which the reading then owns.</summary>
    internal static FeedReading Start(char[] pooled, int length, Uri? feedUrl, string? decodeWarning)
    {
        var reading = new FeedReading(feedUrl) { _pooled = pooled, _pooledLength = length };
        if (decodeWarning is not null)
        {
            reading._warnings.Add(decodeWarning);
        }

        return reading.Begin(static r => r.OpenPooled());
    }

    /// <summary>Starts on an already decoded document.</summary>
    internal static FeedReading Start(string document, Uri? feedUrl) =>
        new FeedReading(feedUrl) { _document = document }.Begin(static r => r.OpenDocument());

    /// <summary>Opens the reader with <paramref name="open"/> and reads the first item; a failure gives back what the reading holds.</summary>
    private FeedReading Begin(Action<FeedReading> open)
    {
        try
        {
            open(this);
            ReadFirst();
            return this;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Clean XML is read from the pooled buffer itself, without a document-sized string; other text as a document.</summary>
    private void OpenPooled()
    {
        var text = _pooled.AsSpan(0, _pooledLength);
        var start = FeedParser.FirstSignificant(text);
        if (start >= 0 && text[start] == '<' && !XmlEntityRepair.NeedsRepair(text))
        {
            _source = XmlFeedReader.Read(new CharArrayReader(_pooled!, _pooledLength), _feedUrl, _head).GetEnumerator();
            return;
        }

        _document = new string(text);
        ReturnBuffer();
        OpenDocument();
    }

    /// <summary>Chooses the reader for <see cref="_document"/>: JSON Feed, or XML after the repair of what XML does not allow.</summary>
    private void OpenDocument()
    {
        var document = _document!;
        var start = FeedParser.FirstSignificant(document);
        if (start < 0)
        {
            throw new FeedParseException("The document is empty.");
        }

        if (document[start] is '{' or '[')
        {
            var feed = JsonFeedReader.Read(document, _feedUrl);
            _head = new FeedHead { Format = feed.Format, Title = feed.Title, SiteUrl = feed.SiteUrl, Language = feed.Language, Ttl = feed.Ttl };
            _source = feed.Items.GetEnumerator();
            _document = null;
            return;
        }

        if (document[start] != '<')
        {
            throw new FeedParseException("The document is neither XML nor JSON.");
        }

        var repaired = XmlEntityRepair.Repair(document, out var dropped, out var badMarkup);
        if (dropped > 0)
        {
            _warnings.Add($"Dropped {Count(dropped, "character")} that XML does not allow (NUL or other control characters, lone surrogates).");
        }

        // A '<' that starts no markup is an XML error wherever it is: no strict read is tried then.
        _source = repaired is not null
            ? XmlFeedReader.Read(new StringReader(repaired), _feedUrl, _head).GetEnumerator()
            : Failing(BadMarkup(document, badMarkup));
    }

    private static IEnumerator<FeedItem> Failing(XmlException error)
    {
        throw error;
#pragma warning disable CS0162 // an iterator, so that the error comes from the enumeration like any other XML error
        yield break;
#pragma warning restore CS0162
    }

    private void ReadFirst()
    {
        if (Next(out var first))
        {
            _first = first;
        }
    }

    /// <summary>The next item, recovering once from a strict read's failure by the tolerant pass.</summary>
    private bool Next(out FeedItem item)
    {
        while (true)
        {
            if (_source is null)
            {
                item = null!;
                return false;
            }

            try
            {
                if (!_source.MoveNext())
                {
                    Finish();
                    item = null!;
                    return false;
                }

                if (_skip > 0)
                {
                    _skip--;
                    continue;
                }

                item = _source.Current;
                ItemCount++;
                return true;
            }
            catch (XmlException strict) when (_strict)
            {
                // Not well-formed: read it again as tag soup written back well-formed, as mature readers do, and say so.
                _tolerantReason = $"Malformed XML at line {strict.LineNumber}, column {strict.LinePosition} ({TrimPosition(strict.Message)})";
                ReadTolerantly(strict);
            }
            catch (FeedParseException) when (_strict && ItemCount == 0 && TolerantXml.FeedRootStart(DocumentText()) > 0)
            {
                // Well-formed but led by something else (a server's warning in HTML printed before the feed).
                _tolerantReason = "Markup before the feed's root element was dropped";
                ReadTolerantly(null);
            }
        }
    }

    /// <summary>The document as a string (made from the pooled buffer when the clean path was reading it).</summary>
    private string DocumentText()
    {
        if (_document is null && _pooled is not null)
        {
            _document = new string(_pooled, 0, _pooledLength);
        }

        return _document ?? "";
    }

    private void ReadTolerantly(XmlException? strict)
    {
        var document = DocumentText();
        _source?.Dispose();
        _source = null;
        ReturnBuffer();
        _strict = false;
        _skip = ItemCount; // the tolerant pass reads the same items first: they are not given out twice
        _head = new FeedHead();
        var rebuilt = TolerantXml.Rebuild(document);
        if (rebuilt.Length == 0)
        {
            throw new FeedParseException("Not a feed: the document has no elements.");
        }

        _source = Rethrowing(XmlFeedReader.Read(new StringReader(XmlEntityRepair.Repair(rebuilt)), _feedUrl, _head), strict);
    }

    /// <summary>The tolerant pass's items; an XML error even there is reported as the first one met.</summary>
    private static IEnumerator<FeedItem> Rethrowing(IEnumerable<FeedItem> items, XmlException? strict)
    {
        using var source = items.GetEnumerator();
        while (true)
        {
            try
            {
                if (!source.MoveNext())
                {
                    yield break;
                }
            }
            catch (XmlException ex)
            {
                var first = strict ?? ex;
                throw new FeedParseException($"Malformed XML at line {first.LineNumber}, column {first.LinePosition}: {first.Message}", first);
            }

            yield return source.Current;
        }
    }

    private void Finish()
    {
        if (_tolerantReason is not null)
        {
            _warnings.Add($"{_tolerantReason}; read by the tolerant pass: {Count(ItemCount, "item")}.");
            _tolerantReason = null;
        }

        _source?.Dispose();
        _source = null;
        ReturnBuffer();
        _document = null;
    }

    private void ReturnBuffer()
    {
        if (_pooled is not null)
        {
            ArrayPool<char>.Shared.Return(_pooled);
            _pooled = null;
        }
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static XmlException BadMarkup(string document, int at)
    {
        var line = 1 + document.AsSpan(0, at).Count('\n');
        var column = at - (at > 0 ? document.LastIndexOf('\n', at - 1) : -1);
        return new XmlException("A '<' that starts no tag.", null, line, column);
    }

    /// <summary>An XmlException message without its own trailing "Line x, position y." (the warning gives both).</summary>
    private static string TrimPosition(string message)
    {
        var at = message.LastIndexOf(" Line ", StringComparison.Ordinal);
        return (at > 0 ? message[..at] : message).TrimEnd('.', ' ');
    }

    private sealed class ItemSequence(FeedReading reading) : IEnumerable<FeedItem>
    {
        public IEnumerator<FeedItem> GetEnumerator()
        {
            if (reading._first is { } first)
            {
                reading._first = null;
                yield return first;
            }

            while (reading.Next(out var item))
            {
                yield return item;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
