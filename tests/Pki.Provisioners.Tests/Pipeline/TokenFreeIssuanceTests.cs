using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Tests.Jwk;

namespace Smallstep.Pki.Tests.Pipeline;

/// <summary>
/// Issuance apart from how a request was authorized: a provisioner type of this test assembly
/// authorizes by the TLS client certificate alone, X.509 and SSH certificates come out of the same
/// runner, and its own recording step commits with the certificate record or not at all.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class TokenFreeIssuanceTests : IDisposable
{
    private readonly SoftKeyManager _keys = new(new SoftKmsOptions { PasswordProvider = _ => "fixture-test-password" });
    private readonly MemoryKeyValueStore _memory = new([.. StepTables.Authority, DeviceProvisioner.EnrollmentTable]);
    private readonly FailingKeyValueStore _store;
    private readonly X509Certificate2 _deviceCa;
    private readonly ECDsa _deviceCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly CertificateAuthority _x509;
    private readonly SshAuthority _ssh;
    private readonly ProvisionerCatalog _catalog;

    public TokenFreeIssuanceTests()
    {
        _store = new FailingKeyValueStore(_memory);
        var caRequest = new CertificateRequest("CN=Device CA", _deviceCaKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _deviceCa = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var registration = new ProvisionerTypeRegistration("Device", (entry, context) => new DeviceProvisioner(entry, context, _deviceCa));
        using var entry = JsonDocument.Parse("""{"type":"Device","name":"devices","claims":{"enableSSHCA":true}}""");
        var config = ProvisionerConfig.FromJson(entry.RootElement.Clone());
        var catalog = _catalog = new ProvisionerCatalog([registration.Create(config, new ProvisionerBuildContext(ClaimSet.Global.Merge(config.Claims), "test", clock, null, registration))]);
        var intermediate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"));
        var signer = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "intermediate_ca_key")).AsTask().GetAwaiter().GetResult();
        var audiences = new Audiences(["localhost"]);
        _x509 = new CertificateAuthority(new CertificateAuthorityOptions { Issuer = new X509Issuer([intermediate], signer), Roots = [root], Audiences = audiences },
            catalog, new KeyValueCertificateStore(_store), new KeyValueRevocationStore(_store), new KeyValueTokenReplayStore(_store), clock, NullLogger<CertificateAuthority>.Instance);
        var host = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "ssh_host_ca_key")).AsTask().GetAwaiter().GetResult();
        _ssh = new SshAuthority(new SshAuthorityOptions { HostSigner = host, Audiences = audiences }, catalog, new KeyValueSshCertificateStore(_store), clock,
            NullLogger<SshAuthority>.Instance);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _memory.Dispose();
        _deviceCaKey.Dispose();
        _deviceCa.Dispose();
    }

    [Test]
    public async Task A_device_certificate_alone_gets_an_x509_certificate_and_its_enrollment_is_recorded_with_it()
    {
        using var device = Device("sensor-1");
        var issued = await _x509.SignAsync(new SignRequest(Csr("sensor-1"), null) { ClientCertificate = device });

        using var leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        leaf.Subject.Should().Be("CN=sensor-1");
        ProvisionerExtension.Read(leaf)!.Value.Name.Should().Be("devices", "the standard stages ran for a plan that never asked for them");
        (await Rows(StepTables.X509Certs)).Should().Be(1);
        (await Rows(DeviceProvisioner.EnrollmentTable)).Should().Be(1);
    }

    [Test]
    public async Task The_same_pipeline_signs_an_ssh_certificate_for_a_device_certificate_alone()
    {
        using var device = Device("sensor-2");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = await _ssh.SignAsync(new SshSignRequest(SshPublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()), null, new SshSignOptions()) { ClientCertificate = device });

        result.Certificate.Description.Type.Should().Be(SshCertificateType.Host);
        result.Certificate.Description.Principals.Should().Equal("sensor-2");
        (result.Certificate.Description.ValidBefore - result.Certificate.Description.ValidAfter).Should().Be(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1), "the standard default duration applies");
        (await Rows(StepTables.SshCerts)).Should().Be(1);
        (await Rows(DeviceProvisioner.EnrollmentTable)).Should().Be(1);
    }

    [Test]
    public async Task A_second_enrollment_is_refused_and_writes_nothing()
    {
        using var device = Device("sensor-3");
        await _x509.SignAsync(new SignRequest(Csr("sensor-3"), null) { ClientCertificate = device });

        var again = async () => await _x509.SignAsync(new SignRequest(Csr("sensor-3"), null) { ClientCertificate = device });

        (await again.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);
        (await Rows(StepTables.X509Certs)).Should().Be(1);
    }

    [Test]
    public async Task A_failure_between_signing_and_storing_records_neither_the_certificate_nor_the_enrollment()
    {
        using var device = Device("sensor-4");
        _store.FailNextBatch = true;

        var failed = async () => await _x509.SignAsync(new SignRequest(Csr("sensor-4"), null) { ClientCertificate = device });

        await failed.Should().ThrowAsync<IOException>();
        (await Rows(StepTables.X509Certs)).Should().Be(0);
        (await Rows(DeviceProvisioner.EnrollmentTable)).Should().Be(0, "the recording step commits with the certificate or not at all");
        var retried = await _x509.SignAsync(new SignRequest(Csr("sensor-4"), null) { ClientCertificate = device });
        retried.LeafDer.Should().NotBeEmpty("the device was not marked enrolled by the failed attempt");
        (await Rows(DeviceProvisioner.EnrollmentTable)).Should().Be(1);
    }

    [Test]
    public async Task A_plan_built_by_the_caller_runs_the_stages_without_the_ones_it_opted_out_of_but_not_the_limits()
    {
        var devices = _catalog.FindByName("devices")!;
        var subject = new TemplateInput(DistinguishedName.FromCommonName("in-process"), SubjectAlternativeNames.Split([]));
        var plan = new SignAuthorization(devices, subject) { OptOut = StandardStages.ProvisionerExtension };

        var issued = await _x509.IssueAsync(new SignRequest(Csr("in-process"), null), plan);
        var tooLong = new SignAuthorization(devices, subject) { OptOut = StandardStages.ProvisionerExtension };
        var refused = async () => await _x509.IssueAsync(new SignRequest(Csr("in-process"), null, NotAfter: Time.TimeDuration.Parse("25h")), tooLong);

        using var leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        ProvisionerExtension.Read(leaf).Should().BeNull("the plan opted out of the provisioner extension");
        (leaf.NotAfter - leaf.NotBefore).Should().Be(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1), "the default validity still ran");
        var refusal = (await refused.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Forbidden, "the claims' maximum cannot be opted out of");
        refusal.Message.Should().Contain("more than the authorized maximum certificate duration");
    }

    [Test]
    public async Task A_client_certificate_of_another_issuer_is_routed_nowhere()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = new CertificateRequest("CN=stranger", other, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var act = async () => await _x509.SignAsync(new SignRequest(Csr("stranger"), null) { ClientCertificate = stranger });

        (await act.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
        (await Rows(StepTables.X509Certs)).Should().Be(0);
    }

    private X509Certificate2 Device(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var cert = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256)
            .Create(_deviceCa, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        return cert.CopyWithPrivateKey(key);
    }

    private static CertificationRequest Csr(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return CertificationRequest.Parse(new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256).CreateSigningRequest());
    }

    private async Task<int> Rows(string table)
    {
        var count = 0;
        await foreach (var _ in _memory.ListAsync(table))
        {
            count++;
        }
        return count;
    }
}
