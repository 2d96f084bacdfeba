using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Kms;

/// <summary>Builds SSH wire public keys independently of the code under test.</summary>
internal static class SshWireKey
{
    /// <summary>The SSH wire public key (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) from a SubjectPublicKeyInfo.</summary>
    public static byte[] FromSubjectPublicKeyInfo(ReadOnlyMemory<byte> spki, KeyAlgorithm algorithm)
    {
        using var wire = new MemoryStream();
        switch (algorithm)
        {
            case var _ when algorithm == KeyAlgorithm.Ed25519:
                WriteString(wire, "ssh-ed25519"u8);
                WriteString(wire, spki.Span[^32..]);
                break;
            case var _ when algorithm == KeyAlgorithm.Rsa:
            {
                using var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(spki.Span, out _);
                var parameters = rsa.ExportParameters(false);
                WriteString(wire, "ssh-rsa"u8);
                WriteString(wire, Mpint(parameters.Exponent!));
                WriteString(wire, Mpint(parameters.Modulus!));
                break;
            }
            default:
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportSubjectPublicKeyInfo(spki.Span, out _);
                var q = ecdsa.ExportParameters(false).Q;
                var curve = "nistp" + (algorithm switch { _ when algorithm == KeyAlgorithm.EcdsaP256 => 256, _ when algorithm == KeyAlgorithm.EcdsaP384 => 384, _ => 521 });
                WriteString(wire, Encoding.ASCII.GetBytes("ecdsa-sha2-" + curve));
                WriteString(wire, Encoding.ASCII.GetBytes(curve));
                WriteString(wire, [4, .. q.X!, .. q.Y!]);
                break;
            }
        }
        return wire.ToArray();
    }

    private static byte[] Mpint(byte[] unsigned) => (unsigned[0] & 0x80) != 0 ? [0, .. unsigned] : unsigned;

    private static void WriteString(Stream stream, ReadOnlySpan<byte> value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        stream.Write(length);
        stream.Write(value);
    }
}
