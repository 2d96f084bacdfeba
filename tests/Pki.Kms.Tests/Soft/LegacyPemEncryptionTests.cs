using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Kms.Soft.Encryption;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>The RFC 1423 key derivation and the wrong-password safeguards.</summary>
public class LegacyPemEncryptionTests
{
    [TestCase("pw", 32)]
    [TestCase("fixture-test-password", 24)]
    [TestCase("pässwörd", 16)]
    public void Key_derivation_is_openssls_EVP_BytesToKey(string password, int keyLength)
    {
        var cipher = keyLength switch { 32 => "-aes-256-cbc", 24 => "-aes-192-cbc", _ => "-aes-128-cbc" };
        var output = Tools.OpenSsl("enc", cipher, "-md", "md5", "-S", "0102030405060708", "-pass", "pass:" + password, "-P");
        var expected = output.Split('\n').Single(l => l.StartsWith("key=", StringComparison.Ordinal))[4..].Trim();

        var key = LegacyPemEncryption.DeriveKey(password, [1, 2, 3, 4, 5, 6, 7, 8], keyLength);

        Convert.ToHexString(key).Should().Be(expected);
    }

    [Test]
    public void A_wrong_password_that_passes_the_padding_check_is_still_refused()
    {
        var pem = Fixtures.Text("pki", "secrets", "root_ca_key");
        var lines = pem.Split('\n');
        var iv = Convert.FromHexString(lines[2].Split(',')[1]);
        var body = Convert.FromBase64String(string.Concat(lines[4..^2]));

        // Find a wrong password whose decryption ends in valid PKCS#7 padding (about 1 in 256).
        var wrong = Enumerable.Range(0, 100_000).Select(i => "wrong-" + i).First(candidate =>
        {
            using var aes = Aes.Create();
            aes.Key = LegacyPemEncryption.DeriveKey(candidate, iv.AsSpan(0, 8), 32);
            var plain = aes.DecryptCbc(body, iv, PaddingMode.None);
            var pad = plain[^1];
            return pad is > 0 and <= 16 && plain[^pad..].All(b => b == pad);
        });

        var read = () => PemPrivateKeyReader.Parse(pem, wrong);

        read.Should().Throw<PkiException>().Where(e => e.Message.Contains("incorrect password", StringComparison.Ordinal));
    }
}
