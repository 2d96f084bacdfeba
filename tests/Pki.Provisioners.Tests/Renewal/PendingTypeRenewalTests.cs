using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Tests.Pending;

namespace Smallstep.Pki.Tests.Renewal;

/// <summary>
/// Certificates of provisioner types this build does not run yet still renew as step-ca renews them
/// (controller.go <c>DefaultAuthorizeRenew</c>), under the entry's claims; SCEP and SSHPOP, which
/// never renew X.509 certificates in step-ca, refuse with step-ca's 401 rather than a 501.
/// </summary>
public sealed class PendingTypeRenewalTests
{
    private static ProvisionerConfig Entry(string json) => ProvisionerConfig.FromJson(JsonDocument.Parse(json).RootElement.Clone());

    private static X509Certificate2 Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=renew.example", key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
    }

    [TestCase("""{"type":"OIDC","name":"google","clientID":"id","configurationEndpoint":"https://accounts.google.com/.well-known/openid-configuration"}""")]
    [TestCase("""{"type":"AWS","name":"aws","accounts":["123"]}""")]
    [TestCase("""{"type":"K8sSA","name":"k8s"}""")]
    public async Task A_valid_certificate_of_a_pending_type_renews_and_an_expired_one_does_not(string json)
    {
        var now = DateTimeOffset.UtcNow;
        var catalog = StepCatalog.Build([Entry(json)]);
        var provisioner = catalog.All.Single();
        using var valid = Certificate(now.AddHours(-1), now.AddHours(1));
        using var expired = Certificate(now.AddHours(-3), now.AddHours(-1));

        await provisioner.AuthorizeRenewAsync(valid);
        var late = async () => await provisioner.AuthorizeRenewAsync(expired);

        (await late.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
    }

    [Test]
    public async Task The_entrys_claims_apply()
    {
        var catalog = StepCatalog.Build([Entry("""{"type":"GCP","name":"gcp","claims":{"disableRenewal":true}}""")]);
        using var valid = Certificate(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

        var renew = async () => await catalog.All.Single().AuthorizeRenewAsync(valid);

        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("renew is disabled for provisioner 'gcp'");
    }

    [TestCase("""{"type":"SCEP","name":"scep","challenge":"secret"}""")]
    [TestCase("""{"type":"SSHPOP","name":"sshpop"}""")]
    public async Task Scep_and_sshpop_certificates_are_refused_with_a_401(string json)
    {
        var catalog = StepCatalog.Build([Entry(json)]);
        using var valid = Certificate(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

        var renew = async () => await catalog.All.Single().AuthorizeRenewAsync(valid);

        (await renew.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
    }
}
