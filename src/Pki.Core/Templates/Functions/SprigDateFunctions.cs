using System.Globalization;
using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Execution;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's date functions (Masterminds/sprig <c>date.go</c>) over <see cref="GoTime"/>. Where sprig
/// switches on Go's int/int64 types, any integer of the model counts as Unix seconds (or seconds
/// for <c>duration</c>, nanoseconds for <c>durationRound</c>); other values fall back to now or
/// zero as in sprig. "Local" is the injected time provider's zone.
/// </summary>
internal static class SprigDateFunctions
{
    private const string HtmlDateLayout = "2006-01-02";
    private const long NanosPerSecond = 1_000_000_000;

    public static void Register(Dictionary<string, TemplateFunction> table)
    {
        table["now"] = (a, c) =>
        {
            FunctionArgs.Count("now", a, 0);
            return c.Now();
        };
        table["date"] = (a, c) =>
        {
            FunctionArgs.Count("date", a, 2);
            return DateInZone(FunctionArgs.String(a[0]), a[1], "Local", c);
        };
        table["dateInZone"] = table["date_in_zone"] = (a, c) =>
        {
            FunctionArgs.Count("dateInZone", a, 3);
            return DateInZone(FunctionArgs.String(a[0]), a[1], FunctionArgs.String(a[2]), c);
        };
        table["htmlDate"] = (a, c) =>
        {
            FunctionArgs.Count("htmlDate", a, 1);
            return DateInZone(HtmlDateLayout, a[0], "Local", c);
        };
        table["htmlDateInZone"] = (a, c) =>
        {
            FunctionArgs.Count("htmlDateInZone", a, 2);
            return DateInZone(HtmlDateLayout, a[0], FunctionArgs.String(a[1]), c);
        };
        table["dateModify"] = table["date_modify"] = (a, _) =>
        {
            FunctionArgs.Count("dateModify", a, 2);
            var (text, date) = (FunctionArgs.String(a[0]), StepTimeFunctions.Time(a[1]));
            return GoDuration.TryParse(text, out var d) ? date.AddNanoseconds(d.Ticks * 100) : date;
        };
        table["mustDateModify"] = table["must_date_modify"] = (a, _) =>
        {
            FunctionArgs.Count("mustDateModify", a, 2);
            var (text, date) = (FunctionArgs.String(a[0]), StepTimeFunctions.Time(a[1]));
            return GoDuration.TryParse(text, out var d)
                ? date.AddNanoseconds(d.Ticks * 100)
                : throw new TemplateFunctionException($"time: invalid duration {GoTimeParser.Quote(text)}");
        };
        table["duration"] = (a, _) =>
        {
            FunctionArgs.Count("duration", a, 1);
            var seconds = a[0] switch
            {
                string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0,
                long n => n,
                _ => 0,
            };
            return FormatNanoseconds(unchecked(seconds * NanosPerSecond));
        };
        table["durationRound"] = (a, c) =>
        {
            FunctionArgs.Count("durationRound", a, 1);
            return DurationRound(a[0] switch
            {
                string s => GoDuration.TryParse(s, out var d) ? d.Ticks * 100 : 0,
                long n => n,
                GoTime t => c.Now().NanosecondsSince(t),
                _ => 0,
            });
        };
        table["ago"] = (a, c) =>
        {
            FunctionArgs.Count("ago", a, 1);
            var now = c.Now();
            var then = a[0] switch
            {
                GoTime t => t,
                long n => GoTime.FromUnix(n, GoLocation.Utc),
                _ => now,
            };
            return FormatNanoseconds(RoundToSecond(now.NanosecondsSince(then)));
        };
        table["unixEpoch"] = (a, _) =>
        {
            FunctionArgs.Count("unixEpoch", a, 1);
            return StepTimeFunctions.Time(a[0]).UnixSeconds.ToString(CultureInfo.InvariantCulture);
        };
        table["toDate"] = (a, c) =>
        {
            FunctionArgs.Count("toDate", a, 2);
            try
            {
                return GoTimeParser.Parse(FunctionArgs.String(a[0]), FunctionArgs.String(a[1]), c.Local, c.Local);
            }
            catch (GoTimeParseException)
            {
                return StepTimeFunctions.ZeroTime;
            }
        };
        table["mustToDate"] = (a, c) =>
        {
            FunctionArgs.Count("mustToDate", a, 2);
            return GoTimeParser.Parse(FunctionArgs.String(a[0]), FunctionArgs.String(a[1]), c.Local, c.Local);
        };
    }

    private static string DateInZone(string layout, object? date, string zone, FunctionContext context)
    {
        var time = date switch
        {
            GoTime t => t,
            long n => GoTime.FromUnix(n, GoLocation.Utc),
            _ => context.Now(),
        };
        var location = GoLocation.TryLoad(zone, context.Local, out var loaded, out _) ? loaded : GoLocation.Utc;
        return GoTimeLayout.Format(time.In(location), layout);
    }

    /// <summary>Go's <c>Duration.Round(time.Second)</c>: halves away from zero, saturating.</summary>
    private static long RoundToSecond(long d)
    {
        var r = d % NanosPerSecond;
        if (d < 0)
        {
            r = -r;
            return r + r < NanosPerSecond ? d + r : d - NanosPerSecond + r < d ? d - NanosPerSecond + r : long.MinValue;
        }

        return r + r < NanosPerSecond ? d - r : d + NanosPerSecond - r > d ? d + NanosPerSecond - r : long.MaxValue;
    }

    /// <summary>sprig's <c>durationRound</c>: the largest whole unit (y, mo, d, h, m, s) that the duration exceeds.</summary>
    private static string DurationRound(long d)
    {
        var u = d == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(d);
        const ulong hour = 3600UL * NanosPerSecond;
        (ulong Size, string Unit)[] units =
            [(hour * 24 * 365, "y"), (hour * 24 * 30, "mo"), (hour * 24, "d"), (hour, "h"), (60UL * NanosPerSecond, "m"), (NanosPerSecond, "s")];
        foreach (var (size, unit) in units)
        {
            if (u > size)
            {
                return (u / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return "0s";
    }

    /// <summary>Go's <c>Duration.String()</c> for whole-second (or whole-100ns) values.</summary>
    private static string FormatNanoseconds(long nanoseconds) => GoDuration.Format(TimeSpan.FromTicks(nanoseconds / 100));
}
