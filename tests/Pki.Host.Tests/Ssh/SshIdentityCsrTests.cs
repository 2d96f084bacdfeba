using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// <c>identityCSR</c> on <c>/ssh/sign</c>: validated as step-ca's <c>SSHSignRequest</c> does (a PEM that
/// is no DER SEQUENCE fails the JSON decoding, a bad self-signature is <c>invalid identityCSR</c>); a
/// valid one is refused with 501, as this build issues no identity certificates yet.
/// </summary>
public sealed class SshIdentityCsrTests : ServedPkiTests
{
    [Test]
    public async Task A_pem_that_is_not_der_fails_the_json_decoding()
    {
        using var response = await SignAsync("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("error decoding json"));
    }

    [Test]
    public async Task A_csr_whose_signature_does_not_verify_is_an_invalid_identity_csr()
    {
        var der = Csr();
        der[^1] ^= 0x01;

        using var response = await SignAsync(PemEncoding.WriteString("CERTIFICATE REQUEST", der));

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("invalid identityCSR"));
    }

    [Test]
    public async Task A_valid_identity_csr_is_refused_with_501_and_burns_no_token()
    {
        using var response = await SignAsync(PemEncoding.WriteString("CERTIFICATE REQUEST", Csr()));

        await response.ShouldBeStepErrorAsync(501, StepResponses.NotImplemented);
        Pki.CountRows("used_ott").Should().Be(0);
    }

    private Task<HttpResponseMessage> SignAsync(string identityCsr)
    {
        var token = SshTokens.Sign(Pki.Provisioner, "alice", new { certType = "user", principals = new[] { "alice" } });
        return Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = "AAAAC3NzaC1lZDI1NTE5AAAAIGem9uHiJEl0JtDw8ni2+jeDXHLI2wHR/IYIDIAhxTs7", ott = token, identityCSR = identityCsr });
    }

    private static byte[] Csr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=alice", key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }
}
