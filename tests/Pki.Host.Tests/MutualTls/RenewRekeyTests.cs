using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Issuance;

namespace Smallstep.Pki.Tests.Host.MutualTls;

/// <summary>
/// <c>POST /1.0/renew</c> and <c>/1.0/rekey</c> with the issued certificate as the TLS client
/// certificate, over the real listener ("verify if given" client auth).
/// </summary>
public class RenewRekeyTests : ServedPkiTests
{
    private static readonly string[] RenewedOrder = ["2.5.29.35", "2.5.29.15", "2.5.29.37", "2.5.29.14", "2.5.29.17", LeafProfile.ProvisionerOid];

    [Test]
    public async Task Renew_with_the_client_certificate_issues_a_new_serial_with_the_same_names_and_aki_first()
    {
        using var key = new ClientKey();
        var (original, certificate) = await Pki.IssueAsync(Client, key, "renew.host.test");
        using var _ = certificate;
        using var mtls = Pki.CreateClient(certificate);
        var rowsBefore = Pki.CountRows("x509_certs");

        using var response = await mtls.PostAsync("/1.0/renew", null);

        var renewed = await response.ShouldBeIssuedAsync();
        renewed.Body.Should().Be(renewed.ExpectedFixtureBody(), "renew-response.json has the layout of sign-response.json");
        using var leaf = renewed.Leaf;
        renewed.SerialDecimal.Should().NotBe(original.SerialDecimal);
        leaf.Subject.Should().Be(certificate.Subject);
        LeafProfile.SansOf(leaf).Should().Equal(LeafProfile.SansOf(certificate));
        leaf.PublicKey.EncodedKeyValue.RawData.Should().Equal(certificate.PublicKey.EncodedKeyValue.RawData);
        // Renew copies the old extensions and adds a new AKI first (MANIFEST.md: ec-p256-renewed).
        leaf.Extensions.Select(e => e.Oid!.Value).Should().Equal(RenewedOrder);
        LeafProfile.ShouldNameProvisioner(leaf, "fixture-admin", Pki.Provisioner.KeyId);
        (leaf.NotAfter - leaf.NotBefore).Should().Be(certificate.NotAfter - certificate.NotBefore);
        Pki.CountRows("x509_certs").Should().Be(rowsBefore + 1);
    }

    [Test]
    public async Task Renew_alias_re_sign_renews_too()
    {
        using var key = new ClientKey();
        var (original, certificate) = await Pki.IssueAsync(Client, key, "resign.host.test");
        using var _ = certificate;
        using var mtls = Pki.CreateClient(certificate);

        using var response = await mtls.PostAsync("/re-sign", null);

        (await response.ShouldBeIssuedAsync()).SerialDecimal.Should().NotBe(original.SerialDecimal);
    }

    [Test]
    public async Task Rekey_replaces_the_public_key_and_keeps_the_names()
    {
        using var key = new ClientKey();
        var (_, certificate) = await Pki.IssueAsync(Client, key, "rekey.host.test");
        using var __ = certificate;
        using var mtls = Pki.CreateClient(certificate);
        using var newKey = new ClientKey();

        using var response = await mtls.PostJsonAsync("/1.0/rekey", new { csr = newKey.CsrPem("ignored.host.test") });

        var rekeyed = await response.ShouldBeIssuedAsync();
        using var leaf = rekeyed.Leaf;
        leaf.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo().Should().Equal(newKey.Key.ExportSubjectPublicKeyInfo());
        leaf.Subject.Should().Be("CN=rekey.host.test", "rekey copies the subject of the old certificate, not the CSR's");
        LeafProfile.SansOf(leaf).Should().Equal("rekey.host.test");
        leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier
            .Should().NotBe(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
    }

    [Test]
    public async Task A_client_certificate_from_another_ca_fails_the_tls_handshake()
    {
        using var key = new ClientKey();
        var request = new CertificateRequest("CN=stranger.host.test", key.Key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var stranger = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var mtls = Pki.CreateClient(stranger);

        var call = () => mtls.PostAsync("/1.0/renew", null);

        await call.Should().ThrowAsync<HttpRequestException>();
    }

    [Test]
    public async Task Rekey_without_a_client_certificate_is_a_bad_request()
    {
        using var newKey = new ClientKey();

        using var response = await Client.PostJsonAsync("/1.0/rekey", new { csr = newKey.CsrPem("x.host.test") });

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("missing client certificate"));
    }
}
