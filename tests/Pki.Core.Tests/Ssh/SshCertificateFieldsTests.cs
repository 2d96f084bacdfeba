using System.Text.RegularExpressions;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>The OpenSSH certificate reader against certificates signed and described by ssh-keygen.</summary>
public sealed class SshCertificateFieldsTests
{
    private TempDirectory _directory = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _directory = new TempDirectory();
        ExternalCommand.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", _directory.File("ca"));
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [TestCase("ed25519", "")]
    [TestCase("ecdsa", "384")]
    [TestCase("rsa", "2048")]
    [TestCase("ecdsa-sk", "")]
    public void Fields_match_ssh_keygen_for_each_key_type(string type, string bits)
    {
        var blob = Sign(type, bits, ["-I", "alice@example.com", "-n", "alice,root", "-z", "18446744073709551615", "-V", "20300101000000Z:20300102123456Z"], out var path);

        var fields = SshCertificateFields.Parse(blob);

        fields.KeyId.Should().Be("alice@example.com");
        fields.Principals.Should().Equal("alice", "root");
        fields.Serial.Should().Be(ulong.MaxValue);
        fields.CertificateType.Should().Be("user");
        fields.NotBefore.Should().Be(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        fields.NotAfter.Should().Be(new DateTimeOffset(2030, 1, 2, 12, 34, 56, TimeSpan.Zero));
        fields.Fingerprint.Should().Be(ExternalCommand.Run("ssh-keygen", "-l", "-E", "sha256", "-f", path).Split(' ')[1]);
        Regex.Match(ExternalCommand.Run("ssh-keygen", "-L", "-f", path), @"Type: (\S+) ").Groups[1].Value.Should().Be(fields.KeyType);
    }

    [Test]
    public void A_host_certificate_valid_forever_without_principals()
    {
        var blob = Sign("ed25519", "", ["-h", "-I", "host-1", "-z", "5"], out _);

        var fields = SshCertificateFields.Parse(blob);

        fields.CertificateType.Should().Be("host");
        fields.Principals.Should().BeEmpty();
        fields.NotBefore.Should().Be(DateTimeOffset.UnixEpoch);
        fields.NotAfter.Should().Be(DateTimeOffset.MaxValue);
    }

    [Test]
    public void Truncated_or_corrupted_blobs_are_a_FormatException_never_another_exception()
    {
        var blob = Sign("ecdsa", "256", ["-I", "fuzz", "-n", "a,b,c"], out _);
        var random = new Random(99);
        var inputs = Enumerable.Range(0, blob.Length).Select(n => blob[..n])
            .Concat(Enumerable.Range(0, 3000).Select(_ =>
            {
                var copy = (byte[])blob.Clone();
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            }));
        foreach (var input in inputs)
        {
            try
            {
                SshCertificateFields.Parse(input);
            }
            catch (FormatException)
            {
                // The one failure the reader may report.
            }
        }
        FluentActions.Invoking(() => SshCertificateFields.Parse([0, 0, 0, 3, (byte)'x', (byte)'y', (byte)'z'])).Should().Throw<FormatException>().WithMessage("*unknown SSH certificate type*");
    }

    private byte[] Sign(string type, string bits, string[] options, out string certificatePath)
    {
        var key = _directory.File(Guid.NewGuid().ToString("N"));
        string[] size = bits.Length > 0 ? ["-b", bits] : [];
        if (type == "ecdsa-sk")
        {
            // No FIDO authenticator here: the public key line is written from its wire format, and
            // ssh-keygen certifies it like any other public key.
            File.WriteAllText(key + ".pub", "sk-ecdsa-sha2-nistp256@openssh.com " + Convert.ToBase64String(SkEcdsaPublicKey()) + " test\n");
        }
        else
        {
            ExternalCommand.Run("ssh-keygen", ["-q", "-t", type, .. size, "-N", "", "-f", key]);
        }
        ExternalCommand.Run("ssh-keygen", ["-q", "-s", _directory.File("ca"), .. options, key + ".pub"]);
        certificatePath = key + "-cert.pub";
        return Convert.FromBase64String(File.ReadAllText(certificatePath).Split(' ')[1]);
    }

    // string "sk-ecdsa-sha2-nistp256@openssh.com", string "nistp256", string Q (uncompressed point), string application.
    private static byte[] SkEcdsaPublicKey()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(false).Q;
        byte[] point = [0x04, .. p.X!, .. p.Y!];
        var wire = new List<byte>();
        void String(byte[] value)
        {
            wire.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes(value.Length).Reverse() : BitConverter.GetBytes(value.Length));
            wire.AddRange(value);
        }
        String("sk-ecdsa-sha2-nistp256@openssh.com"u8.ToArray());
        String("nistp256"u8.ToArray());
        String(point);
        String("ssh:"u8.ToArray());
        return [.. wire];
    }
}
