using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.MutualTls;

/// <summary>
/// <c>POST /1.0/revoke</c> (passive) with a revoke token and over mTLS; a revoked certificate can
/// no longer be renewed; the revocation is stored in <c>revoked_x509_certs</c>.
/// </summary>
public class RevokeTests
{
    private static readonly string Ok = "{\"status\":\"ok\"}\n";
    private ServedPki _pki = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _pki = await ServedPki.StartFixtureCopyAsync();
        _client = _pki.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _pki.DisposeAsync();
    }

    [Test]
    public async Task Revoke_by_token_then_renew_is_refused_and_a_second_revoke_is_a_bad_request()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await _pki.IssueAsync(_client, key, "revoke-token.host.test");
        using var _ = certificate;
        var serial = issued.SerialDecimal;

        using var revoke = await _client.PostJsonAsync("/1.0/revoke",
            new { serial, ott = _pki.Provisioner.RevokeToken(serial), reasonCode = 1, reason = "key compromise test", passive = true });

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

        using var mtls = _pki.CreateClient(certificate);
        var rowsBefore = _pki.CountRows("x509_certs");
        await (await mtls.PostAsync("/1.0/renew", null)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        _pki.CountRows("x509_certs").Should().Be(rowsBefore);

        using var again = await _client.PostJsonAsync("/1.0/revoke",
            new { serial, ott = _pki.Provisioner.RevokeToken(serial), reasonCode = 1, passive = true });
        await again.ShouldBeStepErrorAsync(400, StepResponses.BadRequest($"certificate with serial number '{serial}' is already revoked"));
    }

    [Test]
    public async Task Revoke_over_mtls_needs_no_token_and_blocks_renewal()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await _pki.IssueAsync(_client, key, "revoke-mtls.host.test");
        using var _ = certificate;
        using var mtls = _pki.CreateClient(certificate);

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
        var (_, certificate) = await _pki.IssueAsync(_client, key, "revoke-other.host.test");
        using var _ = certificate;
        using var mtls = _pki.CreateClient(certificate);
        var revokedBefore = _pki.CountRows("revoked_x509_certs");

        using var revoke = await mtls.PostJsonAsync("/1.0/revoke", new { serial = "12345", passive = true });

        await revoke.ShouldBeStepErrorAsync(403, StepResponses.Forbidden("serial number in client certificate different than body"));
        _pki.CountRows("revoked_x509_certs").Should().Be(revokedBefore);
    }

    [Test]
    public async Task Active_revocation_is_not_implemented()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await _pki.IssueAsync(_client, key, "revoke-active.host.test");
        using var _ = certificate;
        var revokedBefore = _pki.CountRows("revoked_x509_certs");

        using var revoke = await _client.PostJsonAsync("/1.0/revoke",
            new { serial = issued.SerialDecimal, ott = _pki.Provisioner.RevokeToken(issued.SerialDecimal), passive = false });

        await revoke.ShouldBeStepErrorAsync(501, StepResponses.NotImplemented);
        _pki.CountRows("revoked_x509_certs").Should().Be(revokedBefore);
    }

    [TestCase("{\"serial\":\"1\",\"reasonCode\":11,\"passive\":true,\"ott\":\"x\"}", "reasonCode out of bounds")]
    [TestCase("{\"reasonCode\":1,\"passive\":true,\"ott\":\"x\"}", "missing serial")]
    [TestCase("{\"serial\":\"1\",\"passive\":true}", "missing ott or client certificate")]
    public async Task Malformed_revoke_requests_are_bad_requests(string body, string reason)
    {
        var revokedBefore = _pki.CountRows("revoked_x509_certs");

        using var response = await _client.PostRawAsync("/1.0/revoke", body);

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest(reason));
        _pki.CountRows("revoked_x509_certs").Should().Be(revokedBefore);
    }

    [Test]
    public async Task Revoke_token_for_another_serial_is_forbidden()
    {
        using var key = new ClientKey();
        var (issued, certificate) = await _pki.IssueAsync(_client, key, "revoke-mismatch.host.test");
        using var _ = certificate;

        using var revoke = await _client.PostJsonAsync("/1.0/revoke",
            new { serial = issued.SerialDecimal, ott = _pki.Provisioner.RevokeToken("1"), passive = true });

        await revoke.ShouldBeStepErrorAsync(403);
        SqliteRows.HasKey(_pki.DatabasePath, "revoked_x509_certs", issued.SerialDecimal).Should().BeFalse();
    }

    private string RevocationRow(string serial)
    {
        var hex = Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(serial));
        return ExternalTool.RunChecked("sqlite3", _pki.DatabasePath, $"SELECT CAST(nvalue AS TEXT) FROM revoked_x509_certs WHERE nkey = x'{hex}';").Trim();
    }
}
