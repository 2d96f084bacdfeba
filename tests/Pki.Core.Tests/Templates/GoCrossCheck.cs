using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>A template with the output Go produced for it; "ERR: reason" when Go failed.</summary>
public sealed record GoCase(string Name, string Template, string Data, string Expected)
{
    public override string ToString() => Name;
}

/// <summary>
/// Runs cross-checked cases with a fixed clock and America/New_York as the local zone (the TZ
/// the Go run used). Go prefixes runtime errors with <c>executing "t" at &lt;...&gt;</c>, which
/// this engine leaves out, so errors compare from <c>error calling</c> on.
/// </summary>
internal static class GoCrossCheck
{
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static FixedTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2024-05-06T07:08:09Z", System.Globalization.CultureInfo.InvariantCulture), NewYork);

    public static void Check(GoCase c)
    {
        var data = c.Data.Length == 0 ? null : Json(c.Data);
        var act = () => GoTemplate.Parse("t", c.Template).Render(data, Clock);
        if (c.Expected.StartsWith("ERR: ", StringComparison.Ordinal))
        {
            act.Should().Throw<TemplateException>().Which.Reason.Should().Be(c.Expected[5..]);
        }
        else
        {
            act().Should().Be(c.Expected);
        }
    }
}

/// <summary>A clock that stands still, with a chosen local zone.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now, TimeZoneInfo local) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => local;
}
