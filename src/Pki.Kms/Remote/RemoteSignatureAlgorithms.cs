using System.Formats.Asn1;
using System.Security.Cryptography;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft.Signing;

namespace Smallstep.Pki.Kms.Remote;

/// <summary>
/// Signature algorithms of remote keys: the X.509 AlgorithmIdentifier for each (key family, hash,
/// padding) a cloud KMS signs with. Reuses softkms's identifiers and adds those only remote keys use
/// (sha384/sha512WithRSAEncryption, RSASSA-PSS).
/// </summary>
internal static class RemoteSignatureAlgorithms
{
    /// <summary>RSASSA-PSS keys (Cloud KMS <c>RSA_SIGN_PSS_*</c>): not PKCS#1 v1.5, so not <see cref="KeyAlgorithm.Rsa"/>.</summary>
    public static KeyAlgorithm RsaPss { get; } = new("RsaPss");

    /// <summary>The description of an ECDSA key: the hash follows the curve (step's x509util), DER signatures.</summary>
    public static RemoteKeyDescription Ecdsa(byte[] spki)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key.KeySize switch
        {
            256 => new(spki, KeyAlgorithm.EcdsaP256, HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.EcdsaWithSha256),
            384 => new(spki, KeyAlgorithm.EcdsaP384, HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.EcdsaWithSha384),
            521 => new(spki, KeyAlgorithm.EcdsaP521, HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.EcdsaWithSha512),
            _ => throw new CryptographicException($"unsupported EC key size {key.KeySize}"),
        };
    }

    /// <summary>An RSA key signing PKCS#1 v1.5 with <paramref name="hash"/> (RFC 4055 §5).</summary>
    public static RemoteKeyDescription RsaPkcs1(byte[] spki, HashAlgorithmName hash) =>
        new(spki, KeyAlgorithm.Rsa, hash, hash == HashAlgorithmName.SHA256 ? SignatureAlgorithmIdentifiers.Sha256WithRsaEncryption
            : hash == HashAlgorithmName.SHA384 ? Sha384WithRsaEncryption
            : hash == HashAlgorithmName.SHA512 ? Sha512WithRsaEncryption
            : throw new CryptographicException($"unsupported RSA hash {hash}"));

    /// <summary>An RSA key signing RSASSA-PSS with <paramref name="hash"/>, MGF1 with the same hash and a salt of the hash length (RFC 4055 §3.1, as Go's x509 writes it).</summary>
    public static RemoteKeyDescription RsaPssWith(byte[] spki, HashAlgorithmName hash) => new(spki, RsaPss, hash, PssIdentifier(hash));

    private static readonly byte[] Sha384WithRsaEncryption = RsaIdentifier("1.2.840.113549.1.1.12");
    private static readonly byte[] Sha512WithRsaEncryption = RsaIdentifier("1.2.840.113549.1.1.13");

    private static byte[] RsaIdentifier(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteNull();
        }
        return writer.Encode();
    }

    private static byte[] PssIdentifier(HashAlgorithmName hash)
    {
        var (oid, length) = hash == HashAlgorithmName.SHA256 ? ("2.16.840.1.101.3.4.2.1", 32)
            : hash == HashAlgorithmName.SHA384 ? ("2.16.840.1.101.3.4.2.2", 48)
            : hash == HashAlgorithmName.SHA512 ? ("2.16.840.1.101.3.4.2.3", 64)
            : throw new CryptographicException($"unsupported RSA-PSS hash {hash}");
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.10");
            using (writer.PushSequence())
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    HashAlgorithm(writer, oid);
                }
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                    HashAlgorithm(writer, oid);
                }
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                {
                    writer.WriteInteger(length);
                }
            }
        }
        return writer.Encode();
    }

    private static void HashAlgorithm(AsnWriter writer, string oid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteNull();
        }
    }
}
