using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// A refused revocation burns nothing: a valid revoke token presented for another serial (403), or
/// for a certificate already revoked (400), stays unused (step-ca burns both).
/// </summary>
public class RevokeRefusalTests : ServedPkiTests
{
    [Test]
    public async Task A_token_for_another_serial_is_forbidden_and_not_burned()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await Pki.IssueAsync(Client, key, "revoke-other.host.test");
        certificate.Dispose();
        var used = Pki.CountRows("used_ott");
        var revoked = Pki.CountRows("revoked_x509_certs");

        using var response = await Client.PostJsonAsync("/1.0/revoke", new { serial = issued.SerialDecimal, ott = Pki.Provisioner.RevokeToken("1"), passive = true });

        await response.ShouldBeStepErrorAsync(403, StepResponses.Forbidden($"token subject 1 and serial number {issued.SerialDecimal} do not match"));
        Pki.CountRows("used_ott").Should().Be(used);
        Pki.CountRows("revoked_x509_certs").Should().Be(revoked);
    }

    [Test]
    public async Task A_second_revocation_is_a_bad_request_and_its_token_is_not_burned()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await Pki.IssueAsync(Client, key, "revoke-twice.host.test");
        certificate.Dispose();
        var serial = issued.SerialDecimal;
        using (var first = await Client.PostJsonAsync("/1.0/revoke", new { serial, ott = Pki.Provisioner.RevokeToken(serial), passive = true }))
        {
            ((int)first.StatusCode).Should().Be(200);
        }
        var used = Pki.CountRows("used_ott");
        var revoked = Pki.CountRows("revoked_x509_certs");

        using var second = await Client.PostJsonAsync("/1.0/revoke", new { serial, ott = Pki.Provisioner.RevokeToken(serial), passive = true });

        await second.ShouldBeStepErrorAsync(400, StepResponses.BadRequest($"certificate with serial number '{serial}' is already revoked"));
        Pki.CountRows("used_ott").Should().Be(used, "a refused revocation does not burn its token");
        Pki.CountRows("revoked_x509_certs").Should().Be(revoked);
    }
}
