using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Functions;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>The time value kind: clock injection, Go-version-specific parse rules, extremes, zones and TZif reading.</summary>
public sealed class GoTimeTests
{
    private static string Render(string text, object? data = null) => GoTemplate.Parse("t", text).Render(data, GoCrossCheck.Clock);

    [Test]
    public void Now_and_defaults_come_from_the_injected_clock()
    {
        // 2024-05-06T07:08:09Z is 03:08:09 EDT in the clock's local zone.
        Render("{{ now }}").Should().Be("2024-05-06 03:08:09 -0400 EDT");
        Render("{{ toTime \"not a time\" }}|{{ formatTime nil }}|{{ mustParseTime }}").Should()
            .Be("2024-05-06 07:08:09 +0000 UTC|2024-05-06T07:08:09Z|2024-05-06 07:08:09 +0000 UTC");
        Render("{{ date \"15:04 MST\" \"x\" }}").Should().Be("03:08 EDT");
        Render("{{ ago 1714979289 }}|{{ ago (toTime 1714800000) }}|{{ durationRound (toTime 1714900000) }}").Should().Be("0s|49h48m9s|22h");
        Render("{{ dateModify \"24h\" now | date \"Jan 2\" }}").Should().Be("May 7");
    }

    [Test]
    public void Zone_offsets_are_range_checked_as_in_current_go() =>
        // Go 1.20 added these checks (time/format.go); step builds with a current Go.
        FluentActions.Invoking(() => Render("{{ mustParseTime \"-0700\" \"+2500\" }}"))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("error calling mustParseTime: parsing time \"+2500\": time zone offset hour out of range");

    [Test]
    public void Time_parameters_refuse_other_types() =>
        FluentActions.Invoking(() => Render("{{ dateModify \"1h\" \"x\" }}"))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("error calling dateModify: wrong type for value; expected time.Time; got string");

    [TestCase(-62135596800L, "0001-01-01 00:00:00 +0000 UTC")]
    [TestCase(253402300800L, "10000-01-01 00:00:00 +0000 UTC")]
    [TestCase(-62198755200L, "-0001-01-01 00:00:00 +0000 UTC")]
    [TestCase(long.MaxValue / 2, "146138514283-06-19 07:45:03 +0000 UTC")]
    public void Times_outside_dotnet_range_print_like_go(long unix, string expected) =>
        Render("{{ toTime . }}", unix).Should().Be(expected);

    [Test]
    public void Json_refuses_years_outside_rfc3339() =>
        FluentActions.Invoking(() => Render("{{ toJson (toTime 253402300800) }}"))
            .Should().Throw<TemplateException>().WithMessage("*year outside of range [0,9999]*");

    [TestCase("../../etc/passwd", "time: invalid location name")]
    [TestCase("/etc/localtime", "time: invalid location name")]
    [TestCase("Pacific Standard Time", "unknown time zone Pacific Standard Time")]
    [TestCase("Etc/../../proc", "time: invalid location name")]
    public void Zone_names_cannot_reach_files(string zone, string error) =>
        FluentActions.Invoking(() => Render("{{ mustParseTime \"RFC3339\" \"2024-01-01T00:00:00Z\" . }}", zone))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("error calling mustParseTime: " + error);

    [Test]
    public void Tzif_reader_lists_zone_abbreviations_most_recent_first()
    {
        var names = TzifZoneName.Read("America/Los_Angeles");
        names.Select(n => n.Abbreviation).Take(2).Should().BeEquivalentTo("PST", "PDT");
        names.Should().Contain(new TzifZoneName("PDT", -7 * 3600, true));
    }

    [Test]
    public void Tzif_reader_survives_garbage()
    {
        var random = new Random(7);
        var real = File.ReadAllBytes("/usr/share/zoneinfo/Europe/Paris");
        for (var i = 0; i < 2000; i++)
        {
            var data = real.ToArray();
            data[random.Next(data.Length)] = (byte)random.Next(256);
            data = data[..random.Next(data.Length)];
            TzifZoneName.Parse(data).Should().NotBeNull();
        }
    }
}
