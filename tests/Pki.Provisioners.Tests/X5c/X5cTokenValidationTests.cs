using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Tests.X5c;

/// <summary>
/// X5C tokens through the real authority: a token whose <c>x5c</c> leaf chains to the provisioner's
/// roots and signed the token is accepted; every other token is a 401 that stores and burns nothing.
/// </summary>
public sealed class X5cTokenValidationTests
{
    private static async Task<PkiException> Refused(X5cAuthority ca, string token, CertificationRequest? csr = null)
    {
        var sign = async () => await ca.Authority.SignAsync(new SignRequest(csr ?? X5cAuthority.Csr("app.example"), token));
        var refusal = (await sign.Should().ThrowAsync<PkiException>()).Which;
        (await ca.Store.ListAsync(StepTables.X509Certs).CountAsync()).Should().Be(0);
        (await ca.Store.ListAsync(StepTables.UsedOtt).CountAsync()).Should().Be(0);
        return refusal;
    }

    private static string Token(X5cAuthority ca, (X509Certificate2 Certificate, ECDsa Key) leaf, string subject = "app.example", bool withIntermediate = true) =>
        X5cTokens.Sign(withIntermediate ? [leaf.Certificate, ca.Pki.Intermediate] : [leaf.Certificate], leaf.Key, X5cTokens.Claims(subject, ca.Clock.Now));

    [Test]
    public async Task A_token_chained_through_a_header_intermediate_gets_a_certificate_capped_at_the_leafs_notAfter()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example", validFor: TimeSpan.FromHours(3));

        var issued = await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"), Token(ca, leaf)));

