using Smallstep.Pki.Go;

namespace Smallstep.Pki.Tests.Go;

[TestFixture]
public sealed class GoTimeJsonTests
{
    private static readonly DateTimeOffset Whole = new(2026, 11, 22, 13, 34, 7, TimeSpan.Zero);

    [TestCase(0L, "2026-11-22T13:34:07Z")]
    [TestCase(5_000_000L, "2026-11-22T13:34:07.5Z")]
    [TestCase(7_465_264L, "2026-11-22T13:34:07.7465264Z")]
    [TestCase(1L, "2026-11-22T13:34:07.0000001Z")]
    [TestCase(1_200_000L, "2026-11-22T13:34:07.12Z")]
    public void Formats_UTC_like_Go_RFC3339Nano(long ticks, string expected) =>
        GoTimeJson.Format(Whole.AddTicks(ticks)).Should().Be(expected);

    [Test]
    public void Formats_Go_zero_time_and_offsets()
    {
        GoTimeJson.Format(DateTimeOffset.MinValue).Should().Be("0001-01-01T00:00:00Z");
        GoTimeJson.Format(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))).Should().Be("2026-01-02T03:04:05+02:00");
        GoTimeJson.Format(new DateTimeOffset(2026, 1, 2, 3, 4, 5, new TimeSpan(-5, -30, 0))).Should().Be("2026-01-02T03:04:05-05:30");
    }

    [TestCase("2026-11-22T13:34:07.746526412Z", 7_465_264L, 0)]
    [TestCase("2026-11-22T13:34:07Z", 0L, 0)]
    [TestCase("2026-11-22T13:34:07.1Z", 1_000_000L, 0)]
    [TestCase("2026-11-22T13:34:07+01:00", 0L, 60)]
    [TestCase("2026-11-22T13:34:07.5-08:00", 5_000_000L, -480)]
    public void Parses_what_Go_writes(string text, long ticks, int offsetMinutes)
    {
        GoTimeJson.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(new DateTimeOffset(2026, 11, 22, 13, 34, 7, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks));
        value.Offset.Should().Be(TimeSpan.FromMinutes(offsetMinutes));
    }

    [Test]
    public void Parses_the_zero_time()
    {
        GoTimeJson.TryParse("0001-01-01T00:00:00Z", out var value).Should().BeTrue();
        value.Should().Be(DateTimeOffset.MinValue);
    }

    [TestCase("")]
    [TestCase("2026-11-22")]
    [TestCase("2026-11-22 13:34:07Z")]
    [TestCase("2026-11-22T13:34:07")]
    [TestCase("2026-11-22T13:34:07.Z")]
    [TestCase("2026-11-22T13:34:07.1234567890Z")]
    [TestCase("2026-13-22T13:34:07Z")]
    [TestCase("2026-02-30T13:34:07Z")]
    [TestCase("2026-11-22T24:00:00Z")]
    [TestCase("2026-11-22T13:34:07+1:00")]
    [TestCase("2026-11-22T13:34:07+15:00")]
    [TestCase("0000-01-01T00:00:00Z")]
    [TestCase("0001-01-01T00:00:00+01:00")]
    [TestCase("9999-12-31T23:59:59-01:00")]
    [TestCase("2026-11-22T13:34:07Zjunk")]
    [TestCase("２０２６-11-22T13:34:07Z")]
    public void Rejects_malformed_or_unrepresentable_times(string text) =>
        GoTimeJson.TryParse(text, out _).Should().BeFalse();
}
