using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Query;

namespace Smallstep.Pki.Tests.Storage.Query;

/// <summary>Queries over the rows a real step-ca 0.19 wrote, checked against the fixture's manifest, openssl and ssh-keygen.</summary>
public sealed partial class StepCaFixtureQueryTests
{
    private IKeyValueStore _store = null!;

    [OneTimeSetUp]
    public async Task Load() => _store = await StepCaFixtureStore.LoadAsync();

    [OneTimeTearDown]
    public async Task Dispose() => await _store.DisposeAsync();

    private Task<List<CertificateRecord>> QueryAsync(CertificateQuery query) => new CertificateRecordReader(_store).ReadAsync(query).ToListAsync().AsTask();

    [Test]
    public async Task Every_X509_certificate_is_listed_with_the_fields_the_manifest_records()
    {
        var listed = (await QueryAsync(new CertificateQuery { Kind = CertificateKind.X509 })).ToDictionary(c => c.Serial);

        var expected = StepCaFixtureStore.Manifest.GetProperty("x509_certificates").EnumerateArray().ToList();
        listed.Should().HaveCount(expected.Count);
        foreach (var entry in expected)
        {
            var certificate = listed[entry.GetProperty("serial_decimal").GetString()!];
            certificate.Kind.Should().Be(CertificateKind.X509);
            certificate.Subject.Should().Be(entry.GetProperty("subject").GetString());
            certificate.NotBefore.Should().Be(DateTimeOffset.Parse(entry.GetProperty("not_before").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            certificate.NotAfter.Should().Be(DateTimeOffset.Parse(entry.GetProperty("not_after").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            certificate.Fingerprint.Should().Be(entry.GetProperty("sha256_fingerprint").GetString());
            certificate.Revoked.Should().Be(entry.GetProperty("status").GetString() == "revoked");
            certificate.Issuer.Should().Be("CN=Fixture Intermediate CA,O=Fixture");
            using var reference = X509Certificate2.CreateFromPem(Fixtures.Text("mysql", entry.GetProperty("file").GetString()!.Split(' ')[0]));
            certificate.Encoded.ToArray().Should().Equal(reference.RawData);
            certificate.Names.Should().Equal(reference.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        }
    }

    [Test]
    public async Task The_revoked_certificate_carries_its_revocation_row()
    {
        var revoked = StepCaFixtureStore.Manifest.GetProperty("revoked");

        var certificate = (await QueryAsync(new CertificateQuery { Revoked = true })).Should().ContainSingle().Subject;

        certificate.Serial.Should().Be(revoked.GetProperty("serial_decimal").GetString());
        certificate.Revocation!.ReasonCode.Should().Be(1);
        certificate.Revocation.Reason.Should().Be("fixture: key compromise test");
        certificate.Revocation.RevokedAt.Should().Be(DateTimeOffset.Parse("2026-11-22T13:34:07.746526412Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task The_provisioner_comes_from_the_metadata_row_and_for_renewed_certificates_from_the_extension()
    {
        var all = (await QueryAsync(new CertificateQuery { Kind = CertificateKind.X509 })).ToDictionary(c => c.Serial);
        var certificates = StepCaFixtureStore.Manifest.GetProperty("x509_certificates").EnumerateArray().ToList();
        var signed = all[certificates[0].GetProperty("serial_decimal").GetString()!];
        var renewed = all[certificates.Single(c => c.TryGetProperty("renewed_from_serial_decimal", out _)).GetProperty("serial_decimal").GetString()!];
        var acme = all[StepCaFixtureStore.Manifest.GetProperty("acme").GetProperty("certificate_serial_decimal").GetString()!];

        signed.Provisioner.Should().Be(new ProvisionerReference("fixture-admin:RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw", "fixture-admin", "JWK"));
        // step-ca 0.19 wrote no x509_certs_data row on renew: the provisioner extension names it, without an ID.
        renewed.Provisioner.Should().Be(new ProvisionerReference("", "fixture-admin", "JWK"));
        acme.Provisioner!.Name.Should().Be("acme");
        acme.Provisioner.Type.Should().Be("ACME");
    }

    [Test]
    public async Task SSH_certificates_match_what_ssh_keygen_reads_from_the_same_files()
    {
        var listed = (await QueryAsync(new CertificateQuery { Kind = CertificateKind.Ssh })).ToDictionary(c => c.Serial);

        listed.Should().HaveCount(2);
        foreach (var file in new[] { "ssh-user-key-cert.pub", "ssh-host-key-cert.pub" })
        {
            var path = Fixtures.Path("mysql", "certs", file);
            var described = ExternalCommand.Run("ssh-keygen", "-L", "-f", path);
            var serial = Regex.Match(described, @"Serial: (\d+)").Groups[1].Value;
            var certificate = listed[serial];
            certificate.Subject.Should().Be(Regex.Match(described, "Key ID: \"(.*)\"").Groups[1].Value);
            certificate.SshCertificateType.Should().Be(Regex.Match(described, @"Type: \S+ (user|host) certificate").Groups[1].Value);
            certificate.Names.Should().Equal(Regex.Match(described, @"Principals: \n((?:\s{16}\S+\n)+)").Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var valid = Regex.Match(described, @"Valid: from (\S+) to (\S+)");
            // ssh-keygen prints local time without a zone; the test process and ssh-keygen share TZ.
            certificate.NotBefore.ToLocalTime().DateTime.Should().Be(DateTime.Parse(valid.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            certificate.NotAfter.ToLocalTime().DateTime.Should().Be(DateTime.Parse(valid.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            certificate.Fingerprint.Should().Be(ExternalCommand.Run("ssh-keygen", "-l", "-E", "sha256", "-f", path).Split(' ')[1]);
            certificate.Encoded.ToArray().Should().Equal(Convert.FromBase64String(File.ReadAllText(path).Split(' ')[1]));
            certificate.Provisioner.Should().BeNull("step-ca stores SSH certificates without metadata");
        }
    }
}
