using System.Formats.Asn1;

namespace Smallstep.Pki.Issuance;

/// <summary>The algorithm family of a subject public key.</summary>
public enum PublicKeyKind
{
    /// <summary>An elliptic-curve key (id-ecPublicKey).</summary>
    Ec,
    /// <summary>An RSA key.</summary>
    Rsa,
    /// <summary>An Ed25519 key.</summary>
    Ed25519,
    /// <summary>Anything else (refused by the default key validator).</summary>
    Other,
}

/// <summary>What the pipeline needs to know about a public key.</summary>
/// <param name="Kind">The algorithm family.</param>
/// <param name="Bits">Key size: the RSA modulus length or the curve size.</param>
/// <param name="CurveOid">The named curve for EC keys.</param>
/// <param name="KeyBits">The subjectPublicKey BIT STRING content (hashed for the SKI, RFC 5280 §4.2.1.2).</param>
public sealed record SubjectPublicKey(PublicKeyKind Kind, int Bits, string? CurveOid, byte[] KeyBits)
{
    /// <summary>Decodes a DER SubjectPublicKeyInfo.</summary>
    public static SubjectPublicKey Decode(ReadOnlyMemory<byte> spki)
    {
        var reader = new AsnReader(spki, AsnEncodingRules.DER);
        var seq = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var algorithm = seq.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        string? curve = null;
        if (oid == Oids.EcPublicKey)
        {
            curve = algorithm.ReadObjectIdentifier();
        }
        var keyBits = seq.ReadBitString(out _);
        seq.ThrowIfNotEmpty();
        return oid switch
        {
            Oids.EcPublicKey => new SubjectPublicKey(PublicKeyKind.Ec, CurveBits(curve), curve, keyBits),
            Oids.Rsa => new SubjectPublicKey(PublicKeyKind.Rsa, RsaModulusBits(keyBits), null, keyBits),
            Oids.Ed25519 => new SubjectPublicKey(PublicKeyKind.Ed25519, 256, null, keyBits),
            _ => new SubjectPublicKey(PublicKeyKind.Other, 0, null, keyBits),
        };
    }

    private static int CurveBits(string? curve) => curve switch
    {
        Oids.P256 => 256,
        Oids.P384 => 384,
        Oids.P521 => 521,
        _ => 0,
    };

    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1).
    private static int RsaModulusBits(byte[] keyBits)
    {
        var reader = new AsnReader(keyBits, AsnEncodingRules.DER).ReadSequence();
        var modulus = reader.ReadIntegerBytes().Span;
        while (modulus.Length > 0 && modulus[0] == 0)
        {
            modulus = modulus[1..];
        }
        return modulus.Length == 0 ? 0 : (modulus.Length - 1) * 8 + (8 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]) + 24);
    }
}
