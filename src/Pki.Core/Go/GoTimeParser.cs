namespace Smallstep.Pki.Go;

/// <summary>A value did not match a Go time layout; the message is Go's <c>*time.ParseError</c> text.</summary>
internal sealed class GoTimeParseException(string message) : Exception(message);

/// <summary>
/// Go's <c>time.Parse</c> and <c>time.ParseInLocation</c> (time/format.go <c>parse</c>): layout
/// elements are matched in order; a zone offset or abbreviation that the local location uses at
/// that instant selects the local location, otherwise a fixed zone records it.
/// </summary>
internal static partial class GoTimeParser
{
    private static readonly int[] DaysBefore = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    /// <summary>Parses <paramref name="value"/>; times without zone information are in <paramref name="defaultLocation"/>.</summary>
    /// <exception cref="GoTimeParseException">The value does not match the layout or a field is out of range.</exception>
    public static GoTime Parse(string layout, string value, GoLocation defaultLocation, GoLocation local)
    {
        var state = new ParseState();
        var rest = value;
        var pos = 0;
        while (true)
        {
            var chunk = GoTimeLayout.Next(layout, pos);
            var prefix = layout[pos..chunk.Start];
            if (!Skip(ref rest, prefix))
            {
                throw Error(layout, value, prefix, rest);
            }

            if (chunk.Element == LayoutElement.None)
            {
                if (rest.Length != 0)
                {
                    throw new GoTimeParseException($"parsing time {Quote(value)}: extra text: {Quote(rest)}");
                }

                break;
            }

            pos = chunk.Start + chunk.Length;
            var element = layout.Substring(chunk.Start, chunk.Length);
            var hold = rest;
            var ok = ParseElement(chunk, layout[pos..], ref rest, state, out var rangeError);
            if (rangeError is not null)
            {
                throw new GoTimeParseException($"parsing time {Quote(value)}: {rangeError} out of range");
            }

            if (!ok)
            {
                throw Error(layout, value, element, hold);
            }
        }

        return Resolve(state, value, defaultLocation, local);
    }

