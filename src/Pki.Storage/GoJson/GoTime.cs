using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Storage.GoJson;

/// <summary>
/// Go's <c>time.Time</c> JSON form: RFC 3339 with the fraction of a second trimmed of trailing zeros
/// (layout <c>time.RFC3339Nano</c>), <c>Z</c> for a zero offset, else <c>±hh:mm</c>. Go's zero time
/// <c>0001-01-01T00:00:00Z</c> is <see cref="DateTimeOffset.MinValue"/>. .NET keeps 100 ns ticks, so
/// the last two of Go's nine fractional digits are dropped when reading.
/// </summary>
internal static class GoTime
{
    /// <summary>The longest accepted input: <c>yyyy-mm-ddThh:mm:ss.nnnnnnnnn+hh:mm</c>.</summary>
    private const int MaxLength = 35;

    /// <summary>Formats like Go's <c>Time.MarshalJSON</c>.</summary>
    public static string Format(DateTimeOffset value)
    {
        var text = new StringBuilder(MaxLength);
        text.Append(value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture));
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text.Append('.').Append(fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }
        if (value.Offset == TimeSpan.Zero)
        {
            return text.Append('Z').ToString();
        }
        var offset = value.Offset;
        text.Append(offset < TimeSpan.Zero ? '-' : '+');
        offset = offset.Duration();
        return text.Append(offset.Hours.ToString("00", CultureInfo.InvariantCulture)).Append(':')
            .Append(offset.Minutes.ToString("00", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Parses what Go's <c>Time.UnmarshalJSON</c> accepts (RFC 3339, 1–9 fractional digits).</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is < 20 or > MaxLength || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }
        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }
        var position = 19;
        long ticks = 0;
        if (text[position] == '.')
        {
            var start = ++position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
            var count = position - start;
            if (count is 0 or > 9)
            {
                return false;
            }
            // Pad to nine digits (nanoseconds), then keep 100 ns ticks.
            ticks = long.Parse(text.AsSpan(start, count), NumberStyles.None, CultureInfo.InvariantCulture);
            for (var i = count; i < 9; i++)
            {
                ticks *= 10;
            }
            ticks /= 100;
        }
        if (!TryParseOffset(text.AsSpan(position), out var offset))
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        value = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text is "Z")
        {
            return true;
        }
        if (text.Length != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':'
            || !Digits(text, 1, 2, out var hours) || !Digits(text, 4, 2, out var minutes) || hours > 14 || minutes > 59)
        {
            return false;
        }
        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-')
        {
            offset = -offset;
        }
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        foreach (var c in text.Slice(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
