using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.MutualTls;

/// <summary>
/// <c>POST /1.0/revoke</c> (passive) with a revoke token and over mTLS; a revoked certificate can
/// no longer be renewed; the revocation is stored in <c>revoked_x509_certs</c>.
/// </summary>
public class RevokeTests : ServedPkiTests
{
    private static readonly string Ok = "{\"status\":\"ok\"}\n";

    [Test]
    public async Task Revoke_by_token_then_renew_is_refused_and_a_second_revoke_is_a_bad_request()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await Pki.IssueAsync(Client, key, "revoke-token.host.test");
        using var _ = certificate;
        var serial = issued.SerialDecimal;

        using var revoke = await Client.PostJsonAsync("/1.0/revoke",
            new { serial, ott = Pki.Provisioner.RevokeToken(serial), reasonCode = 1, reason = "key compromise test", passive = true });

        ((int)revoke.StatusCode).Should().Be(200);
        (await revoke.Content.ReadAsStringAsync()).Should().Be(Ok);
        using (var record = JsonDocument.Parse(RevocationRow(serial)))
        {
            record.RootElement.GetProperty("Serial").GetString().Should().Be(serial);
            record.RootElement.GetProperty("ReasonCode").GetInt32().Should().Be(1);
            record.RootElement.GetProperty("Reason").GetString().Should().Be("key compromise test");
            record.RootElement.GetProperty("MTLS").GetBoolean().Should().BeFalse();
            record.RootElement.GetProperty("TokenID").GetString().Should().HaveLength(64);
        }

        using var mtls = Pki.CreateClient(certificate);
        var rowsBefore = Pki.CountRows("x509_certs");
        await (await mtls.PostAsync("/1.0/renew", null)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        Pki.CountRows("x509_certs").Should().Be(rowsBefore);

        using var again = await Client.PostJsonAsync("/1.0/revoke",
            new { serial, ott = Pki.Provisioner.RevokeToken(serial), reasonCode = 1, passive = true });
        await again.ShouldBeStepErrorAsync(400, StepResponses.BadRequest($"certificate with serial number '{serial}' is already revoked"));
    }

    [Test]
    public async Task Revoke_over_mtls_needs_no_token_and_blocks_renewal()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await Pki.IssueAsync(Client, key, "revoke-mtls.host.test");
        using var _ = certificate;
        using var mtls = Pki.CreateClient(certificate);

        // The serial in hexadecimal: step-ca normalises it to decimal before comparing and storing.
        using var revoke = await mtls.PostJsonAsync("/1.0/revoke",
            new { serial = "0x" + certificate.SerialNumber, reasonCode = 0, passive = true });

        ((int)revoke.StatusCode).Should().Be(200, await revoke.Content.ReadAsStringAsync());
        using (var record = JsonDocument.Parse(RevocationRow(issued.SerialDecimal)))
        {
            record.RootElement.GetProperty("MTLS").GetBoolean().Should().BeTrue();
        }
        await (await mtls.PostAsync("/1.0/renew", null)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
    }

    [Test]
    public async Task Revoke_over_mtls_of_another_serial_is_forbidden()
    {
        using var key = new ClientKey();
        var (_, certificate) = await Pki.IssueAsync(Client, key, "revoke-other.host.test");
        using var _ = certificate;
        using var mtls = Pki.CreateClient(certificate);
        var revokedBefore = Pki.CountRows("revoked_x509_certs");

        using var revoke = await mtls.PostJsonAsync("/1.0/revoke", new { serial = "12345", passive = true });

        await revoke.ShouldBeStepErrorAsync(403, StepResponses.Forbidden("serial number in client certificate different than body"));
        Pki.CountRows("revoked_x509_certs").Should().Be(revokedBefore);
    }

    [Test]
    public async Task Active_revocation_is_not_implemented()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await Pki.IssueAsync(Client, key, "revoke-active.host.test");
        using var _ = certificate;
        var revokedBefore = Pki.CountRows("revoked_x509_certs");

        using var revoke = await Client.PostJsonAsync("/1.0/revoke",
            new { serial = issued.SerialDecimal, ott = Pki.Provisioner.RevokeToken(issued.SerialDecimal), passive = false });

        await revoke.ShouldBeStepErrorAsync(501, StepResponses.NotImplemented);
        Pki.CountRows("revoked_x509_certs").Should().Be(revokedBefore);
    }

    [TestCase("{\"serial\":\"1\",\"reasonCode\":11,\"passive\":true,\"ott\":\"x\"}", "reasonCode out of bounds")]
    [TestCase("{\"reasonCode\":1,\"passive\":true,\"ott\":\"x\"}", "missing serial")]
    [TestCase("{\"serial\":\"1\",\"passive\":true}", "missing ott or client certificate")]
    public async Task Malformed_revoke_requests_are_bad_requests(string body, string reason)
    {
        var revokedBefore = Pki.CountRows("revoked_x509_certs");

        using var response = await Client.PostRawAsync("/1.0/revoke", body);

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest(reason));
        Pki.CountRows("revoked_x509_certs").Should().Be(revokedBefore);
    }

    [Test]
    public async Task Revoke_token_for_another_serial_is_forbidden()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await Pki.IssueAsync(Client, key, "revoke-mismatch.host.test");
        using var _ = certificate;

        using var revoke = await Client.PostJsonAsync("/1.0/revoke",
            new { serial = issued.SerialDecimal, ott = Pki.Provisioner.RevokeToken("1"), passive = true });

        await revoke.ShouldBeStepErrorAsync(403);
        SqliteRows.HasKey(Pki.DatabasePath, "revoked_x509_certs", issued.SerialDecimal).Should().BeFalse();
    }

    private string RevocationRow(string serial)
    {
        var hex = Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(serial));
        return ExternalTool.RunChecked("sqlite3", Pki.DatabasePath, $"SELECT CAST(nvalue AS TEXT) FROM revoked_x509_certs WHERE nkey = x'{hex}';").Trim();
    }
}
