using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>
/// Reading back a certificate a client presents (an SSHPOP header): every field, and the CA
/// signature checked for each CA key type; tampering, another CA key and malformed blobs refused.
/// </summary>
public sealed class PresentedSshCertificateTests
{
    private static readonly DateTimeOffset After = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private SshKeygen keygen = null!;

    [SetUp]
    public void SetUp() => keygen = new SshKeygen();

    [TearDown]
    public void TearDown() => keygen.Dispose();

    [TestCase("ecdsa-p256", "ed25519", 0)]
    [TestCase("ecdsa-p384", "ecdsa", 384)]
    [TestCase("ecdsa-p521", "rsa", 2048)]
    [TestCase("ed25519", "ecdsa", 256)]
    [TestCase("rsa-sha256", "ecdsa", 521)]
    [TestCase("rsa-sha512", "ed25519", 0)]
    public async Task Every_field_is_read_back_and_the_signing_ca_key_verifies(string ca, string keyType, int bits)
    {
        using var signer = SshTestSigner.Create(ca);
        using var other = SshTestSigner.Create(ca);
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey(keyType, bits));
        var signed = await SshCertificateSigner.SignAsync(Description(), subject, signer);

        var presented = PresentedSshCertificate.Parse(signed.Blob.Span);

        presented.Description.Should().BeEquivalentTo(signed.Description, o => o.Excluding(d => d.Nonce).Excluding(d => d.Reserved));
        presented.Description.Nonce.ToArray().Should().Equal(signed.Description.Nonce.ToArray());
        presented.ValidAfter.Should().Be((ulong)After.ToUnixTimeSeconds());
        presented.SubjectKey.Blob.ToArray().Should().Equal(subject.Blob.ToArray());
        presented.Certificate.Type.Should().Be(subject.CertificateType);
        presented.IsSignedBy(signed.SigningKey).Should().BeTrue();
        presented.IsSignedBy(SshPublicKey.FromSubjectPublicKeyInfo(other.SubjectPublicKeyInfo.Span)).Should().BeFalse("another key of the same type did not sign it");
    }

    [Test]
    public async Task A_changed_byte_anywhere_in_the_signed_fields_or_the_signature_breaks_the_signature()
    {
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var signed = await SshCertificateSigner.SignAsync(Description(), subject, signer);
        var blob = signed.Blob.ToArray();
        // The key id "host-1" → "host-2", then the last byte of the signature.
        var keyId = blob.AsSpan().IndexOf("host-1"u8);
        foreach (var index in new[] { keyId + 5, blob.Length - 1 })
        {
            var tampered = blob.ToArray();
            tampered[index] ^= 0x03;

            PresentedSshCertificate.Parse(tampered).IsSignedBy(signed.SigningKey).Should().BeFalse();
        }
    }

    [Test]
    public async Task Truncated_extended_and_plain_key_blobs_are_not_certificates()
    {
        using var signer = SshTestSigner.Create("ed25519");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var blob = (await SshCertificateSigner.SignAsync(Description(), subject, signer)).Blob.ToArray();

        foreach (var bad in new[] { blob[..^1], [.. blob, 0], subject.Blob.ToArray(), [], new byte[] { 0xff, 0xff, 0xff, 0xff } })
        {
            var parse = () => PresentedSshCertificate.Parse(bad);

            parse.Should().Throw<FormatException>();
        }
    }

    private static SshCertificateDescription Description() => new()
    {
        Type = SshCertificateType.Host,
        KeyId = "host-1",
        Principals = ["web1.internal", "10.0.0.5"],
        ValidAfter = After,
        ValidBefore = After.AddDays(30),
        CriticalOptions = new Dictionary<string, string> { ["force-command"] = "/bin/true", ["source-address"] = "10.0.0.0/8" },
        Extensions = new Dictionary<string, string> { ["permit-pty"] = "" },
    };
}
