using System.Globalization;
using Smallstep.Pki.Host.Cli;

namespace Smallstep.Pki.Host.Db;

/// <summary>Dates on the command line: RFC 3339 (<c>2025-01-31T12:00:00Z</c>, any offset) or a day (<c>2025-01-31</c>, meaning 00:00 UTC).</summary>
internal static class DateArgument
{
    /// <summary>The value of <paramref name="flag"/>, or null when not given.</summary>
    /// <exception cref="UsageException">Not such a date.</exception>
    public static DateTimeOffset? Get(CommandLine line, string flag)
    {
        if (line.Get(flag) is not { } text)
        {
            return null;
        }
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
        {
            return new DateTimeOffset(day, TimeSpan.Zero);
        }
        if (text.Length >= 20 && text[10] is 'T' or 't'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant)
            && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-'))
        {
            return instant.ToUniversalTime();
        }
        throw new UsageException($"--{flag} must be a date (2025-01-31) or an RFC 3339 time (2025-01-31T12:00:00Z), not \"{text}\"");
    }
}
