using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Go;

/// <summary>The elements of a Go time layout (time/format.go <c>std*</c> constants).</summary>
internal enum LayoutElement
{
    None,
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    LowerPM,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTZ,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    FracSecond0,
    FracSecond9,
}

/// <summary>One element found in a layout: its position, length, and for fractional seconds the digit count and separator.</summary>
internal readonly record struct LayoutChunk(int Start, int Length, LayoutElement Element, int Digits = 0, char Separator = '.');

/// <summary>
/// Go's time layouts (time/format.go): finding the reference-time elements
/// (<c>2006-01-02 15:04:05.999999999 -0700 MST</c>) in a layout and formatting a
/// <see cref="GoTime"/> with them. Text that is not an element is copied verbatim.
/// </summary>
internal static class GoTimeLayout
{
    public static readonly string[] LongDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    public static readonly string[] ShortDayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    public static readonly string[] ShortMonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    public static readonly string[] LongMonthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly LayoutElement[] ZeroElements =
        [LayoutElement.ZeroMonth, LayoutElement.ZeroDay, LayoutElement.ZeroHour12, LayoutElement.ZeroMinute, LayoutElement.ZeroSecond, LayoutElement.Year];

    /// <summary>Go's <c>nextStdChunk</c>: the first element at or after <paramref name="from"/>; <see cref="LayoutElement.None"/> at the end.</summary>
    public static LayoutChunk Next(string layout, int from)
    {
        for (var i = from; i < layout.Length; i++)
        {
            var chunk = At(layout, i);
            if (chunk.Element != LayoutElement.None)
            {
                return chunk;
            }
        }

        return new LayoutChunk(layout.Length, 0, LayoutElement.None);
    }

    private static LayoutChunk At(string layout, int i)
    {
        bool Has(string s) => layout.AsSpan(i).StartsWith(s, StringComparison.Ordinal);
        LayoutChunk Of(int length, LayoutElement element) => new(i, length, element);
        var rest = layout.Length - i;
        switch (layout[i])
        {
            case 'J' when Has("Jan"):
                return Has("January") ? Of(7, LayoutElement.LongMonth)
                    : !StartsWithLower(layout, i + 3) ? Of(3, LayoutElement.Month) : default;
            case 'M' when Has("Mon"):
                return Has("Monday") ? Of(6, LayoutElement.LongWeekDay)
                    : !StartsWithLower(layout, i + 3) ? Of(3, LayoutElement.WeekDay) : default;
            case 'M' when Has("MST"):
                return Of(3, LayoutElement.TZ);
            case '0' when rest >= 2 && layout[i + 1] is >= '1' and <= '6':
                return Of(2, ZeroElements[layout[i + 1] - '1']);
            case '0' when Has("002"):
                return Of(3, LayoutElement.ZeroYearDay);
            case '1':
                return Has("15") ? Of(2, LayoutElement.Hour) : Of(1, LayoutElement.NumMonth);
            case '2':
                return Has("2006") ? Of(4, LayoutElement.LongYear) : Of(1, LayoutElement.Day);
            case '_' when Has("_2"):
                // "_2006" is a literal '_' followed by the long year.
                return Has("_2006") ? new LayoutChunk(i + 1, 4, LayoutElement.LongYear) : Of(2, LayoutElement.UnderDay);
            case '_' when Has("__2"):
                return Of(3, LayoutElement.UnderYearDay);
            case '3':
                return Of(1, LayoutElement.Hour12);
            case '4':
                return Of(1, LayoutElement.Minute);
            case '5':
                return Of(1, LayoutElement.Second);
            case 'P' when Has("PM"):
                return Of(2, LayoutElement.PM);
            case 'p' when Has("pm"):
                return Of(2, LayoutElement.LowerPM);
            case '-':
                return Has("-070000") ? Of(7, LayoutElement.NumSecondsTZ)
                    : Has("-07:00:00") ? Of(9, LayoutElement.NumColonSecondsTZ)
                    : Has("-0700") ? Of(5, LayoutElement.NumTZ)
                    : Has("-07:00") ? Of(6, LayoutElement.NumColonTZ)
                    : Has("-07") ? Of(3, LayoutElement.NumShortTZ) : default;
            case 'Z':
                return Has("Z070000") ? Of(7, LayoutElement.Iso8601SecondsTZ)
                    : Has("Z07:00:00") ? Of(9, LayoutElement.Iso8601ColonSecondsTZ)
                    : Has("Z0700") ? Of(5, LayoutElement.Iso8601TZ)
                    : Has("Z07:00") ? Of(6, LayoutElement.Iso8601ColonTZ)
                    : Has("Z07") ? Of(3, LayoutElement.Iso8601ShortTZ) : default;
            case '.' or ',' when rest >= 2 && layout[i + 1] is '0' or '9':
                var digit = layout[i + 1];
                var j = i + 1;
                while (j < layout.Length && layout[j] == digit)
                {
                    j++;
                }

                // The run of digits must end here: only a fractional second is all digits.
                return j < layout.Length && char.IsAsciiDigit(layout[j])
                    ? default
                    : new LayoutChunk(i, j - i, digit == '0' ? LayoutElement.FracSecond0 : LayoutElement.FracSecond9, (j - i - 1) & 0xfff, layout[i]);
            default:
                return default;
        }
    }

