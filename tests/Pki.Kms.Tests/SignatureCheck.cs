using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Kms;

/// <summary>Verifies signatures from the SubjectPublicKeyInfo alone, independently of the code under test.</summary>
internal static class SignatureCheck
{
    public static bool Verify(ReadOnlyMemory<byte> spki, KeyAlgorithm algorithm, byte[] data, byte[] signature)
    {
        switch (algorithm)
        {
            case var _ when algorithm == KeyAlgorithm.Rsa:
            {
                using var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(spki.Span, out _);
                return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            case var _ when algorithm == KeyAlgorithm.Ed25519:
            {
                var verifier = new Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(spki.Span[^32..]));
                verifier.BlockUpdate(data, 0, data.Length);
                return verifier.VerifySignature(signature);
            }
            default:
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportSubjectPublicKeyInfo(spki.Span, out _);
                var hash = algorithm switch
                {
                    _ when algorithm == KeyAlgorithm.EcdsaP256 => HashAlgorithmName.SHA256,
                    _ when algorithm == KeyAlgorithm.EcdsaP384 => HashAlgorithmName.SHA384,
                    _ => HashAlgorithmName.SHA512,
                };
                return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }
        }
    }

    /// <summary>PEM of a SubjectPublicKeyInfo, for openssl.</summary>
    public static string PublicKeyPem(ReadOnlyMemory<byte> spki) => PemEncoding.WriteString("PUBLIC KEY", spki.Span);
}
