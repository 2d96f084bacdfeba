using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Tests.Kms.Azure;

public class EcdsaSignatureEncodingTests
{
    [TestCase(256, 32)]
    [TestCase(384, 48)]
    [TestCase(521, 66)]
    public void Raw_signatures_become_DER_that_verifies(int bits, int fieldBytes)
    {
        using var key = ECDsa.Create(bits switch { 256 => ECCurve.NamedCurves.nistP256, 384 => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 });
        var digest = SHA256.HashData("x"u8);
        for (var i = 0; i < 20; i++)
        {
            var raw = key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

            var der = EcdsaSignatureEncoding.RawToDer(raw, fieldBytes);

            key.VerifyHash(digest, der, DSASignatureFormat.Rfc3279DerSequence).Should().BeTrue();
        }
    }

    [Test]
    public void Leading_zeros_are_dropped_and_high_bits_get_a_sign_byte()
    {
        var raw = new byte[64];
        raw[31] = 0x01; // r = 1
        raw[32] = 0x80; // s has its top bit set

        var der = EcdsaSignatureEncoding.RawToDer(raw, 32);

        der.Take(5).Should().Equal(0x30, 3 + 2 + 33, 0x02, 0x01, 0x01);
        der.Skip(5).Take(3).Should().Equal(0x02, 33, 0x00);
    }

    [Test]
    public void A_signature_of_the_wrong_length_is_refused()
    {
        var convert = () => EcdsaSignatureEncoding.RawToDer(new byte[63], 32);

        convert.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.Internal);
    }
}