    private static bool StartsWithLower(string s, int i) => i < s.Length && s[i] is >= 'a' and <= 'z';

    /// <summary>Go's <c>Time.Format</c>.</summary>
    public static string Format(GoTime time, string layout)
    {
        var (abbreviation, offset) = time.Zone;
        var c = time.Civil();
        var sb = new StringBuilder(layout.Length + 10);
        var pos = 0;
        while (pos < layout.Length)
        {
            var chunk = Next(layout, pos);
            sb.Append(layout, pos, chunk.Start - pos);
            if (chunk.Element == LayoutElement.None)
            {
                break;
            }

            pos = chunk.Start + chunk.Length;
            switch (chunk.Element)
            {
                case LayoutElement.Year:
                    AppendInt(sb, Math.Abs(c.Year) % 100, 2);
                    break;
                case LayoutElement.LongYear:
                    AppendInt(sb, c.Year, 4);
                    break;
                case LayoutElement.Month:
                    sb.Append(ShortMonthNames[c.Month - 1]);
                    break;
                case LayoutElement.LongMonth:
                    sb.Append(LongMonthNames[c.Month - 1]);
                    break;
                case LayoutElement.NumMonth:
                    AppendInt(sb, c.Month, 0);
                    break;
                case LayoutElement.ZeroMonth:
                    AppendInt(sb, c.Month, 2);
                    break;
                case LayoutElement.WeekDay:
                    sb.Append(ShortDayNames[c.Weekday]);
                    break;
                case LayoutElement.LongWeekDay:
                    sb.Append(LongDayNames[c.Weekday]);
                    break;
                case LayoutElement.Day:
                    AppendInt(sb, c.Day, 0);
                    break;
                case LayoutElement.UnderDay:
                    sb.Append(c.Day < 10 ? " " : "");
                    AppendInt(sb, c.Day, 0);
                    break;
                case LayoutElement.ZeroDay:
                    AppendInt(sb, c.Day, 2);
                    break;
                case LayoutElement.UnderYearDay:
                    sb.Append(c.YearDay < 10 ? "  " : c.YearDay < 100 ? " " : "");
                    AppendInt(sb, c.YearDay, 0);
                    break;
                case LayoutElement.ZeroYearDay:
                    AppendInt(sb, c.YearDay, 3);
                    break;
                case LayoutElement.Hour:
                    AppendInt(sb, c.Hour, 2);
                    break;
                case LayoutElement.Hour12:
                    AppendInt(sb, c.Hour % 12 == 0 ? 12 : c.Hour % 12, 0);
                    break;
                case LayoutElement.ZeroHour12:
                    AppendInt(sb, c.Hour % 12 == 0 ? 12 : c.Hour % 12, 2);
                    break;
                case LayoutElement.Minute:
                    AppendInt(sb, c.Minute, 0);
                    break;
                case LayoutElement.ZeroMinute:
                    AppendInt(sb, c.Minute, 2);
                    break;
                case LayoutElement.Second:
                    AppendInt(sb, c.Second, 0);
                    break;
                case LayoutElement.ZeroSecond:
                    AppendInt(sb, c.Second, 2);
                    break;
                case LayoutElement.PM:
                    sb.Append(c.Hour >= 12 ? "PM" : "AM");
                    break;
                case LayoutElement.LowerPM:
                    sb.Append(c.Hour >= 12 ? "pm" : "am");
                    break;
                case LayoutElement.TZ when abbreviation.Length > 0:
                    sb.Append(abbreviation);
                    break;
                case LayoutElement.TZ:
                    // No zone name known: Go prints the -0700 form.
                    AppendOffset(sb, LayoutElement.NumTZ, offset);
                    break;
                case LayoutElement.FracSecond0 or LayoutElement.FracSecond9:
                    AppendNano(sb, time.Nanosecond, chunk.Digits, chunk.Element == LayoutElement.FracSecond9, chunk.Separator);
                    break;
                default:
                    AppendOffset(sb, chunk.Element, offset);
                    break;
            }
        }

        return sb.ToString();
    }

