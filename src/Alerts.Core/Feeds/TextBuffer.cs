namespace Alerts.Core.Feeds;

/// <summary>
/// A growable run of characters for the passes that rewrite a whole document in many small pieces: an append is one
/// bounds check and a copy, several times cheaper than a StringBuilder's for pieces of one to five characters.
/// </summary>
internal sealed class TextBuffer(int capacity)
{
    private char[] _chars = new char[Math.Max(16, capacity)];

    public int Length { get; private set; }

    public TextBuffer Append(char c)
    {
        if (Length == _chars.Length)
        {
            Grow(1);
        }

        _chars[Length++] = c;
        return this;
    }

    public TextBuffer Append(ReadOnlySpan<char> text)
    {
        if (Length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
        return this;
    }

    public TextBuffer Append(string text) => Append(text.AsSpan());

    public TextBuffer Append(string text, int start, int count) => Append(text.AsSpan(start, count));

    /// <summary>Drops everything from <paramref name="length"/> on.</summary>
    public void Truncate(int length) => Length = Math.Clamp(length, 0, Length);

    public override string ToString() => new(_chars, 0, Length);

    private void Grow(int extra) => Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + extra));
}
