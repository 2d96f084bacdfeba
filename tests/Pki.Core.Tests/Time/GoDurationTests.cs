using Smallstep.Pki.Time;

namespace Smallstep.Pki.Tests.Time;

public sealed class GoDurationTests
{
    [TestCase("24h", 86400.0)]
    [TestCase("5m0s", 300.0)]
    [TestCase("1h30m", 5400.0)]
    [TestCase("-1.5h", -5400.0)]
    [TestCase("300ms", 0.3)]
    [TestCase("0", 0.0)]
    [TestCase("1h1m1s", 3661.0)]
    [TestCase("2562047h", 2562047.0 * 3600)]
    public void Parses_go_durations(string text, double seconds) =>
        GoDuration.Parse(text).Should().Be(TimeSpan.FromSeconds(seconds));

    [TestCase("")]
    [TestCase("24")]
    [TestCase("1d")]
    [TestCase("h")]
    [TestCase("1h-1m")]
    [TestCase("9999999999999999h")]
    [TestCase("2562048h")]
    [TestCase("999999999h")]
    [TestCase("2562047h47m16.854775808s")]
    [TestCase("79228162514264337593543950335h")]
    [TestCase("9223372036854775808ns")]
    public void Refuses_what_go_refuses(string text) =>
        GoDuration.TryParse(text, out _).Should().BeFalse();

    [TestCase(86400.0, "24h0m0s")]
    [TestCase(300.0, "5m0s")]
    [TestCase(1.5, "1.5s")]
    [TestCase(0.0, "0s")]
    [TestCase(0.3, "300ms")]
    [TestCase(2592000.0, "720h0m0s")]
    public void Formats_like_go(double seconds, string text) =>
        GoDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(text);

    [Test]
    public void Time_durations_are_relative_or_absolute()
    {
        var now = new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.Zero);
        TimeDuration.Parse("").IsEmpty.Should().BeTrue();
        TimeDuration.Parse("1h").Resolve(now).Should().Be(now.AddHours(1));
        TimeDuration.Parse("-5m").Resolve(now).Should().Be(now.AddMinutes(-5));
        TimeDuration.Parse("2026-12-01T00:00:00Z").Resolve(now).Should().Be(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var act = () => TimeDuration.Parse("tomorrow");
        act.Should().Throw<FormatException>();
    }
}