    private static void AppendOffset(StringBuilder sb, LayoutElement element, int offset)
    {
        var iso = element is LayoutElement.Iso8601TZ or LayoutElement.Iso8601SecondsTZ or LayoutElement.Iso8601ShortTZ
            or LayoutElement.Iso8601ColonTZ or LayoutElement.Iso8601ColonSecondsTZ;
        if (offset == 0 && iso)
        {
            sb.Append('Z');
            return;
        }

        var zone = offset / 60;
        var absOffset = Math.Abs(offset);
        sb.Append(zone < 0 ? '-' : '+');
        zone = Math.Abs(zone);
        AppendInt(sb, zone / 60, 2);
        var colon = element is LayoutElement.Iso8601ColonTZ or LayoutElement.NumColonTZ
            or LayoutElement.Iso8601ColonSecondsTZ or LayoutElement.NumColonSecondsTZ;
        if (colon)
        {
            sb.Append(':');
        }

        if (element is not (LayoutElement.NumShortTZ or LayoutElement.Iso8601ShortTZ))
        {
            AppendInt(sb, zone % 60, 2);
        }

        if (element is LayoutElement.Iso8601SecondsTZ or LayoutElement.NumSecondsTZ or LayoutElement.NumColonSecondsTZ or LayoutElement.Iso8601ColonSecondsTZ)
        {
            sb.Append(colon ? ":" : "");
            AppendInt(sb, absOffset % 60, 2);
        }
    }

    /// <summary>Go's <c>appendNano</c>: <paramref name="digits"/> places (at most 9 printed), trimmed of zeros for the <c>.999</c> form.</summary>
    private static void AppendNano(StringBuilder sb, int nanosecond, int digits, bool trim, char separator)
    {
        if (trim && (digits == 0 || nanosecond == 0))
        {
            return;
        }

        var text = nanosecond.ToString("D9", CultureInfo.InvariantCulture);
        if (digits < 9)
        {
            text = text[..digits];
        }

        if (trim)
        {
            text = text.TrimEnd('0');
        }

        if (text.Length > 0 || !trim)
        {
            sb.Append(separator).Append(text);
        }
    }

    /// <summary>Go's <c>appendInt</c>: decimal, zero-padded to <paramref name="width"/> after the sign.</summary>
    public static void AppendInt(StringBuilder sb, long value, int width)
    {
        if (value < 0)
        {
            sb.Append('-');
        }

        var digits = value == long.MinValue ? "9223372036854775808" : Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        sb.Append('0', Math.Max(0, width - digits.Length)).Append(digits);
    }
}