        using var certificate = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        certificate.GetNameInfo(X509NameType.SimpleName, false).Should().Be("app.example");
        // The default 24 h would outlive the credential (valid until now + 2 h): cut at its notAfter.
        certificate.NotAfter.ToUniversalTime().Should().Be(leaf.Certificate.NotAfter.ToUniversalTime());
        certificate.NotBefore.ToUniversalTime().Should().Be(ca.Clock.Now.UtcDateTime.AddMinutes(-1));
        ProvisionerExtension.Read(certificate)!.Value.Name.Should().Be(X5cTokens.Provisioner);
        ProvisionerExtension.Read(certificate)!.Value.TypeCode.Should().Be(7);
        (await ca.Store.ListAsync(StepTables.UsedOtt).CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task A_short_default_duration_is_kept_and_a_requested_notAfter_past_the_leaf_is_forbidden()
    {
        using var ca = new X5cAuthority(e => e["claims"]!["defaultTLSCertDuration"] = "30m");
        var leaf = ca.Pki.Leaf("workload.example");
        var issued = await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"), Token(ca, leaf)));
        using (var certificate = X509CertificateLoader.LoadCertificate(issued.LeafDer))
        {
            (certificate.NotAfter - certificate.NotBefore).Should().Be(TimeSpan.FromMinutes(31));
        }

        var late = async () => await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"), Token(ca, leaf), NotAfter: TimeDuration.Parse("10h")));

        (await late.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);
    }

    [Test]
    public async Task The_csr_common_name_must_be_the_subject_and_the_sans_the_tokens()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var token = X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now, sans: ["app.example", "www.app.example"]));

        // JWK accepts any of the SANs as CN; X5C's commonNameValidator takes only the subject.
        var refusal = await Refused(ca, token, X5cAuthority.Csr("www.app.example", "app.example", "www.app.example"));

        refusal.Kind.Should().Be(PkiErrorKind.Forbidden);
    }

    [Test]
    public async Task A_replayed_token_is_refused()
    {
        using var ca = new X5cAuthority();
        var token = Token(ca, ca.Pki.Leaf("workload.example"));
        await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"), token));

        var again = async () => await ca.Authority.SignAsync(new SignRequest(X5cAuthority.Csr("app.example"), token));

        (await again.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("token already used");
    }

    [Test]
    public async Task An_expired_leaf_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example", validFor: TimeSpan.FromMinutes(30), notBefore: ca.Clock.Now.AddHours(-2));

        (await Refused(ca, Token(ca, leaf))).Kind.Should().Be(PkiErrorKind.Unauthorized);
    }

    [Test]
    public async Task A_leaf_that_becomes_valid_later_is_refused_at_the_clocks_time()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example", notBefore: ca.Clock.Now.AddHours(1));

        (await Refused(ca, Token(ca, leaf))).Message.Should().Contain("x5c certificate chain");
    }

    [Test]
    public async Task A_leaf_of_another_root_is_refused()
    {
        using var ca = new X5cAuthority();
        using var other = new X5cTestPki(ca.Clock.Now, "Other");
        var leaf = other.Leaf("workload.example");

        var token = X5cTokens.Sign([leaf.Certificate, other.Intermediate], leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now));

        (await Refused(ca, token)).Message.Should().Contain("x5c certificate chain");
    }

    [Test]
    public async Task A_chain_missing_its_intermediate_is_refused_even_when_the_intermediate_is_known_elsewhere()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");

        (await Refused(ca, Token(ca, leaf, withIntermediate: false))).Message.Should().Contain("x5c certificate chain");
    }

    [Test]
    public async Task A_leaf_without_digital_signature_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example", r => X5cTestPki.ClientLeafExtensions(r, X509KeyUsageFlags.KeyEncipherment));

        (await Refused(ca, Token(ca, leaf))).Message.Should().Contain("cannot be used for digital signature");
    }

    [Test]
    public async Task A_leaf_without_a_key_usage_extension_is_refused_as_go_does()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example", r => X5cTestPki.ClientLeafExtensions(r, X509KeyUsageFlags.None));

        (await Refused(ca, Token(ca, leaf))).Message.Should().Contain("cannot be used for digital signature");
    }

    [Test]
    public async Task A_leaf_for_servers_only_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example", r => X5cTestPki.ClientLeafExtensions(r, eku: "1.3.6.1.5.5.7.3.1"));

        (await Refused(ca, Token(ca, leaf))).Message.Should().Contain("x5c certificate chain");
    }

    [Test]
    public async Task A_ca_certificate_as_leaf_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("sub-ca.example", r => X5cTestPki.ClientLeafExtensions(r, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, isCa: true));

        (await Refused(ca, Token(ca, leaf))).Message.Should().Contain("is a CA certificate");
    }

    [Test]
    public async Task A_revoked_leaf_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        await ca.Revocations.TryRevokeAsync(new RevocationRecord(SerialNumberText.FromCertificate(leaf.Certificate), "", 1, "", ca.Clock.Now, ca.Clock.Now.AddDays(1), "", false, false));

        (await Refused(ca, Token(ca, leaf))).Message.Should().Contain("has been revoked");
    }

    [Test]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var token = X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], other, X5cTokens.Claims("app.example", ca.Clock.Now));

        (await Refused(ca, token)).Message.Should().Contain("signature");
    }

    [TestCase("none")]
    [TestCase("HS256")]
    [TestCase("ES384")]
    [TestCase("RS256")]
    [TestCase("EdDSA")]
    public async Task An_algorithm_other_than_the_leaf_keys_is_refused(string algorithm)
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var claims = X5cTokens.Claims("app.example", ca.Clock.Now);
        // alg none: an empty signature; HS256: an HMAC keyed with the leaf's public key (the classic confusion).
        var token = algorithm switch
        {
            "none" => X5cTokens.Compose(X5cTokens.Header([leaf.Certificate, ca.Pki.Intermediate], "none"), claims, _ => []),
            "HS256" => X5cTokens.Compose(X5cTokens.Header([leaf.Certificate, ca.Pki.Intermediate], "HS256"), claims,
                input => HMACSHA256.HashData(leaf.Certificate.PublicKey.ExportSubjectPublicKeyInfo(), input)),
            _ => X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, claims, algorithm),
        };

        (await Refused(ca, token)).Kind.Should().Be(PkiErrorKind.Unauthorized);
    }

    [Test]
    public async Task A_token_without_the_provisioner_fragment_or_for_another_issuer_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var chain = new[] { leaf.Certificate, ca.Pki.Intermediate };

        await Refused(ca, X5cTokens.Sign(chain, leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now, audience: "https://127.0.0.1/1.0/sign")));
        (await Refused(ca, X5cTokens.Sign(chain, leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now, issuer: "someone-else"))))
            .Message.Should().Contain("issuer");
        (await Refused(ca, X5cTokens.Sign(chain, leaf.Key, X5cTokens.Claims("app.example", ca.Clock.Now, audience: X5cTokens.RevokeAudience))))
            .Message.Should().Contain("audience");
        (await Refused(ca, X5cTokens.Sign(chain, leaf.Key, X5cTokens.Claims("", ca.Clock.Now))))
            .Message.Should().Contain("subject cannot be empty");
    }

    [Test]
    public async Task An_expired_token_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var claims = X5cTokens.Claims("app.example", ca.Clock.Now);
        ca.Clock.Now = ca.Clock.Now.AddMinutes(7); // exp = +5 min, leeway 1 min

        (await Refused(ca, X5cTokens.Sign([leaf.Certificate, ca.Pki.Intermediate], leaf.Key, claims))).Message.Should().Contain("expired");
    }

    [TestCase("not base64!")]
    [TestCase("MAA=")]
    [TestCase("MIIBCgKCAQEA")]
    public async Task Hostile_der_in_the_header_is_a_clean_refusal(string entry)
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var header = X5cTokens.Header([leaf.Certificate]);
        header["x5c"] = new[] { entry };

        var token = X5cTokens.Compose(header, X5cTokens.Claims("app.example", ca.Clock.Now), input => leaf.Key.SignData(input, HashAlgorithmName.SHA256));

        (await Refused(ca, token)).Kind.Should().Be(PkiErrorKind.Unauthorized);
    }

    [Test]
    public async Task A_certificate_with_trailing_bytes_or_a_header_too_long_is_refused()
    {
        using var ca = new X5cAuthority();
        var leaf = ca.Pki.Leaf("workload.example");
        var claims = X5cTokens.Claims("app.example", ca.Clock.Now);
        var trailing = X5cTokens.Header([leaf.Certificate]);
        trailing["x5c"] = new[] { Convert.ToBase64String([.. leaf.Certificate.RawData, 0x00]) };
        var looping = X5cTokens.Header(Enumerable.Repeat(ca.Pki.Intermediate, 9).Prepend(leaf.Certificate));

        (await Refused(ca, X5cTokens.Compose(trailing, claims, i => leaf.Key.SignData(i, HashAlgorithmName.SHA256)))).Message.Should().Contain("not valid DER");
        (await Refused(ca, X5cTokens.Compose(looping, claims, i => leaf.Key.SignData(i, HashAlgorithmName.SHA256)))).Message.Should().Contain("more than");
    }
}
