using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Tests.Kms;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>The keys step-ca 0.19 wrote (fixtures/step-ca-0.19/pki/secrets and issued/).</summary>
public class FixtureKeyTests
{
    private const string Password = "fixture-test-password";

    [TestCase("root_ca_key")]
    [TestCase("intermediate_ca_key")]
    [TestCase("ssh_host_ca_key")]
    [TestCase("ssh_user_ca_key")]
    public void Step_ca_keys_decrypt_to_P256_keys(string name)
    {
        using var key = PemPrivateKeyReader.Parse(Fixtures.Text("pki", "secrets", name), Password);

        key.Algorithm.Should().Be(KeyAlgorithm.EcdsaP256);
    }

    [Test]
    public void The_password_file_is_the_fixture_password()
    {
        Fixtures.Text("pki", "password.txt").TrimEnd().Should().Be(Password);
    }

    [TestCase("root_ca_key", "root_ca.crt")]
    [TestCase("intermediate_ca_key", "intermediate_ca.crt")]
    public void Ca_key_matches_its_certificate(string keyFile, string certificateFile)
    {
        using var key = PemPrivateKeyReader.Parse(Fixtures.Text("pki", "secrets", keyFile), Password);
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", certificateFile));

        key.SubjectPublicKeyInfo.ToArray().Should().Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [TestCase("ssh_host_ca_key", "ssh_host_ca_key.pub", "b/rips2eg3Xm0fKhvkKHO5mOyej3livYTdcsj4A4ZkQ")]
    [TestCase("ssh_user_ca_key", "ssh_user_ca_key.pub", "ZOMGt4MCtkXjlVpp4o2Pee+lvzPNAUXHpRhgQMAnnuA")]
    public void Ssh_ca_key_matches_its_public_key_and_fingerprint(string keyFile, string publicKeyFile, string fingerprint)
    {
        using var key = PemPrivateKeyReader.Parse(Fixtures.Text("pki", "secrets", keyFile), Password);

        var wire = SshWireKey.FromSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256);

        Fixtures.Text("pki", "certs", publicKeyFile).Should().Be($"ecdsa-sha2-nistp256 {Convert.ToBase64String(wire)}\n");
        Convert.ToBase64String(SHA256.HashData(wire)).TrimEnd('=').Should().Be(fingerprint);
    }

    [Test]
    public void The_intermediate_key_signs_what_its_certificate_verifies()
    {
        using var key = PemPrivateKeyReader.Parse(Fixtures.Text("pki", "secrets", "intermediate_ca_key"), Password);
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        var data = "to be signed"u8.ToArray();

        var signature = key.Signer.SignAsync(data).AsTask().Result;

        certificate.GetECDsaPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            .Should().BeTrue();
    }

    [TestCase("root_ca_key")]
    [TestCase("ssh_user_ca_key")]
    public void Wrong_password_is_reported_as_such(string name)
    {
        var read = () => PemPrivateKeyReader.Parse(Fixtures.Text("pki", "secrets", name), "not-the-password");

        read.Should().Throw<PkiException>()
            .Where(e => e.Kind == PkiErrorKind.BadRequest && e.Message.Contains("incorrect password", StringComparison.Ordinal));
    }

    [Test]
    public void Encrypted_key_without_password_is_reported()
    {
        var read = () => PemPrivateKeyReader.Parse(Fixtures.Text("pki", "secrets", "root_ca_key"));

        read.Should().Throw<PkiException>().WithMessage("*password protected*");
    }

    [TestCase("ec-p256", nameof(KeyAlgorithm.EcdsaP256))]
    [TestCase("email-uri", nameof(KeyAlgorithm.EcdsaP256))]
    [TestCase("rsa-2048", nameof(KeyAlgorithm.Rsa))]
    [TestCase("ed25519", nameof(KeyAlgorithm.Ed25519))]
    public void Issued_pkcs8_keys_load_and_match_their_certificates(string name, KeyAlgorithm algorithm)
    {
        using var key = PemPrivateKeyReader.Parse(Fixtures.Text("issued", name + ".key"));
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("issued", name + ".crt"));

        key.Algorithm.Should().Be(algorithm);
        key.SubjectPublicKeyInfo.ToArray().Should().Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }
}
