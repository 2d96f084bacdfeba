using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Acme;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Pending;

namespace Smallstep.Pki.Tests.Acme;

/// <summary>ACME certificates renew under the provisioner's claims; JWS parsing and verification edge cases.</summary>
public sealed class AcmeRenewalAndJwsTests
{
    private static X509Certificate2 Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=a.example.com", key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
    }

    private static AcmeProvisioner Build(string claims) =>
        (AcmeProvisioner)StepCatalog.Build([ProvisionerConfig.FromJson(JsonDocument.Parse($$"""{"type":"ACME","name":"acme","claims":{{claims}}}""").RootElement.Clone())]).All.Single();

    [Test]
    public async Task Renewal_follows_the_claims()
    {
        using var current = Certificate(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var expired = Certificate(DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(-1));

        await Build("{}").AuthorizeRenewAsync(current);
        await Build("""{"allowRenewalAfterExpiry":true}""").AuthorizeRenewAsync(expired);
        (await Build("""{"disableRenewal":true}""").Awaiting(p => p.AuthorizeRenewAsync(current).AsTask()).Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
        await Build("{}").Awaiting(p => p.AuthorizeRenewAsync(expired).AsTask()).Should().ThrowAsync<PkiException>();
    }

    private static byte[] Flattened(JsonWebKey key, string algorithm, Func<byte[], byte[]> sign, string payload = "{}")
    {
        var header = Base64UrlCodec.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"{{algorithm}}","nonce":"n","url":"https://ca/acme/acme/new-account","jwk":{{key.ToPublic().ToJson()}}}"""));
        var body = Base64UrlCodec.Encode(Encoding.UTF8.GetBytes(payload));
        var signature = sign(Encoding.ASCII.GetBytes(header + "." + body));
        return Encoding.UTF8.GetBytes($$"""{"protected":"{{header}}","payload":"{{body}}","signature":"{{Base64UrlCodec.Encode(signature)}}"}""");
    }

    [Test]
    public void An_ecdsa_signature_with_a_dropped_leading_zero_verifies_as_step_ca_allows()
    {
        var key = JsonWebKey.Generate("ES256");
        using var ecdsa = key.CreateEcdsa();
        byte[]? shortened = null;
        for (var i = 0; i < 2000 && shortened is null; i++)
        {
            var payload = $"{{\"i\":{i}}}";
            Flattened(key, "ES256", input =>
            {
                var signature = ecdsa.SignData(input, HashAlgorithmName.SHA256);
                if (signature[0] == 0)
                {
                    shortened = Flattened(key, "ES256", _ => signature[1..], payload);
                }
                return signature;
            }, payload);
        }
        shortened.Should().NotBeNull("about 1 in 256 signatures has a leading zero r");
        AcmeJws.Parse(shortened).Verify(key).Should().BeTrue();
    }

    [Test]
    public void The_key_must_fit_the_algorithm_and_an_hmac_never_verifies_an_account_key()
    {
        var key = JsonWebKey.Generate("ES256");
        using var ecdsa = key.CreateEcdsa();
        var jws = AcmeJws.Parse(Flattened(key, "ES256", input => ecdsa.SignData(input, HashAlgorithmName.SHA256)));
        jws.Verify(key).Should().BeTrue();
        jws.Nonce.Should().Be("n");
        jws.Verify(JsonWebKey.Generate("ES256")).Should().BeFalse();
        var hmac = AcmeJws.Parse(Flattened(key, "HS256", input => HMACSHA256.HashData(new byte[32], input)));
        hmac.HasAllowedAlgorithm.Should().BeFalse();
        hmac.Verify(key).Should().BeFalse();
    }

    [Test]
    public void A_compact_jws_is_malformed()
    {
        var act = () => AcmeJws.Parse(Encoding.ASCII.GetBytes("\"eyJhbGciOiJub25lIn0.e30.\""));
        act.Should().Throw<PkiException>().Which.ProblemType.Should().Be("urn:ietf:params:acme:error:malformed");
    }
}