    private static bool ParseElement(LayoutChunk chunk, string layoutRest, ref string v, ParseState s, out string? rangeError)
    {
        rangeError = null;
        bool ok;
        switch (chunk.Element)
        {
            case LayoutElement.Year:
                if (v.Length < 2 || !TryAtoi(v[..2], out var shortYear))
                {
                    return false;
                }

                v = v[2..];
                s.Year = shortYear >= 69 ? shortYear + 1900 : shortYear + 2000;
                return true;
            case LayoutElement.LongYear:
                if (v.Length < 4 || !IsDigit(v, 0) || !TryAtoi(v[..4], out var year))
                {
                    return false;
                }

                v = v[4..];
                s.Year = year;
                return true;
            case LayoutElement.Month:
                ok = Lookup(GoTimeLayout.ShortMonthNames, ref v, out s.Month);
                s.Month++;
                return ok;
            case LayoutElement.LongMonth:
                ok = Lookup(GoTimeLayout.LongMonthNames, ref v, out s.Month);
                s.Month++;
                return ok;
            case LayoutElement.NumMonth or LayoutElement.ZeroMonth:
                ok = GetNum(ref v, chunk.Element == LayoutElement.ZeroMonth, out s.Month);
                rangeError = ok && (s.Month <= 0 || s.Month > 12) ? "month" : null;
                return ok;
            case LayoutElement.WeekDay:
                return Lookup(GoTimeLayout.ShortDayNames, ref v, out _);
            case LayoutElement.LongWeekDay:
                return Lookup(GoTimeLayout.LongDayNames, ref v, out _);
            case LayoutElement.Day or LayoutElement.UnderDay or LayoutElement.ZeroDay:
                if (chunk.Element == LayoutElement.UnderDay && v.StartsWith(' '))
                {
                    v = v[1..];
                }

                // Any one- or two-digit day; the date is validated at the end.
                return GetNum(ref v, chunk.Element == LayoutElement.ZeroDay, out s.Day);
            case LayoutElement.UnderYearDay or LayoutElement.ZeroYearDay:
                for (var i = 0; i < 2 && chunk.Element == LayoutElement.UnderYearDay && v.StartsWith(' '); i++)
                {
                    v = v[1..];
                }

                return GetNum3(ref v, chunk.Element == LayoutElement.ZeroYearDay, out s.YearDay);
            case LayoutElement.Hour:
                ok = GetNum(ref v, false, out s.Hour);
                rangeError = s.Hour is < 0 or >= 24 ? "hour" : null;
                return ok;
            case LayoutElement.Hour12 or LayoutElement.ZeroHour12:
                ok = GetNum(ref v, chunk.Element == LayoutElement.ZeroHour12, out s.Hour);
                rangeError = s.Hour is < 0 or > 12 ? "hour" : null;
                return ok;
            case LayoutElement.Minute or LayoutElement.ZeroMinute:
                ok = GetNum(ref v, chunk.Element == LayoutElement.ZeroMinute, out s.Minute);
                rangeError = s.Minute is < 0 or >= 60 ? "minute" : null;
                return ok;
            case LayoutElement.Second or LayoutElement.ZeroSecond:
                return ParseSecond(chunk, layoutRest, ref v, s, out rangeError);
            case LayoutElement.PM or LayoutElement.LowerPM:
                if (v.Length < 2)
                {
                    return false;
                }

                var mark = v[..2];
                v = v[2..];
                var upper = chunk.Element == LayoutElement.PM;
                s.PmSet = mark == (upper ? "PM" : "pm");
                s.AmSet = mark == (upper ? "AM" : "am");
                return s.PmSet || s.AmSet;
            case LayoutElement.TZ:
                if (v.StartsWith("UTC", StringComparison.Ordinal))
                {
                    s.Zone = GoLocation.Utc;
                    v = v[3..];
                    return true;
                }

                var length = ParseTimeZone(v);
                if (length == 0)
                {
                    return false;
                }

                s.ZoneName = v[..length];
                v = v[length..];
                return true;
            case LayoutElement.FracSecond0:
                var digits = 1 + chunk.Digits;
                if (v.Length < digits)
                {
                    return false;
                }

                ok = ParseNanoseconds(v, digits, out s.Nanosecond, out rangeError);
                v = v[digits..];
                return ok;
            case LayoutElement.FracSecond9:
                if (v.Length < 2 || v[0] is not ('.' or ',') || !IsDigit(v, 1))
                {
                    return true;
                }

                var n = 1;
                while (n < v.Length && IsDigit(v, n))
                {
                    n++;
                }

                ok = ParseNanoseconds(v, n, out s.Nanosecond, out rangeError);
                v = v[n..];
                return ok;
            default:
                return GoTimeZoneOffset.Parse(chunk.Element, ref v, s, out rangeError);
        }
    }

    private static bool ParseSecond(LayoutChunk chunk, string layoutRest, ref string v, ParseState s, out string? rangeError)
    {
        rangeError = null;
        if (!GetNum(ref v, chunk.Element == LayoutElement.ZeroSecond, out s.Second))
        {
            return false;
        }

        if (s.Second is < 0 or >= 60)
        {
            rangeError = "second";
            return true;
        }

        // A fractional second in the input but not in the layout is accepted (Go's special case).
        if (v.Length >= 2 && v[0] is '.' or ',' && IsDigit(v, 1))
        {
            var next = GoTimeLayout.Next(layoutRest, 0).Element;
            if (next is LayoutElement.FracSecond0 or LayoutElement.FracSecond9)
            {
                return true;
            }

            var n = 2;
            while (n < v.Length && IsDigit(v, n))
            {
                n++;
            }

            var ok = ParseNanoseconds(v, n, out s.Nanosecond, out rangeError);
            v = v[n..];
            return ok;
        }

        return true;
    }

