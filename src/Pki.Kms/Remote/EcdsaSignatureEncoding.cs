using System.Formats.Asn1;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Remote;

/// <summary>
/// ECDSA signatures as JOSE returns them (RFC 7518 §3.4: <c>r || s</c>, each the curve's byte
/// length) turned into X.509's DER <c>Ecdsa-Sig-Value</c> (RFC 3279 §2.2.3), as step's azurekms
/// signer does.
/// </summary>
internal static class EcdsaSignatureEncoding
{
    /// <summary>Converts a raw <c>r || s</c> signature of a curve with <paramref name="fieldBytes"/>-byte coordinates (32, 48, 66).</summary>
    /// <exception cref="PkiException">Internal when the length does not match the curve (the service answered nonsense).</exception>
    public static byte[] RawToDer(ReadOnlySpan<byte> raw, int fieldBytes)
    {
        if (raw.Length != 2 * fieldBytes)
        {
            throw PkiException.Internal($"unexpected ECDSA signature length {raw.Length} (expected {2 * fieldBytes})");
        }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(raw[..fieldBytes]));
            writer.WriteIntegerUnsigned(Minimal(raw[fieldBytes..]));
        }
        return writer.Encode();
    }

    // DER integers are minimal (X.690 §8.3.2): r and s are fixed-width here, so drop leading zeros.
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }
        return value[start..];
    }
}
