namespace Alerts.Core.Scoring;

/// <summary>
/// Long texts in pieces of about <c>size</c> characters, cut at a paragraph, else after a sentence, else at a space:
/// the scorer and the place detector read a piece at a time, so that their working memory stays small (and in the
/// processor's cache) however long a feed makes an article.
/// </summary>
public static class TextChunks
{
    /// <summary>The (start, length) of each piece of <paramref name="text"/>; one piece when it is short.</summary>
    public static IEnumerable<(int Start, int Length)> Split(string text, int size)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 256);
        var start = 0;
        while (text.Length - start > size)
        {
            var end = Cut(text, start, start + size);
            yield return (start, end - start);
            start = end;
        }

        yield return (start, text.Length - start);
    }

    private static int Cut(string text, int start, int limit)
    {
        // Look back over the last quarter of the piece for the best break.
        var from = limit - ((limit - start) / 4);
        var paragraph = text.LastIndexOf('\n', limit - 1, limit - from);
        if (paragraph >= from)
        {
            return paragraph + 1;
        }

        for (var i = limit - 1; i >= from; i--)
        {
            if (text[i] is '.' or '!' or '?' or '。' && char.IsWhiteSpace(text[i + 1]))
            {
                return i + 1;
            }
        }

        var space = text.LastIndexOf(' ', limit - 1, limit - from);
        return space >= from ? space + 1 : limit;
    }
}
