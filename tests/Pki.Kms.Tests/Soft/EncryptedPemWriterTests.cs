using System.Text.RegularExpressions;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>Keys written as step writes them, readable by openssl and by our reader.</summary>
public partial class EncryptedPemWriterTests
{
    private const string Password = "writer-test-password";

    [Test]
    public void Ec_key_has_the_exact_layout_step_writes()
    {
        using var key = SoftPrivateKey.Generate(KeyAlgorithm.EcdsaP256);

        var pem = EncryptedPemWriter.Write(key, Password);

        LegacyLayout().IsMatch(pem).Should().BeTrue(pem);
        pem.Should().StartWith("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,");
        // Same size and line structure as step-ca 0.19's own P-256 key file.
        var fixture = Fixtures.Text("pki", "secrets", "root_ca_key");
        pem.Length.Should().Be(fixture.Length).And.Be(314);
        pem.Split('\n').Select(l => l.Length).Skip(3).Should().Equal(fixture.Split('\n').Select(l => l.Length).Skip(3));
    }

    [TestCase(nameof(KeyAlgorithm.EcdsaP256), "ec", "EC PRIVATE KEY")]
    [TestCase(nameof(KeyAlgorithm.EcdsaP521), "ec", "EC PRIVATE KEY")]
    [TestCase(nameof(KeyAlgorithm.Rsa), "rsa", "RSA PRIVATE KEY")]
    [TestCase(nameof(KeyAlgorithm.Ed25519), "pkey", "ENCRYPTED PRIVATE KEY")]
    public void Openssl_and_our_reader_read_the_output(KeyAlgorithm algorithm, string command, string type)
    {
        using var dir = new TempDirectory();
        using var key = SoftPrivateKey.Generate(algorithm);
        var pem = EncryptedPemWriter.Write(key, Password);
        File.WriteAllText(dir.File("key.pem"), pem);

        pem.Should().StartWith($"-----BEGIN {type}-----\n");
        Tools.OpenSsl(command, "-in", dir.File("key.pem"), "-passin", "pass:" + Password, "-pubout", "-outform", "DER", "-out", dir.File("pub.der"));
        File.ReadAllBytes(dir.File("pub.der")).Should().Equal(key.SubjectPublicKeyInfo.ToArray());
        Tools.Run("openssl", command, "-in", dir.File("key.pem"), "-passin", "pass:wrong-password", "-noout").ExitCode.Should().NotBe(0);
        using var reread = PemPrivateKeyReader.Parse(pem, Password);
        reread.SubjectPublicKeyInfo.ToArray().Should().Equal(key.SubjectPublicKeyInfo.ToArray());
    }

    [Test]
    public void Ed25519_uses_pbes2_pbkdf2_sha256_600000_aes256()
    {
        using var dir = new TempDirectory();
        using var key = SoftPrivateKey.Generate(KeyAlgorithm.Ed25519);
        File.WriteAllText(dir.File("key.pem"), EncryptedPemWriter.Write(key, Password));

        var asn1 = Tools.OpenSsl("asn1parse", "-in", dir.File("key.pem"));

        asn1.Should().Contain(":PBES2").And.Contain(":PBKDF2").And.Contain(":hmacWithSHA256").And.Contain(":aes-256-cbc");
        asn1.Should().Contain("INTEGER           :0927C0", "600000 iterations");
        EncryptedPemWriter.Pkcs8Iterations.Should().Be(600_000);
    }

    [Test]
    public void Empty_password_is_refused()
    {
        using var key = SoftPrivateKey.Generate(KeyAlgorithm.EcdsaP256);

        var write = () => EncryptedPemWriter.Write(key, "");

        write.Should().Throw<ArgumentException>();
    }

    [GeneratedRegex("^-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,[0-9a-f]{32}\n\n([A-Za-z0-9+/]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END EC PRIVATE KEY-----\n$")]
    private static partial Regex LegacyLayout();
}
