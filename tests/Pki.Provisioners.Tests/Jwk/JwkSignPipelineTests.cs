using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>The issuance pipeline with the real JWK provisioner and step-ca's own fixture tokens and CSRs.</summary>
public sealed class JwkSignPipelineTests
{
    private static (byte[] Csr, string Token) FixtureRequest(string name)
    {
        using var index = JsonDocument.Parse(Fixtures.Text("issued", "index.json"));
        var entry = index.RootElement.GetProperty("x509").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var token = entry.GetProperty("sign_token").GetProperty("token").GetString()!;
        return (Pem(Fixtures.Text("issued", name + ".csr")), token);
    }

    private static byte[] Pem(string pem) =>
        Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));

    private static DateTimeOffset IssuedAt(string token) =>
        DateTimeOffset.FromUnixTimeSeconds(JsonDocument.Parse(Convert.FromBase64String(Pad(token.Split('.')[1]))).RootElement.GetProperty("iat").GetInt64());

    private static string Pad(string b64url)
    {
        var s = b64url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }

    [TestCase("ec-p256")]
    [TestCase("rsa-2048")]
    [TestCase("ed25519")]
    [TestCase("email-uri")]
    public async Task Step_ca_tokens_and_csrs_are_issued_with_step_cas_profile(string name)
    {
        using var ca = new FixtureAuthority();
        var (csr, token) = FixtureRequest(name);
        ca.Clock.Now = IssuedAt(token).AddSeconds(1);

        var issued = await ca.Authority.SignAsync(new SignRequest(csr, token));

        var leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        var expected = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("issued", name + ".crt"));
        leaf.SubjectName.RawData.Should().Equal(expected.SubjectName.RawData);
        leaf.Extensions.Select(e => e.Oid!.Value).Should().Equal(expected.Extensions.Select(e => e.Oid!.Value));
        leaf.Extensions.Where(e => e.Oid!.Value is not ("2.5.29.14" or "2.5.29.35")).Select(e => Convert.ToHexString(e.RawData))
            .Should().Equal(expected.Extensions.Where(e => e.Oid!.Value is not ("2.5.29.14" or "2.5.29.35")).Select(e => Convert.ToHexString(e.RawData)));
        (leaf.NotAfter - leaf.NotBefore).Should().Be(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        issued.ChainDer.Should().ContainSingle().Which.Should().Equal(File.ReadAllBytes(Fixtures.Path("pki", "certs", "intermediate_ca.crt")).Length > 0
            ? X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt")).RawData : []);
        // A uniformly random 128-bit serial: its DER is 15 octets or fewer 1 time in 256 (leading
        // zeros), 17 when the high bit is set; more than 64 bits of it are always there (CA/B BR §7.1).
        leaf.SerialNumberBytes.Length.Should().BeInRange(9, 17);
        (await ca.StoredCertificatesAsync()).Should().Be(1);
    }

    [Test]
    public async Task A_replayed_token_is_refused_and_nothing_more_is_stored()
    {
        using var ca = new FixtureAuthority();
        var (csr, token) = FixtureRequest("ec-p256");
        ca.Clock.Now = IssuedAt(token).AddSeconds(1);
        await ca.Authority.SignAsync(new SignRequest(csr, token));

        var again = async () => await ca.Authority.SignAsync(new SignRequest(csr, token));

        (await again.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("token already used");
        (await ca.StoredCertificatesAsync()).Should().Be(1);
    }

    [Test]
    public async Task Tokens_issued_before_the_authority_started_are_refused()
    {
        var (csr, token) = FixtureRequest("ec-p256");
        using var ca = new FixtureAuthority();
        // FixtureAuthority started at 13:31:30; build a second one that starts after the token's iat.
        ca.Clock.Now = IssuedAt(token).AddSeconds(1);
        using var late = new FixtureAuthority();
        late.Clock.Now = IssuedAt(token).AddSeconds(30);
        var lateAuthority = new CertificateAuthority(
            new CertificateAuthorityOptions { Issuer = IssuerOf(late), Roots = late.Authority.Trust.Roots, Audiences = new Provisioning.Audiences(["127.0.0.1"]) },
            late.Catalog, new Storage.Authority.KeyValueCertificateStore(late.Store), new Storage.Authority.KeyValueRevocationStore(late.Store),
            new Storage.Authority.KeyValueTokenReplayStore(late.Store), late.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<CertificateAuthority>.Instance);

        var act = async () => await lateAuthority.SignAsync(new SignRequest(csr, token));

        (await act.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
    }

    [Test]
    public async Task An_expired_token_is_refused()
    {
        using var ca = new FixtureAuthority();
        var (csr, token) = FixtureRequest("ec-p256");
        ca.Clock.Now = IssuedAt(token).AddMinutes(7); // exp = iat + 5m, leeway 1m

        var act = async () => await ca.Authority.SignAsync(new SignRequest(csr, token));

        (await act.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
        (await ca.StoredCertificatesAsync()).Should().Be(0);
    }

    [Test]
    public async Task A_csr_with_other_sans_than_the_token_is_forbidden_with_step_cas_message()
    {
        using var ca = new FixtureAuthority();
        using var request = JsonDocument.Parse(Fixtures.Text("http", "23-err-csr-token-mismatch.request.json"));
        var token = request.RootElement.GetProperty("ott").GetString()!;
        ca.Clock.Now = IssuedAt(token).AddSeconds(1);

        var act = async () => await ca.Authority.SignAsync(new SignRequest(Pem(request.RootElement.GetProperty("csr").GetString()!), token));

        var error = (await act.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Forbidden);
        error.Message.Should().Be("certificate request does not contain the valid DNS names - got [other.fixture.test], want [match.fixture.test]");
    }

    [TestCase("48h")]
    [TestCase("1m")]
    public async Task Durations_outside_the_claims_are_forbidden(string notAfter)
    {
        using var ca = new FixtureAuthority();
        var (csr, token) = FixtureRequest("ec-p256");
        ca.Clock.Now = IssuedAt(token).AddSeconds(1);

        var act = async () => await ca.Authority.SignAsync(new SignRequest(csr, token, NotAfter: TimeDuration.Parse(notAfter)));

        (await act.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);
    }

    [Test]
    public async Task A_requested_validity_inside_the_claims_is_honoured()
    {
        using var ca = new FixtureAuthority();
        var (csr, token) = FixtureRequest("ec-p256");
        ca.Clock.Now = IssuedAt(token).AddSeconds(1);

        var issued = await ca.Authority.SignAsync(new SignRequest(csr, token, NotAfter: TimeDuration.Parse("2h")));

        var leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        leaf.NotAfter.ToUniversalTime().Should().Be(ca.Clock.Now.AddHours(2).UtcDateTime.AddTicks(-(ca.Clock.Now.UtcTicks % TimeSpan.TicksPerSecond)));
    }

    private static Issuance.X509Issuer IssuerOf(FixtureAuthority ca)
    {
        var keys = new Kms.Soft.SoftKeyManager(new Kms.Soft.SoftKmsOptions { PasswordProvider = _ => "fixture-test-password" });
        var signer = keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "intermediate_ca_key")).AsTask().GetAwaiter().GetResult();
        return new Issuance.X509Issuer(ca.Authority.Trust.Intermediates, signer);
    }
}
