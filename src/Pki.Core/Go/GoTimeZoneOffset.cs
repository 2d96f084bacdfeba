namespace Smallstep.Pki.Go;

/// <summary>Parsing of numeric zone offsets (<c>-0700</c>, <c>-07:00</c>, <c>-07</c>, <c>Z07:00</c>, ...) in Go's <c>time.parse</c>.</summary>
internal static class GoTimeZoneOffset
{
    public static bool Parse(LayoutElement element, ref string v, ParseState s, out string? rangeError)
    {
        rangeError = null;
        var iso = element is LayoutElement.Iso8601TZ or LayoutElement.Iso8601ShortTZ or LayoutElement.Iso8601ColonTZ
            or LayoutElement.Iso8601SecondsTZ or LayoutElement.Iso8601ColonSecondsTZ;
        if (iso && v.StartsWith('Z'))
        {
            v = v[1..];
            s.Zone = GoLocation.Utc;
            return true;
        }

        string hour, minute, second;
        switch (element)
        {
            case LayoutElement.Iso8601ColonTZ or LayoutElement.NumColonTZ:
                if (v.Length < 6 || v[3] != ':')
                {
                    return false;
                }

                (hour, minute, second) = (v[1..3], v[4..6], "00");
                break;
            case LayoutElement.NumShortTZ or LayoutElement.Iso8601ShortTZ:
                if (v.Length < 3)
                {
                    return false;
                }

                (hour, minute, second) = (v[1..3], "00", "00");
                break;
            case LayoutElement.Iso8601ColonSecondsTZ or LayoutElement.NumColonSecondsTZ:
                if (v.Length < 9 || v[3] != ':' || v[6] != ':')
                {
                    return false;
                }

                (hour, minute, second) = (v[1..3], v[4..6], v[7..9]);
                break;
            case LayoutElement.Iso8601SecondsTZ or LayoutElement.NumSecondsTZ:
                if (v.Length < 7)
                {
                    return false;
                }

                (hour, minute, second) = (v[1..3], v[3..5], v[5..7]);
                break;
            default:
                if (v.Length < 5)
                {
                    return false;
                }

                (hour, minute, second) = (v[1..3], v[3..5], "00");
                break;
        }

        var sign = v[0];
        v = v[(element switch
        {
            LayoutElement.Iso8601ColonTZ or LayoutElement.NumColonTZ => 6,
            LayoutElement.NumShortTZ or LayoutElement.Iso8601ShortTZ => 3,
            LayoutElement.Iso8601ColonSecondsTZ or LayoutElement.NumColonSecondsTZ => 9,
            LayoutElement.Iso8601SecondsTZ or LayoutElement.NumSecondsTZ => 7,
            _ => 5,
        })..];

        int mm = 0, ss = 0;
        var ok = GoTimeParser.GetNum(ref hour, true, out var hh) && GoTimeParser.GetNum(ref minute, true, out mm)
            && GoTimeParser.GetNum(ref second, true, out ss);

        // Go tests with > rather than >=: some people write offsets of 24 hours or 60 minutes.
        rangeError = ss > 60 ? "time zone offset second" : mm > 60 ? "time zone offset minute" : hh > 24 ? "time zone offset hour" : null;
        var offset = (hh * 60 + mm) * 60 + ss;
        s.ZoneOffset = sign == '-' ? -offset : offset;
        return ok && sign is '+' or '-';
    }
}
