using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>
/// A token's <c>sha</c> binds it to a root: the authority checks it where it routes the token, so an
/// in-process caller is held to it as the HTTP API is (step-ca ignores the claim).
/// </summary>
public sealed class TokenRootBindingPipelineTests
{
    private static readonly string RootSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Fixtures.Path("pki", "certs", "root_ca.crt")) is var der
        && der[0] == (byte)'-' ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(der)).RawData : der));

    private static (byte[] Csr, string Token) Request(FixtureAuthority ca, string? sha)
    {
        var encrypted = JsonDocument.Parse(Fixtures.Text("pki", "config", "ca.json")).RootElement
            .GetProperty("authority").GetProperty("provisioners")[0].GetProperty("encryptedKey").GetString()!;
        var key = EncryptedKey.Decrypt(encrypted, "fixture-test-password");
        var token = new TokenSigner(key, timeProvider: ca.Clock).Sign(new TokenDescriptor
        {
            Issuer = "fixture-admin", Subject = "bound.example", Audience = ["https://127.0.0.1/1.0/sign"], Sha = sha,
        });
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (new CertificateRequest("CN=bound.example", ec, HashAlgorithmName.SHA256).CreateSigningRequest(), token);
    }

    [Test]
    public async Task A_token_bound_to_this_ca_is_issued_in_process()
    {
        using var ca = new FixtureAuthority();
        var (csr, token) = Request(ca, RootSha.ToUpperInvariant());

        (await ca.Authority.SignAsync(new SignRequest(csr, token))).LeafDer.Should().NotBeEmpty();
    }

    [Test]
    public async Task A_token_bound_to_another_ca_is_refused_in_process_and_stores_nothing()
    {
        using var ca = new FixtureAuthority();
        var (csr, token) = Request(ca, new string('a', 64));

        var act = async () => await ca.Authority.SignAsync(new SignRequest(csr, token));

        (await act.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
        (await ca.StoredCertificatesAsync()).Should().Be(0);
    }
}
