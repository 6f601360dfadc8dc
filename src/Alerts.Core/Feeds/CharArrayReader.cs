namespace Alerts.Core.Feeds;

/// <summary>A <see cref="TextReader"/> over the first <c>length</c> characters of an array (a pooled decode buffer).</summary>
internal sealed class CharArrayReader(char[] chars, int length) : TextReader
{
    private int _position;

    public override int Peek() => _position < length ? chars[_position] : -1;

    public override int Read() => _position < length ? chars[_position++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var n = Math.Min(buffer.Length, length - _position);
        chars.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
