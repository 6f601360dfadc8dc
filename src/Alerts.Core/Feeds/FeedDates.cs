using System.Globalization;

namespace Alerts.Core.Feeds;

/// <summary>
/// Parses the dates feeds actually contain: RFC 822/1123 (with or without weekday or seconds, two-digit years,
/// named zones, numeric offsets without a sign) and ISO 8601 / RFC 3339 (with or without zone, fraction, 'T').
/// A date without a zone is taken as UTC.
/// </summary>
public static class FeedDates
{
    private static readonly Dictionary<string, int> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["Zulu"] = 0,
        ["EST"] = -5 * 60, ["EDT"] = -4 * 60, ["CST"] = -6 * 60, ["CDT"] = -5 * 60,
        ["MST"] = -7 * 60, ["MDT"] = -6 * 60, ["PST"] = -8 * 60, ["PDT"] = -7 * 60,
        ["BST"] = 60, ["CET"] = 60, ["CEST"] = 120, ["EET"] = 120, ["EEST"] = 180, ["MSK"] = 180,
        ["IST"] = 330, ["JST"] = 540, ["AEST"] = 600, ["AEDT"] = 660,
        ["AKST"] = -9 * 60, ["AKDT"] = -8 * 60, ["HST"] = -10 * 60, ["AST"] = -4 * 60, ["ADT"] = -3 * 60,
        ["NST"] = -210, ["NDT"] = -150, ["BRT"] = -3 * 60, ["ART"] = -3 * 60, ["WET"] = 0, ["WEST"] = 60,
        ["MET"] = 60, ["MEST"] = 120, ["CEDT"] = 120, ["WAT"] = 60, ["CAT"] = 120, ["SAST"] = 120, ["EAT"] = 180,
        ["MSD"] = 240, ["TRT"] = 180, ["GST"] = 240, ["IRST"] = 210, ["PKT"] = 300, ["NPT"] = 345, ["BDT"] = 360,
        ["ICT"] = 420, ["WIB"] = 420, ["HKT"] = 480, ["SGT"] = 480, ["PHT"] = 480, ["MYT"] = 480, ["AWST"] = 480,
        ["KST"] = 540, ["ACST"] = 570, ["ACDT"] = 630, ["NZST"] = 720, ["NZDT"] = 780,
    };

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        "yyyyMMdd'T'HHmmssK", "yyyyMMdd",
    ];

    /// <summary>Parses <paramref name="value"/>; null when it is empty or no known form fits.</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var s = value.Trim();
        if (s.Length >= 8 && char.IsAsciiDigit(s[0]) && s.Contains('-', StringComparison.Ordinal) && s.Contains(':', StringComparison.Ordinal))
        {
            s = NormalizeIso(s);
        }

        if (s.Length >= 8 && char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]))
        {
            return ParseIso(s) ?? ParseRfc822(s);
        }

        return ParseRfc822(s) ?? ParseIso(s);
    }

    /// <summary>
    /// ISO forms that DateTimeOffset does not take as they come: lower-case 't' and 'z' (RFC 3339 allows them) and
    /// fractions of more than seven digits (Go writes nine), cut to the seven that a tick holds.
    /// </summary>
    private static string NormalizeIso(string s)
    {
        s = s.ToUpperInvariant();
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return s;
        }

        var end = dot + 1;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        return end - dot - 1 > 7 ? string.Concat(s.AsSpan(0, dot + 8), s.AsSpan(end)) : s;
    }

    private static DateTimeOffset? ParseIso(string s)
    {
        // "+0000" style offsets are common in broken ISO dates; DateTimeOffset wants "+00:00".
        if (s.Length > 5 && (s[^5] == '+' || s[^5] == '-') && s[^4..].All(char.IsAsciiDigit) && s.Contains('T', StringComparison.Ordinal))
        {
            s = string.Concat(s.AsSpan(0, s.Length - 2), ":", s.AsSpan(s.Length - 2));
        }

        return DateTimeOffset.TryParseExact(s, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var result)
            ? result
            : null;
    }

    /// <summary>Words of a date at most: a real RFC 822 date has six; more is not a date.</summary>
    private const int MaxTokens = 12;

    private static DateTimeOffset? ParseRfc822(string s)
    {
        // The words are ranges of s: no strings, lists or arrays are made for them.
        Span<Range> tokens = stackalloc Range[MaxTokens];
        var count = Tokens(s, tokens);
        if (count < 0)
        {
            return null;
        }

        var text = s.AsSpan();
        var i = 0;
        if (i < count && !char.IsAsciiDigit(text[tokens[i]][0]) && MonthOf(text[tokens[i]]) < 0)
        {
            i++; // weekday, in any language or spelling
        }

        // Day and month in either order ("02 Jan 2006" or "Jan 02 2006").
        if (count - i < 3)
        {
            return null;
        }

        int day, month;
        if (int.TryParse(text[tokens[i]], NumberStyles.None, CultureInfo.InvariantCulture, out day))
        {
            month = MonthOf(text[tokens[i + 1]]);
        }
        else
        {
            month = MonthOf(text[tokens[i]]);
            if (!int.TryParse(text[tokens[i + 1]], NumberStyles.None, CultureInfo.InvariantCulture, out day))
            {
                return null;
            }
        }

        // asctime and date(1): "Wed May 01 10:14:55 2024", "Wed May 01 10:14:55 UTC 2024": the year comes last;
        // move it before the time so that the rest reads as RFC 822.
        if (count > i + 3 && text[tokens[i + 2]].Contains(':'))
        {
            var last = tokens[count - 1];
            tokens[(i + 2)..(count - 1)].CopyTo(tokens[(i + 3)..count]);
            tokens[i + 2] = last;
        }

        if (month < 0 || !int.TryParse(text[tokens[i + 2]], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return null;
        }

        year = year switch
        {
            < 50 => 2000 + year,
            < 100 => 1900 + year,
            _ => year,
        };

        i += 3;
        int hour = 0, minute = 0, second = 0;
        if (i < count && text[tokens[i]].Contains(':'))
        {
            if (!TryParseTime(text[tokens[i]], out hour, out minute, out second))
            {
                return null;
            }

            i++;
        }

        var offsetMinutes = 0;
        if (i < count && !TryParseZone(text[tokens[i]], out offsetMinutes))
        {
            return null;
        }

        if (hour > 23 || minute > 59 || second > 60 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month + 1))
        {
            return null;
        }

        second = Math.Min(second, 59);
        try
        {
            return new DateTimeOffset(year, month + 1, day, hour, minute, second, TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>"10:14", "10:14:55" or "10:14:55.123" (the fraction is dropped).</summary>
    private static bool TryParseTime(ReadOnlySpan<char> t, out int hour, out int minute, out int second)
    {
        hour = minute = second = 0;
        Span<Range> parts = stackalloc Range[4];
        var n = t.Split(parts, ':');
        if (n is < 2 or > 3
            || !int.TryParse(t[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out hour)
            || !int.TryParse(t[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out minute))
        {
            return false;
        }

        if (n == 3)
        {
            var sec = t[parts[2]];
            var dot = sec.IndexOf('.');
            return int.TryParse(dot < 0 ? sec : sec[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out second);
        }

        return true;
    }

    /// <summary>
    /// The words of an RFC 822 date as ranges of <paramref name="s"/>, with RFC 850's "01-May-24" split into day,
    /// month and year; -1 when there are more than <see cref="MaxTokens"/>.
    /// </summary>
    private static int Tokens(string s, Span<Range> tokens)
    {
        var count = 0;
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && s[i] is ' ' or '\t' or ',')
            {
                i++;
            }

            var start = i;
            while (i < s.Length && s[i] is not (' ' or '\t' or ','))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            if (count + 3 > tokens.Length)
            {
                return -1;
            }

            var word = s.AsSpan(start, i - start);
            var firstDash = word.IndexOf('-');
            var secondDash = firstDash > 0 ? word[(firstDash + 1)..].IndexOf('-') : -1;
            if (firstDash is 1 or 2 && secondDash > 0 && !word[..firstDash].ContainsAnyExceptInRange('0', '9')
                && !word.Slice(firstDash + 1, secondDash).ContainsAnyExcept(AsciiLetters) && firstDash + secondDash + 2 < word.Length)
            {
                tokens[count++] = new Range(start, start + firstDash);
                tokens[count++] = new Range(start + firstDash + 1, start + firstDash + 1 + secondDash);
                tokens[count++] = new Range(start + firstDash + secondDash + 2, i);
            }
            else
            {
                tokens[count++] = new Range(start, i);
            }
        }

        return count;
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ZoneLookup = Zones.GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool TryParseZone(ReadOnlySpan<char> token, out int minutes)
    {
        if (ZoneLookup.TryGetValue(token, out minutes))
        {
            return true;
        }

        var t = token.StartsWith("GMT", StringComparison.OrdinalIgnoreCase) || token.StartsWith("UTC", StringComparison.OrdinalIgnoreCase)
            ? token[3..]
            : token;
        var sign = 1;
        if (t.Length > 0 && (t[0] == '+' || t[0] == '-'))
        {
            sign = t[0] == '-' ? -1 : 1;
            t = t[1..];
        }

        Span<char> digits = stackalloc char[4];
        var n = 0;
        foreach (var c in t)
        {
            if (c == ':')
            {
                continue;
            }

            if (n == 4)
            {
                minutes = 0;
                return false;
            }

            digits[n++] = c;
        }

        if (n is 4 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm))
        {
            minutes = sign * ((hhmm / 100 * 60) + (hhmm % 100));
            return Math.Abs(minutes) <= 14 * 60;
        }

        if (n is 1 or 2 && int.TryParse(digits[..n], NumberStyles.None, CultureInfo.InvariantCulture, out var hh) && hh <= 14)
        {
            minutes = sign * hh * 60;
            return true;
        }

        minutes = 0;
        return false;
    }

    private static int MonthOf(ReadOnlySpan<char> token)
    {
        if (token.Length < 3)
        {
            return -1;
        }

        var prefix = token[..3];
        for (var m = 0; m < Months.Length; m++)
        {
            if (prefix.Equals(Months[m], StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        return -1;
    }
}
