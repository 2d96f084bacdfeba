using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Policy;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>
/// Stage 6 of the pipeline with the real JWK provisioner and step-ca's fixture requests: the
/// authority policy and the CA's name constraints refuse names with a 403 before anything is
/// signed, stored or burned; renewals are checked against the constraints only, as in step-ca.
/// </summary>
public sealed class JwkPolicyPipelineTests
{
    private static (byte[] Csr, string Token, DateTimeOffset IssuedAt) FixtureRequest(string name)
    {
        using var index = JsonDocument.Parse(Fixtures.Text("issued", "index.json"));
        var entry = index.RootElement.GetProperty("x509").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var token = entry.GetProperty("sign_token").GetProperty("token").GetString()!;
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var iat = JsonDocument.Parse(Convert.FromBase64String(payload + new string('=', (4 - payload.Length % 4) % 4))).RootElement.GetProperty("iat").GetInt64();
        var csr = Convert.FromBase64String(string.Concat(Fixtures.Text("issued", name + ".csr").Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
        return (csr, token, DateTimeOffset.FromUnixTimeSeconds(iat));
    }

    private static NamePolicy Policy(string json) => NamePolicy.Parse(JsonDocument.Parse(json).RootElement.Clone());

    [Test]
    public async Task Authority_policy_refuses_a_name_with_403_and_burns_nothing()
    {
        using var ca = new FixtureAuthority(namePolicy: Policy("""{"x509": {"allow": {"dns": ["*.fixture.test"]}}}"""));
        var (csr, token, iat) = FixtureRequest("ec-p256");
        ca.Clock.Now = iat.AddSeconds(1);

        var act = async () => await ca.Authority.SignAsync(new SignRequest(csr, token));

        // ec-p256 also asks for localhost, 127.0.0.1 and ::1, which *.fixture.test does not cover.
        var refusal = (await act.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Forbidden);
        refusal.Message.Should().Be("dns name \"localhost\" not allowed");
        refusal.ClientMessage.Should().StartWith("The request was forbidden by the certificate authority: dns name \"localhost\" not allowed (");
        (await ca.StoredCertificatesAsync()).Should().Be(0);
        var replay = new Smallstep.Pki.Storage.Authority.KeyValueTokenReplayStore(ca.Store);
        (await replay.IsUsedAsync(JsonDocument.Parse(Convert.FromBase64String(PadPayload(token))).RootElement.GetProperty("jti").GetString()!)).Should().BeFalse();
    }

    [Test]
    public async Task A_policy_that_allows_every_requested_name_issues()
    {
        using var ca = new FixtureAuthority(namePolicy: Policy("""{"x509": {"allow": {"dns": ["*.fixture.test"]}}}"""));
        var (csr, token, iat) = FixtureRequest("rsa-2048");
        ca.Clock.Now = iat.AddSeconds(1);

        var issued = await ca.Authority.SignAsync(new SignRequest(csr, token));

        X509CertificateLoader.LoadCertificate(issued.LeafDer).GetNameInfo(X509NameType.DnsName, false).Should().Be("rsa.fixture.test");
    }

    [Test]
    public async Task Ca_name_constraints_refuse_sign_and_renew()
    {
        var constraints = CaNameConstraints.FromChain([ConstrainedCa(excludedDns: "rsa.fixture.test")]);
        var (csr, token, iat) = FixtureRequest("rsa-2048");
        using (var constrained = new FixtureAuthority(nameConstraints: constraints))
        {
            constrained.Clock.Now = iat.AddSeconds(1);
            var sign = async () => await constrained.Authority.SignAsync(new SignRequest(csr, token));
            (await sign.Should().ThrowAsync<PkiException>()).Which.ClientMessage.Should().Be("DNS name \"rsa.fixture.test\" is excluded by constraint \"rsa.fixture.test\"");
        }

        // Issued before the constraint existed: renewing it is refused once it does.
        using var unconstrained = new FixtureAuthority();
        unconstrained.Clock.Now = iat.AddSeconds(1);
        var issued = X509CertificateLoader.LoadCertificate((await unconstrained.Authority.SignAsync(new SignRequest(csr, token))).LeafDer);
        using var later = new FixtureAuthority(nameConstraints: constraints);
        later.Clock.Now = iat.AddMinutes(10);
        var renew = async () => await later.Authority.RenewAsync(issued);
        (await renew.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);
    }

    private static string PadPayload(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return payload + new string('=', (4 - payload.Length % 4) % 4);
    }

    // RFC 5280 §4.2.1.10: NameConstraints { excludedSubtrees [1] { GeneralSubtree { dNSName } } }.
    private static X509Certificate2 ConstrainedCa(string excludedDns)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, excludedDns, new Asn1Tag(TagClass.ContextSpecific, 2));
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Constrained CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509Extension("2.5.29.30", writer.Encode(), critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
