using Smallstep.Pki.Provisioners.Acme.RenewalInfo;

namespace Smallstep.Pki.Tests.Acme.RenewalInfo;

public class RenewalWindowTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_live_certificate_is_renewed_between_two_thirds_and_three_quarters_of_its_life()
    {
        var window = RenewalWindow.For(NotBefore, NotBefore.AddHours(24), revoked: false, now: NotBefore.AddHours(1));

        window.Start.Should().Be(NotBefore.AddHours(16));
        window.End.Should().Be(NotBefore.AddHours(18));
    }

    [Test]
    public void A_revoked_certificate_gets_a_window_that_has_already_closed()
    {
        var now = NotBefore.AddHours(2);

        var window = RenewalWindow.For(NotBefore, NotBefore.AddDays(90), revoked: true, now);

        window.End.Should().BeBefore(now);
        window.Start.Should().BeBefore(window.End);
    }
}
