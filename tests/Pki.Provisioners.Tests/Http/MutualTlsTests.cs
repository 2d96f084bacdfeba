using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Tests.Http;

/// <summary>
/// Renew, rekey and revoke over real TLS with the fixture leaf as client certificate; the server
/// accepts any certificate at the TLS layer, so the API's own chain check is what is tested.
/// </summary>
public class MutualTlsTests : StepApiTestBase
{
    private X509Certificate2 _leaf = null!;
    private HttpClient _mtls = null!;

    protected override bool Https => true;

    [OneTimeSetUp]
    public void CreateClient()
    {
        _leaf = FixturePki.SignedLeafWithKey();
        _mtls = Server.CreateClient(_leaf);
    }

    [OneTimeTearDown]
    public void DisposeClient()
    {
        _mtls.Dispose();
        _leaf.Dispose();
    }

    [Test]
    public async Task Renew_with_a_client_certificate_renews_that_certificate()
    {
        var response = await _mtls.PostAsync("/1.0/renew", null);

        ((int)response.StatusCode).Should().Be(201);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Fixtures.Bytes("issued", "renew-response.json"));
        Server.Authority.LastRenewed!.RawData.Should().Equal(_leaf.RawData);
    }

    [Test]
    public async Task The_client_certificate_wins_over_a_bearer_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/renew");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer forged");

        ((int)(await _mtls.SendAsync(request)).StatusCode).Should().Be(201);
        Server.RenewTokens.LastToken.Should().BeNull();
    }

    [Test]
    public async Task An_expired_client_certificate_is_refused()
    {
        Server.Time.Now = _leaf.NotAfter.ToUniversalTime().AddMinutes(1);

        await ShouldBeStepError(await _mtls.PostAsync("/1.0/renew", null), 401, UnauthorizedMessage);
        Server.Authority.LastRenewed.Should().BeNull();
    }

    [Test]
    public async Task A_verdict_kept_on_the_connection_ends_when_the_certificate_expires()
    {
        using var client = Server.CreateClient(_leaf);
        ((int)(await client.PostAsync("/1.0/renew", null)).StatusCode).Should().Be(201);

        Server.Time.Now = _leaf.NotAfter.ToUniversalTime().AddMinutes(1);

        await ShouldBeStepError(await client.PostAsync("/1.0/renew", null), 401, UnauthorizedMessage);
    }

    [Test]
    public async Task A_verdict_kept_on_the_connection_ends_when_the_trust_bundle_changes()
    {
        using var client = Server.CreateClient(_leaf);
        ((int)(await client.PostAsync("/1.0/renew", null)).StatusCode).Should().Be(201);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherRoot = new CertificateRequest("CN=Other Root", otherKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(FixturePki.LeafValidityInstant.AddYears(-1), FixturePki.LeafValidityInstant.AddYears(1));

        Server.Authority.Trust = new TrustBundle([otherRoot], [], []);

        await ShouldBeStepError(await client.PostAsync("/1.0/renew", null), 401, UnauthorizedMessage);
    }

    [Test]
    public async Task A_client_certificate_from_another_ca_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ec.fixture.test", key, HashAlgorithmName.SHA256);
        using var stranger = request.CreateSelfSigned(FixturePki.LeafValidityInstant.AddHours(-1), FixturePki.LeafValidityInstant.AddHours(1));
        using var client = Server.CreateClient(stranger);

        await ShouldBeStepError(await client.PostAsync("/1.0/renew", null), 401, UnauthorizedMessage);
        Server.Authority.LastRenewed.Should().BeNull();
        Server.Logs.Entries.Should().Contain(e => e.EventId.Id == 3100 && e.Message.Contains("is not trusted", StringComparison.Ordinal));
    }

    [Test]
    public async Task Rekey_passes_the_client_certificate_and_the_csr()
    {
        var response = await PostAsync(_mtls, "/1.0/rekey", JsonSerializer.Serialize(new { csr = FixturePki.CsrPem() }));

        ((int)response.StatusCode).Should().Be(201);
        var (certificate, csrDer) = Server.Authority.LastRekey!.Value;
        certificate.RawData.Should().Equal(_leaf.RawData);
        PemEncoding.WriteString("CERTIFICATE REQUEST", csrDer).Should().Be(FixturePki.CsrPem().TrimEnd('\n'));
    }

    [Test]
    public async Task Rekey_without_csr_is_missing_csr()
    {
        await ShouldBeStepError(await PostAsync(_mtls, "/1.0/rekey", "{}"), 400, BadRequestMessage("missing csr"));
    }

    [Test]
    public async Task Revoke_without_token_revokes_over_mtls()
    {
        var serial = new System.Numerics.BigInteger(_leaf.GetSerialNumber(), isUnsigned: true, isBigEndian: false).ToString();
        var response = await PostAsync(_mtls, "/1.0/revoke", JsonSerializer.Serialize(new { serial, reasonCode = 1, passive = true }));

        (await response.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"ok\"}\n");
        var revoke = Server.Authority.LastRevoke!;
        revoke.Token.Should().BeNull();
        revoke.Serial.Should().Be(serial);
        revoke.ClientCertificate!.RawData.Should().Equal(_leaf.RawData);
    }
}
