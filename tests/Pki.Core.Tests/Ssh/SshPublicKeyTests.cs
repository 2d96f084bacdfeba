using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>Subject keys: what ssh-keygen makes is read, fingerprints agree, and unusable keys are bad requests.</summary>
public sealed class SshPublicKeyTests
{
    [TestCase("ed25519", 0, "ssh-ed25519-cert-v01@openssh.com")]
    [TestCase("ecdsa", 256, "ecdsa-sha2-nistp256-cert-v01@openssh.com")]
    [TestCase("ecdsa", 384, "ecdsa-sha2-nistp384-cert-v01@openssh.com")]
    [TestCase("ecdsa", 521, "ecdsa-sha2-nistp521-cert-v01@openssh.com")]
    [TestCase("rsa", 3072, "ssh-rsa-cert-v01@openssh.com")]
    public void Keys_from_ssh_keygen_are_read(string type, int bits, string certificateType)
    {
        using var keygen = new SshKeygen();
        var line = keygen.GenerateKey(type, bits);

        var key = SshPublicKey.ParseAuthorizedKey(line);

        key.CertificateType.Should().Be(certificateType);
        key.Fingerprint.Should().Be(keygen.Fingerprint(line));
        key.ToAuthorizedKey().Should().Be(string.Join(' ', line.Split(' ')[..2]));
    }

    [Test]
    public void Fido_keys_map_to_their_certificate_types()
    {
        var point = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportParameters(false).Q;
        Blob("sk-ecdsa-sha2-nistp256@openssh.com", "nistp256"u8.ToArray(), [4, .. point.X!, .. point.Y!], "ssh:"u8.ToArray())
            .Should().Be("sk-ecdsa-sha2-nistp256-cert-v01@openssh.com");
        Blob("sk-ssh-ed25519@openssh.com", new byte[32], "ssh:"u8.ToArray()).Should().Be("sk-ssh-ed25519-cert-v01@openssh.com");
    }

    [Test]
    public void Unusable_keys_are_bad_requests()
    {
        using var smallRsa = RSA.Create(1024);
        var p = smallRsa.ExportParameters(false);
        var point = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportParameters(false).Q;
        var offCurve = (byte[])[4, .. point.X!, .. point.Y!];
        offCurve[^1] ^= 1;
        var cases = new Func<string>[]
        {
            () => Blob("ssh-dss", [1], [2], [3], [4]),
            () => Blob("ssh-rsa", p.Exponent!, [0, .. p.Modulus!]),
            () => Blob("ssh-rsa", [2], [0, .. new byte[256].Select(_ => (byte)0xff)]),
            () => Blob("ecdsa-sha2-nistp256", "nistp256"u8.ToArray(), offCurve),
            () => Blob("ecdsa-sha2-nistp256", "nistp384"u8.ToArray(), [4, .. point.X!, .. point.Y!]),
            () => Blob("ssh-ed25519", new byte[31]),
            () => Blob("ssh-ed25519", new byte[32], [1]),
            () => Blob("x-unknown"),
            () => SshPublicKey.Parse([0, 0, 0, 9, (byte)'s']).Type,
            () => SshPublicKey.ParseAuthorizedKey("ssh-ed25519 not-base64").Type,
            () => SshPublicKey.ParseAuthorizedKey("ssh-rsa " + Convert.ToBase64String(Wire("ssh-ed25519", new byte[32]))).Type,
        };
        foreach (var act in cases)
        {
            FluentActions.Invoking(act).Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        }
    }

    [Test]
    public void Truncated_blobs_never_escape_as_another_exception()
    {
        using var keygen = new SshKeygen();
        var blob = Convert.FromBase64String(keygen.GenerateKey("ecdsa", 256).Split(' ')[1]);
        for (var length = 0; length < blob.Length; length++)
        {
            FluentActions.Invoking(() => SshPublicKey.Parse(blob.AsSpan(0, length))).Should().Throw<PkiException>();
        }
    }

    private static string Blob(string type, params byte[][] fields) => SshPublicKey.Parse(Wire(type, fields)).CertificateType;

    private static byte[] Wire(string type, params byte[][] fields)
    {
        using var stream = new MemoryStream();
        foreach (var field in fields.Prepend(Encoding.ASCII.GetBytes(type)))
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, field.Length);
            stream.Write(length);
            stream.Write(field);
        }

        return stream.ToArray();
    }
}
