namespace Smallstep.Pki.Go;

/// <summary>
/// Go's <c>time.Time</c> in the template data model: an instant (Unix seconds and nanoseconds,
/// the whole int64 range as in Go) and the location it is shown in. Printing uses Go's
/// <c>Time.String()</c> layout; Go's monotonic clock suffix (<c>m=+0.001</c>, only on values
/// straight from <c>now</c>) is not reproduced. Immutable.
/// </summary>
internal sealed record GoTime(long UnixSeconds, int Nanosecond, GoLocation Location)
{
    /// <summary>The layout of Go's <c>Time.String()</c> (time/format.go).</summary>
    public const string StringLayout = "2006-01-02 15:04:05.999999999 -0700 MST";

    private const long SecondsPerDay = 86400;

    /// <summary>The zone abbreviation and offset east of UTC, in seconds, in effect at this instant.</summary>
    public (string Abbreviation, int Offset) Zone => Location.Lookup(UnixSeconds);

    /// <summary>Go's <c>time.Unix(sec, 0)</c> shown in <paramref name="location"/>.</summary>
    public static GoTime FromUnix(long seconds, GoLocation location) => new(seconds, 0, location);

    /// <summary>A .NET instant (100 ns ticks) shown in <paramref name="location"/>.</summary>
    public static GoTime FromDateTimeOffset(DateTimeOffset instant, GoLocation location)
    {
        var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        return new GoTime(seconds, (int)(rest * 100), location);
    }

    /// <summary>
    /// Go's <c>time.Date</c> for in-range fields: the wall clock in <paramref name="location"/>,
    /// resolved to an instant as Go does (look up the offset at the wall time taken as UTC, then
    /// again at the adjusted instant when that lands in another period).
    /// </summary>
    public static GoTime FromCivil(long year, int month, int day, int hour, int minute, int second, int nanosecond, GoLocation location)
    {
        var wall = unchecked(DaysFromCivil(year, month, day) * SecondsPerDay + hour * 3600L + minute * 60L + second);
        var offset = location.Lookup(wall).Offset;
        if (offset != 0)
        {
            var adjusted = location.Lookup(unchecked(wall - offset)).Offset;
            offset = adjusted;
        }

        return new GoTime(unchecked(wall - offset), nanosecond, location);
    }

    /// <summary>This instant shown in another location (Go's <c>In</c>, <c>UTC</c>).</summary>
    public GoTime In(GoLocation location) => this with { Location = location };

    /// <summary>Go's <c>Add</c>: the instant moved by <paramref name="nanoseconds"/> (wrapping at the int64 ends, as Go).</summary>
    public GoTime AddNanoseconds(long nanoseconds)
    {
        var seconds = unchecked(UnixSeconds + nanoseconds / 1_000_000_000);
        var nanos = Nanosecond + (int)(nanoseconds % 1_000_000_000);
        if (nanos >= 1_000_000_000)
        {
            seconds = unchecked(seconds + 1);
            nanos -= 1_000_000_000;
        }
        else if (nanos < 0)
        {
            seconds = unchecked(seconds - 1);
            nanos += 1_000_000_000;
        }

        return this with { UnixSeconds = seconds, Nanosecond = nanos };
    }

    /// <summary>Nanoseconds from <paramref name="other"/> to this instant, saturating like Go's <c>Sub</c>.</summary>
    public long NanosecondsSince(GoTime other)
    {
        var seconds = (Int128)UnixSeconds - other.UnixSeconds;
        var total = seconds * 1_000_000_000 + (Nanosecond - other.Nanosecond);
        return total > long.MaxValue ? long.MaxValue : total < long.MinValue ? long.MinValue : (long)total;
    }

    /// <summary>The wall clock fields in this time's location.</summary>
    public CivilTime Civil()
    {
        var (_, offset) = Zone;
        var local = (Int128)UnixSeconds + offset;
        var days = (long)Int128.DivRem(local, SecondsPerDay).Quotient;
        var secondOfDay = (long)(local - (Int128)days * SecondsPerDay);
        if (secondOfDay < 0)
        {
            days--;
            secondOfDay += SecondsPerDay;
        }

        var (year, month, day) = CivilFromDays(days);
        var weekday = (int)(((days + 4) % 7 + 7) % 7);
        var yearDay = (int)(days - DaysFromCivil(year, 1, 1)) + 1;
        return new CivilTime(year, month, day, yearDay, weekday, (int)(secondOfDay / 3600), (int)(secondOfDay / 60 % 60), (int)(secondOfDay % 60));
    }

    /// <summary>Go's <c>Time.String()</c>.</summary>
    public override string ToString() => GoTimeLayout.Format(this, StringLayout);

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).</summary>
    public static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - era * 400;
        var dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        var dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /// <summary>Whether <paramref name="year"/> is a Gregorian leap year.</summary>
    public static bool IsLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    /// <summary>Days in a month of a year (Go's <c>daysIn</c>).</summary>
    public static int DaysIn(int month, long year) => month switch
    {
        2 => IsLeap(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719468;
        var era = (days >= 0 ? days : days - 146096) / 146097;
        var dayOfEra = days - era * 146097;
        var yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        var dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        var mp = (5 * dayOfYear + 2) / 153;
        var day = (int)(dayOfYear - (153 * mp + 2) / 5 + 1);
        var month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day);
    }
}

/// <summary>Wall clock fields of a <see cref="GoTime"/>; <see cref="Weekday"/> 0 is Sunday, <see cref="YearDay"/> starts at 1.</summary>
internal readonly record struct CivilTime(long Year, int Month, int Day, int YearDay, int Weekday, int Hour, int Minute, int Second);
