using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.X5c;

/// <summary>
/// What an X5C provisioner does beyond sign: templates see <c>.AuthorizationCrt</c> and <c>.Token</c>,
/// SSH certificates end by the leaf's notAfter, revocation needs the token subject to be the serial,
/// renewal follows the claims.
/// </summary>
public sealed class X5cOperationsTests
{
    private const string Template = """
        {
          "subject": {"commonName": {{ toJson .Subject.CommonName }}, "organizationalUnit": [{{ toJson .AuthorizationCrt.Subject.CommonName }}]},
          "dnsNames": {{ toJson .SANs }},
          "uris": ["spiffe://example/{{ .Token.jti | substr 0 8 }}/{{ index .AuthorizationCrt.DNSNames 0 }}/{{ .AuthorizationCrt.SerialNumber }}"],
          "keyUsage": ["digitalSignature"],
          "extKeyUsage": ["clientAuth"]
        }
        """;

    [Test]
    public async Task A_template_reads_the_x5c_leaf_as_AuthorizationCrt_and_the_claims_as_Token()
    {
        using var ca = new X5cAuthority(e => e["options"] = new JsonObject { ["x509"] = new JsonObject { ["template"] = Template.Replace("{{ toJson .SANs }}", "[\"app.example\"]") } });
        var leaf = ca.Pki.Leaf("workload.example");
        var claims = X5cTokens.Claims("app.example", ca.Clock.Now);
        var token = X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, claims);

        var issued = await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"), token));

        using var certificate = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        certificate.Subject.Should().Contain("OU=workload.example");
        var serial = System.Numerics.BigInteger.Parse("00" + leaf.Certificate.SerialNumber, System.Globalization.NumberStyles.HexNumber);
        var uri = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false);
        uri.Should().Contain($"spiffe://example/{((string)claims["jti"]!)[..8]}/workload.example/{serial}");
    }

    [Test]
    public async Task An_ssh_certificate_from_an_x5c_token_takes_the_tokens_options_and_ends_by_the_leafs_notAfter()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example", validFor: TimeSpan.FromHours(3)); // until now + 2 h
        var step = new { ssh = new { certType = "user", keyID = "alice@example", principals = new[] { "alice" } } };
        var token = X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims("alice@example", ca.Clock.Now, X5cTokens.SshSignAudience, step: step));
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var publicKey = SshPublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());

        var signed = await ca.Ssh.SignAsync(new SshSignRequest(publicKey, token, new SshSignOptions()));

        var description = signed.Certificate.Description;
        description.Type.Should().Be(SshCertificateType.User);
        description.KeyId.Should().Be("alice@example");
        description.Principals.Should().Equal("alice");
        // The user default (16 h) is cut at the credential's end.
        description.ValidBefore.Should().Be(DateTimeOffset.FromUnixTimeSeconds(new DateTimeOffset(leaf.Certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds()));
    }

    [Test]
    public async Task An_ssh_token_without_step_ssh_or_with_sshca_disabled_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var publicKey = SshPublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
        var token = X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims("alice", ca.Clock.Now, X5cTokens.SshSignAudience));

        var sign = async () => await ca.Ssh.SignAsync(new SshSignRequest(publicKey, token, new SshSignOptions()));

        (await sign.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("must be an SSH provisioning token");
    }

    [Test]
    public async Task Revoke_needs_the_token_subject_to_be_the_serial()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var issued = await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"),
            X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now))));
        using var certificate = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        var serial = SerialNumberText.FromCertificate(certificate);

        // CVE-2025-66406: a token for one serial must not revoke another.
        var other = X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims("12345", ca.Clock.Now, X5cTokens.RevokeAudience));
        var wrong = async () => await ca.Authority.RevokeAsync(new RevokeRequest(serial, other, 0, null, true, null));
        (await wrong.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);

        var token = X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims(serial, ca.Clock.Now, X5cTokens.RevokeAudience));
        await ca.Authority.RevokeAsync(new RevokeRequest(serial, token, 1, "test", true, null));

        (await ca.Revocations.GetAsync(serial))!.ProvisionerId.Should().Be("x5c/" + X5cTokens.Provisioner);
    }

    [Test]
    public async Task Renewal_of_an_x5c_certificate_follows_the_claims()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var issued = await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"),
            X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now))));
        using var certificate = X509CertificateLoader.LoadCertificate(issued.LeafDer);

        var renewed = await ca.Authority.RenewAsync(certificate);
        using (var again = X509CertificateLoader.LoadCertificate(renewed.LeafDer))
        {
            again.NotAfter.Should().Be(certificate.NotAfter);
        }

        ca.Clock.Now = certificate.NotAfter.ToUniversalTime().AddMinutes(1);
        var expired = async () => await ca.Authority.RenewAsync(certificate);
        (await expired.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
    }

    [Test]
    public async Task Renewal_is_refused_when_the_provisioner_disables_it()
    {
        using var ca = new X5cAuthority(e => e["claims"]!["disableRenewal"] = true);
        var leaf = ca.Pki.Leaf("workload.example");
        var issued = await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"),
            X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now))));
        using var certificate = X509CertificateLoader.LoadCertificate(issued.LeafDer);

        var renew = async () => await ca.Authority.RenewAsync(certificate);

        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("renew is disabled for provisioner 'x5c-test'");
        (await ca.Store.ListAsync(StepTables.X509Certs).CountAsync()).Should().Be(1);
    }
}
