using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// step's time functions (smallstep/crypto <c>internal/templates/funcmap.go</c>): <c>toTime</c>
/// (a time or Unix seconds to a UTC time; anything else is the current time, as in step),
/// <c>formatTime</c> (RFC 3339 in UTC), <c>parseTime</c>/<c>mustParseTime</c> (RFC 3339, or a
/// layout name or Go layout, optionally in a named zone) and <c>toTimeLayout</c>.
/// </summary>
internal static class StepTimeFunctions
{
    /// <summary>Go's zero <c>time.Time</c>: January 1, year 1, 00:00:00 UTC.</summary>
    public static readonly GoTime ZeroTime = new(-62135596800, 0, GoLocation.Utc);

    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";

    public static void Register(Dictionary<string, TemplateFunction> table)
    {
        table["toTime"] = (a, c) =>
        {
            FunctionArgs.Count("toTime", a, 1);
            return ToTime(a[0], c);
        };
        table["formatTime"] = (a, c) =>
        {
            FunctionArgs.Count("formatTime", a, 1);
            return GoTimeLayout.Format(ToTime(a[0], c), Rfc3339);
        };
        table["parseTime"] = (a, c) =>
        {
            var strings = Strings(a);
            try
            {
                return MustParseTime(strings, c);
            }
            catch (Exception e) when (e is GoTimeParseException or TemplateFunctionException)
            {
                // step's parseTime ignores every error of mustParseTime, unknown zones included.
                return ZeroTime;
            }
        };
        table["mustParseTime"] = (a, c) => MustParseTime(Strings(a), c);
        table["toTimeLayout"] = (a, _) =>
        {
            FunctionArgs.Count("toTimeLayout", a, 1);
            return ToTimeLayout(FunctionArgs.String(a[0]));
        };
    }

    /// <summary>step's <c>toTime</c>: times and Unix seconds (JSON numbers truncated) in UTC; anything else is now.</summary>
    public static GoTime ToTime(object? value, FunctionContext context) => value switch
    {
        GoTime t => t.In(GoLocation.Utc),
        long seconds => GoTime.FromUnix(seconds, GoLocation.Utc),
        double d => GoTime.FromUnix(TruncateToLong(d), GoLocation.Utc),
        _ => context.Now().In(GoLocation.Utc),
    };

    /// <summary>A <c>time.Time</c> parameter.</summary>
    public static GoTime Time(object? value) => value as GoTime
        ?? throw new TemplateFunctionException($"wrong type for value; expected time.Time; got {GoValues.TypeName(value)}");

    /// <summary>Go's <c>int64(float64)</c> on amd64: truncation, with out-of-range values as the minimum int64.</summary>
    public static long TruncateToLong(double d) =>
        double.IsNaN(d) || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18 ? long.MinValue : (long)d;

    private static GoTime MustParseTime(string[] v, FunctionContext context)
    {
        switch (v.Length)
        {
            case 0:
                return context.Now().In(GoLocation.Utc);
            case 1:
                return GoTimeParser.Parse(Rfc3339, v[0], GoLocation.Utc, context.Local);
            case 2:
                return GoTimeParser.Parse(ToTimeLayout(v[0]), v[1], GoLocation.Utc, context.Local);
            case 3:
                if (!GoLocation.TryLoad(v[2], context.Local, out var location, out var error))
                {
                    throw new TemplateFunctionException(error);
                }

                return GoTimeParser.Parse(ToTimeLayout(v[0]), v[1], location, location);
            default:
                throw new TemplateFunctionException("unsupported number of parameters");
        }
    }

    /// <summary>step's <c>toTimeLayout</c>: Go's layout constant for a name like <c>RFC3339</c> or <c>time.UnixDate</c>, else the text itself.</summary>
    public static string ToTimeLayout(string name)
    {
        var key = (name.StartsWith("time.", StringComparison.Ordinal) ? name[5..] : name).ToUpperInvariant();
        return key switch
        {
            "LAYOUT" => "01/02 03:04:05PM '06 -0700",
            "ANSIC" => "Mon Jan _2 15:04:05 2006",
            "UNIXDATE" => "Mon Jan _2 15:04:05 MST 2006",
            "RUBYDATE" => "Mon Jan 02 15:04:05 -0700 2006",
            "RFC822" => "02 Jan 06 15:04 MST",
            "RFC822Z" => "02 Jan 06 15:04 -0700",
            "RFC850" => "Monday, 02-Jan-06 15:04:05 MST",
            "RFC1123" => "Mon, 02 Jan 2006 15:04:05 MST",
            "RFC1123Z" => "Mon, 02 Jan 2006 15:04:05 -0700",
            "RFC3339" => Rfc3339,
            "RFC3339NANO" => "2006-01-02T15:04:05.999999999Z07:00",
            "KITCHEN" => "3:04PM",
            "STAMP" => "Jan _2 15:04:05",
            "STAMPMILLI" => "Jan _2 15:04:05.000",
            "STAMPMICRO" => "Jan _2 15:04:05.000000",
            "STAMPNANO" => "Jan _2 15:04:05.000000000",
            "DATETIME" => "2006-01-02 15:04:05",
            "DATEONLY" => "2006-01-02",
            "TIMEONLY" => "15:04:05",
            _ => name,
        };
    }

    private static string[] Strings(object?[] args) => args.Select(FunctionArgs.String).ToArray();
}
