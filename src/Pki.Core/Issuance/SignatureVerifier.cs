using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// Verifies X.509-style signatures (CSR self-signatures, certificate signatures) for the
/// algorithms step-ca accepts: ECDSA and RSA through the platform (OpenSSL), Ed25519 through
/// BouncyCastle, which the platform lacks.
/// </summary>
internal static class SignatureVerifier
{
    public static bool Verify(SubjectPublicKey key, ReadOnlyMemory<byte> spki, ReadOnlySpan<byte> algorithmIdentifier, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var algorithm = new AsnReader(algorithmIdentifier.ToArray(), AsnEncodingRules.DER).ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        switch (key.Kind)
        {
            case PublicKeyKind.Ec:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportSubjectPublicKeyInfo(spki.Span, out _);
                    return ecdsa.VerifyData(data, signature, EcdsaHash(oid), DSASignatureFormat.Rfc3279DerSequence);
                }
            case PublicKeyKind.Rsa:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(spki.Span, out _);
                    return oid == Oids.RsaPss
                        ? rsa.VerifyData(data, signature, PssHash(algorithm), RSASignaturePadding.Pss)
                        : rsa.VerifyData(data, signature, RsaHash(oid), RSASignaturePadding.Pkcs1);
                }
            case PublicKeyKind.Ed25519 when oid == Oids.Ed25519:
                var verifier = new Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(key.KeyBits));
                verifier.BlockUpdate(data);
                return verifier.VerifySignature(signature.ToArray());
            default:
                return false;
        }
    }

    private static HashAlgorithmName EcdsaHash(string oid) => oid switch
    {
        Oids.EcdsaSha256 => HashAlgorithmName.SHA256,
        Oids.EcdsaSha384 => HashAlgorithmName.SHA384,
        Oids.EcdsaSha512 => HashAlgorithmName.SHA512,
        _ => throw new CryptographicException($"unsupported ECDSA signature algorithm {oid}"),
    };

    private static HashAlgorithmName RsaHash(string oid) => oid switch
    {
        Oids.RsaSha256 => HashAlgorithmName.SHA256,
        Oids.RsaSha384 => HashAlgorithmName.SHA384,
        Oids.RsaSha512 => HashAlgorithmName.SHA512,
        _ => throw new CryptographicException($"unsupported RSA signature algorithm {oid}"),
    };

    // RSASSA-PSS-params (RFC 4055 §3.1): [0] hashAlgorithm; MGF1 with the same hash is what Go emits.
    private static HashAlgorithmName PssHash(AsnReader algorithm)
    {
        var parameters = algorithm.ReadSequence();
        var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0);
        if (!parameters.HasData || !parameters.PeekTag().HasSameClassAndValue(hashTag))
        {
            throw new CryptographicException("RSA-PSS with SHA-1 is not accepted");
        }
        var hashOid = parameters.ReadSequence(hashTag).ReadSequence().ReadObjectIdentifier();
        return hashOid switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => throw new CryptographicException($"unsupported RSA-PSS hash {hashOid}"),
        };
    }
}
