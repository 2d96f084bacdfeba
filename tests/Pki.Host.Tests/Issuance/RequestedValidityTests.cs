using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Issuance;

/// <summary>
/// <c>notAfter</c> in a sign request (a Go duration or RFC 3339 time, http-api.md §3) within and
/// beyond the provisioner's bounds (default claims: 5 min to 24 h).
/// </summary>
public class RequestedValidityTests : ServedPkiTests
{
    [Test]
    public async Task A_shorter_duration_is_honoured()
    {
        using var key = new ClientKey();
        var before = DateTimeOffset.UtcNow;

        using var response = await Client.PostJsonAsync("/1.0/sign",
            new { csr = key.CsrPem("short.host.test"), ott = Pki.Provisioner.SignToken("short.host.test"), notAfter = "1h" });

        using var leaf = (await response.ShouldBeIssuedAsync()).Leaf;
        new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).Should().BeCloseTo(before.AddHours(1), TimeSpan.FromSeconds(10));
    }

    [TestCase("48h")]
    [TestCase("1m")]
    public async Task A_duration_outside_the_provisioner_bounds_is_forbidden(string notAfter)
    {
        using var key = new ClientKey();
        var certificates = Pki.CountRows("x509_certs");

        using var response = await Client.PostJsonAsync("/1.0/sign",
            new { csr = key.CsrPem("bounds.host.test"), ott = Pki.Provisioner.SignToken("bounds.host.test"), notAfter });

        await response.ShouldBeStepErrorAsync(403);
        Pki.CountRows("x509_certs").Should().Be(certificates);
    }
}
