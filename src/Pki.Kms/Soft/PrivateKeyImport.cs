using System.Formats.Asn1;
using System.Security.Cryptography;
using Smallstep.Pki.Kms.Soft.Signing;

namespace Smallstep.Pki.Kms.Soft;

/// <summary>
/// Turns DER private keys into signers: SEC1 <c>ECPrivateKey</c> (RFC 5915), PKCS#1
/// <c>RSAPrivateKey</c> (RFC 8017 A.1.2) and PKCS#8 <c>PrivateKeyInfo</c>/<c>OneAsymmetricKey</c>
/// (RFC 5958) holding RSA, EC or Ed25519 (RFC 8410 §7). Malformed DER surfaces as
/// <see cref="CryptographicException"/> or <see cref="AsnContentException"/>.
/// </summary>
internal static class PrivateKeyImport
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private delegate void Importer<in TKey>(TKey key, ReadOnlySpan<byte> der, out int bytesRead);

    public static SoftSigner FromSec1(ReadOnlySpan<byte> der) => EcdsaSoftSigner.Create(
        Import(ECDsa.Create(), der, static (ECDsa k, ReadOnlySpan<byte> d, out int r) => k.ImportECPrivateKey(d, out r)));

    public static SoftSigner FromPkcs1(ReadOnlySpan<byte> der) => RsaSoftSigner.Create(
        Import(RSA.Create(), der, static (RSA k, ReadOnlySpan<byte> d, out int r) => k.ImportRSAPrivateKey(d, out r)));

    public static SoftSigner FromPkcs8(byte[] der)
    {
        var oid = AlgorithmOf(der);
        return oid switch
        {
            RsaEncryptionOid => RsaSoftSigner.Create(
                Import(RSA.Create(), der, static (RSA k, ReadOnlySpan<byte> d, out int r) => k.ImportPkcs8PrivateKey(d, out r))),
            EcPublicKeyOid => EcdsaSoftSigner.Create(
                Import(ECDsa.Create(), der, static (ECDsa k, ReadOnlySpan<byte> d, out int r) => k.ImportPkcs8PrivateKey(d, out r))),
            SignatureAlgorithmIdentifiers.Ed25519Oid => FromEd25519Pkcs8(der),
            _ => throw new KeyFormatException($"unsupported private key algorithm {oid} (supported: RSA, EC, Ed25519)"),
        };
    }

    /// <summary>Imports into a fresh key object, which is disposed if the bytes are rejected.</summary>
    private static TKey Import<TKey>(TKey key, ReadOnlySpan<byte> der, Importer<TKey> import)
        where TKey : IDisposable
    {
        try
        {
            import(key, der, out var read);
            if (read != der.Length)
            {
                throw new KeyFormatException("trailing data after the private key");
            }
            return key;
        }
        catch (PlatformNotSupportedException e)
        {
            // OpenSSL's answer to an EC curve OID it does not know.
            key.Dispose();
            throw new KeyFormatException("unsupported EC curve or key parameters (supported: P-256, P-384, P-521)", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static string AlgorithmOf(byte[] der)
    {
        var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
        info.ReadInteger();
        return info.ReadSequence().ReadObjectIdentifier();
    }

    /// <summary>
    /// <c>OneAsymmetricKey</c> with id-Ed25519: the private key is an OCTET STRING wrapping the
    /// 32-byte <c>CurvePrivateKey</c>; parameters must be absent; an optional public key
    /// (<c>[1]</c>, RFC 5958 §2) must match the private key.
    /// </summary>
    private static Ed25519SoftSigner FromEd25519Pkcs8(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var info = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (!info.TryReadInt32(out var version) || version is not (0 or 1))
        {
            throw new KeyFormatException("unsupported PKCS#8 version");
        }
        var algorithm = info.ReadSequence();
        algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            throw new KeyFormatException("Ed25519 algorithm identifier must not have parameters (RFC 8410 §3)");
        }
        var seed = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER);
        var signer = Ed25519SoftSigner.FromSeed(seed.ReadOctetString());
        seed.ThrowIfNotEmpty();
        if (info.HasData && info.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            info.ReadEncodedValue(); // attributes, ignored
        }
        if (info.HasData)
        {
            var publicKey = info.ReadBitString(out _, new Asn1Tag(TagClass.ContextSpecific, 1));
            if (!publicKey.AsSpan().SequenceEqual(signer.PublicKey))
            {
                signer.Dispose();
                throw new KeyFormatException("Ed25519 public key does not match the private key");
            }
        }
        info.ThrowIfNotEmpty();
        return signer;
    }
}
