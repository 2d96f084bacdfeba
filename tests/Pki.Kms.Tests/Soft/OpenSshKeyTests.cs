using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>Unencrypted OpenSSH private keys made by the real ssh-keygen.</summary>
public class OpenSshKeyTests
{
    [TestCase("ed25519", null, nameof(KeyAlgorithm.Ed25519))]
    [TestCase("ecdsa", "256", nameof(KeyAlgorithm.EcdsaP256))]
    [TestCase("ecdsa", "384", nameof(KeyAlgorithm.EcdsaP384))]
    [TestCase("ecdsa", "521", nameof(KeyAlgorithm.EcdsaP521))]
    [TestCase("rsa", "2048", nameof(KeyAlgorithm.Rsa))]
    [TestCase("rsa", "3072", nameof(KeyAlgorithm.Rsa))]
    public async Task Reads_ssh_keygen_keys(string type, string? bits, KeyAlgorithm algorithm)
    {
        using var dir = new TempDirectory();
        var args = new List<string> { "-q", "-t", type, "-N", "", "-C", "comment", "-f", dir.File("id") };
        if (bits is not null)
        {
            args.AddRange(["-b", bits]);
        }
        Tools.Ok("ssh-keygen", [.. args]);

        using var key = PemPrivateKeyReader.Parse(File.ReadAllText(dir.File("id")));

        key.Algorithm.Should().Be(algorithm);
        var publicLine = File.ReadAllText(dir.File("id.pub")).Split(' ');
        Convert.ToBase64String(SshWireKey.FromSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, algorithm)).Should().Be(publicLine[1]);
        var data = "ssh"u8.ToArray();
        SignatureCheck.Verify(key.SubjectPublicKeyInfo, algorithm, data, await key.Signer.SignAsync(data)).Should().BeTrue();
    }

    [Test]
    public void Encrypted_openssh_keys_are_refused_clearly()
    {
        using var dir = new TempDirectory();
        Tools.Ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret-passphrase", "-f", dir.File("id"));

        var read = () => PemPrivateKeyReader.Parse(File.ReadAllText(dir.File("id")), "secret-passphrase");

        read.Should().Throw<PkiException>().WithMessage("*encrypted OpenSSH private keys (aes256-ctr/bcrypt) are not supported*");
    }
}
