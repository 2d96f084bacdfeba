using System.Globalization;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Go;

/// <summary>
/// Go's <c>time.Time</c> JSON form: <c>MarshalJSON</c> writes layout <c>time.RFC3339Nano</c> (the
/// fraction of a second trimmed of trailing zeros, <c>Z</c> for a zero offset, else <c>±hh:mm</c>;
/// time/format_rfc3339.go <c>appendStrictRFC3339</c>) and <c>UnmarshalJSON</c> accepts strict RFC 3339
/// (<c>parseStrictRFC3339</c>). Go's zero time <c>0001-01-01T00:00:00Z</c> is
/// <see cref="DateTimeOffset.MinValue"/>. .NET keeps 100 ns ticks, so the last two of Go's nine
/// fractional digits are dropped when reading. Thread-safe (stateless).
/// </summary>
public static class GoTimeJson
{
    /// <summary>The longest accepted input: <c>yyyy-mm-ddThh:mm:ss.nnnnnnnnn+hh:mm</c>.</summary>
    private const int MaxLength = 35;

    private const string Rfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

    /// <summary>The RFC 3339 text with nanoseconds of a template time, without quotes.</summary>
    /// <exception cref="TemplateFunctionException">The year is outside 0-9999 or the zone offset is 24 hours or more.</exception>
    internal static string Format(GoTime time)
    {
        var year = time.Civil().Year;
        if (year is < 0 or > 9999)
        {
            throw new TemplateFunctionException("json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]");
        }

        if (Math.Abs(time.Zone.Offset) >= 24 * 3600)
        {
            throw new TemplateFunctionException("json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: timezone hour outside of range [0,23]");
        }

        return GoTimeLayout.Format(time, Rfc3339Nano);
    }

    /// <summary>Formats like Go's <c>Time.MarshalJSON</c>, without the quotes (the instant shown at its own offset).</summary>
    public static string Format(DateTimeOffset value) =>
        GoTimeLayout.Format(GoTime.FromDateTimeOffset(value, GoLocation.Fixed(string.Empty, (int)value.Offset.TotalSeconds)), Rfc3339Nano);

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