    private static GoTime Resolve(ParseState s, string value, GoLocation defaultLocation, GoLocation local)
    {
        if (s.PmSet && s.Hour < 12)
        {
            s.Hour += 12;
        }
        else if (s.AmSet && s.Hour == 12)
        {
            s.Hour = 0;
        }

        if (s.YearDay >= 0)
        {
            ResolveYearDay(s, value);
        }
        else
        {
            s.Month = s.Month < 0 ? 1 : s.Month;
            s.Day = s.Day < 0 ? 1 : s.Day;
        }

        if (s.Day < 1 || s.Day > GoTime.DaysIn(s.Month, s.Year))
        {
            throw new GoTimeParseException($"parsing time {Quote(value)}: day out of range");
        }

        if (s.Zone is not null)
        {
            return GoTime.FromCivil(s.Year, s.Month, s.Day, s.Hour, s.Minute, s.Second, s.Nanosecond, s.Zone);
        }

        var utc = GoTime.FromCivil(s.Year, s.Month, s.Day, s.Hour, s.Minute, s.Second, s.Nanosecond, GoLocation.Utc);
        if (s.ZoneOffset is { } zoneOffset)
        {
            var t = utc with { UnixSeconds = unchecked(utc.UnixSeconds - zoneOffset) };
            var (name, offset) = local.Lookup(t.UnixSeconds);
            return offset == zoneOffset && (s.ZoneName is null || name == s.ZoneName)
                ? t.In(local)
                : t.In(GoLocation.Fixed(s.ZoneName ?? "", zoneOffset));
        }

        if (s.ZoneName is { } zoneName)
        {
            if (local.LookupName(zoneName, utc.UnixSeconds) is { } known)
            {
                return (utc with { UnixSeconds = unchecked(utc.UnixSeconds - known) }).In(local);
            }

            // Unknown abbreviation: a fabricated zone with offset 0, except GMT+N.
            var offset = zoneName.Length > 3 && zoneName.StartsWith("GMT", StringComparison.Ordinal) && TryAtoi(zoneName[3..], out var hours) ? (int)hours * 3600 : 0;
            return utc.In(GoLocation.Fixed(zoneName, offset));
        }

        return GoTime.FromCivil(s.Year, s.Month, s.Day, s.Hour, s.Minute, s.Second, s.Nanosecond, defaultLocation);
    }

    private static void ResolveYearDay(ParseState s, string value)
    {
        var yearDay = s.YearDay;
        int month = 0, day = 0;
        if (GoTime.IsLeap(s.Year))
        {
            if (yearDay == 31 + 29)
            {
                (month, day) = (2, 29);
            }
            else if (yearDay > 31 + 29)
            {
                yearDay--;
            }
        }

        if (yearDay is < 1 or > 365)
        {
            throw new GoTimeParseException($"parsing time {Quote(value)}: day-of-year out of range");
        }

        if (month == 0)
        {
            month = (yearDay - 1) / 31 + 1;
            if (DaysBefore[month] < yearDay)
            {
                month++;
            }

            day = yearDay - DaysBefore[month - 1];
        }

        if (s.Month >= 0 && s.Month != month)
        {
            throw new GoTimeParseException($"parsing time {Quote(value)}: day-of-year does not match month");
        }

        if (s.Day >= 0 && s.Day != day)
        {
            throw new GoTimeParseException($"parsing time {Quote(value)}: day-of-year does not match day");
        }

        (s.Month, s.Day) = (month, day);
    }
}

/// <summary>The fields collected while parsing; -1 marks "not seen" where Go uses it.</summary>
internal sealed class ParseState
{
    public long Year;
    public int Month = -1;
    public int Day = -1;
    public int YearDay = -1;
    public int Hour;
    public int Minute;
    public int Second;
    public int Nanosecond;
    public bool AmSet;
    public bool PmSet;
    public GoLocation? Zone;
    public int? ZoneOffset;
    public string? ZoneName;
}
