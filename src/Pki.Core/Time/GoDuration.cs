using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Time;

/// <summary>
/// Go <c>time.Duration</c> text: <c>ParseDuration</c> (e.g. <c>"24h"</c>, <c>"5m0s"</c>,
/// <c>"1h30m"</c>, <c>"-1.5h"</c>, <c>"300ms"</c>) and <c>String()</c> (e.g. <c>"24h0m0s"</c>).
/// ca.json claims and request <c>notAfter</c> values use this syntax.
/// </summary>
public static class GoDuration
{
    private const long TicksPerMicrosecond = 10;

    // Go's time.Duration is an int64 of nanoseconds.
    private const decimal MaxGoNanoseconds = long.MaxValue;

    /// <summary>Parses a Go duration string; throws <see cref="FormatException"/> naming the input.</summary>
    public static TimeSpan Parse(string text)
    {
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"invalid duration \"{text}\"");
        }
        return value;
    }

    /// <summary>Parses a Go duration string; false when it is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.SequenceEqual("0"))
        {
            return true;
        }
        if (s.IsEmpty)
        {
            return false;
        }
        decimal totalTicks = 0;
        while (!s.IsEmpty)
        {
            var numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
            {
                numberEnd++;
            }
            if (numberEnd == 0 || !decimal.TryParse(s[..numberEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            s = s[numberEnd..];
            var unitEnd = 0;
            while (unitEnd < s.Length && !char.IsAsciiDigit(s[unitEnd]) && s[unitEnd] != '.')
            {
                unitEnd++;
            }
            decimal? unitTicks = s[..unitEnd] switch
            {
                "ns" => 0.01m,
                "us" or "µs" or "μs" => TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (unitTicks is null)
            {
                return false;
            }
            s = s[unitEnd..];
            // Go's ParseDuration fails ("invalid duration") past an int64 of nanoseconds
            // (±2562047h47m16.854775807s); checked before multiplying so decimal cannot overflow.
            if (number > MaxGoNanoseconds / (unitTicks.Value * 100m))
            {
                return false;
            }
            totalTicks += number * unitTicks.Value;
            if (totalTicks * 100m > (negative ? MaxGoNanoseconds + 1 : MaxGoNanoseconds))
            {
                return false;
            }
        }
        var ticks = (long)decimal.Round(totalTicks);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String()</c>: <c>"24h0m0s"</c>, <c>"5m0s"</c>, <c>"1.5s"</c>, <c>"0s"</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }
        var sb = new StringBuilder();
        var ticks = value.Ticks;
        if (ticks < 0)
        {
            sb.Append('-');
            ticks = -ticks;
        }
        if (ticks < TimeSpan.TicksPerSecond)
        {
            // Go prints sub-second durations in the largest unit that keeps an integer part.
            var (unit, per) = ticks >= TimeSpan.TicksPerMillisecond ? ("ms", TimeSpan.TicksPerMillisecond) : ("µs", TicksPerMicrosecond);
            sb.Append(FormatFraction(ticks, per)).Append(unit);
            return sb.ToString();
        }
        var hours = ticks / TimeSpan.TicksPerHour;
        var minutes = ticks / TimeSpan.TicksPerMinute % 60;
        var secondTicks = ticks % TimeSpan.TicksPerMinute;
        if (hours > 0)
        {
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (hours > 0 || minutes > 0)
        {
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        sb.Append(FormatFraction(secondTicks, TimeSpan.TicksPerSecond)).Append('s');
        return sb.ToString();
    }

    private static string FormatFraction(long ticks, long per)
    {
        var whole = ticks / per;
        var fraction = ticks % per;
        if (fraction == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        var digits = (int)Math.Log10(per);
        return whole.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
