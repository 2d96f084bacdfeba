using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>Go's <c>time.Time.MarshalJSON</c> text (time/format_rfc3339.go <c>appendStrictRFC3339</c>).</summary>
internal static class GoTimeJson
{
    private const string Rfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

    /// <summary>The RFC 3339 text with nanoseconds, without quotes.</summary>
    /// <exception cref="TemplateFunctionException">The year is outside 0-9999 or the zone offset is 24 hours or more.</exception>
    public static string Format(GoTime time)
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
}
