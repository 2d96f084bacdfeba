using System.Formats.Asn1;
using System.Runtime.InteropServices;
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
            case PublicKeyKind.Ec when OpenSslEcdsa.TryVerify(key, EcdsaHash(oid), data, signature, out var valid):
                return valid;
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

    /// <summary>
    /// ECDSA verification straight through libcrypto's EC_KEY API, for keys seen once (every CSR
    /// brings a new one). <c>ECDsa.ImportSubjectPublicKeyInfo</c> builds a fresh EC_GROUP
    /// and runs <c>EC_KEY_check_key</c>, whose order·Q multiplication costs as much as the verify
    /// itself, and verifying then goes through an EVP_PKEY context (OpenSSL 3 provider fetches);
    /// profiled under the sign load that was ~35 % of all OpenSSL time of the host. Here the group
    /// is made once per curve and the point is decoded with <c>EC_POINT_oct2point</c>, which
    /// refuses points that are not on the curve (for P-256/384/521, cofactor 1, that is the whole
    /// public-key check). Only uncompressed points take this path; anything else, and any platform
    /// without OpenSSL 3, falls back to the platform import (which decides as before).
    /// </summary>
    private static class OpenSslEcdsa
    {
        private const string Lib = "libcrypto.so.3";
        private static readonly Lazy<bool> Available = new(Probe);
        private static readonly Lazy<(string Oid, int Size, IntPtr Group)[]> Groups = new(() =>
        [
            (Oids.P256, 32, EC_GROUP_new_by_curve_name(415)),
            (Oids.P384, 48, EC_GROUP_new_by_curve_name(715)),
            (Oids.P521, 66, EC_GROUP_new_by_curve_name(716)),
        ]);

        /// <summary>False when this path does not apply (the caller falls back); else <paramref name="valid"/> is the answer.</summary>
        public static bool TryVerify(SubjectPublicKey key, HashAlgorithmName hash, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, out bool valid)
        {
            valid = false;
            if (!Available.Value)
            {
                return false;
            }
            var group = IntPtr.Zero;
            foreach (var (oid, size, g) in Groups.Value)
            {
                if (oid == key.CurveOid && key.KeyBits.Length == 1 + 2 * size && key.KeyBits[0] == 0x04)
                {
                    group = g;
                }
            }
            if (group == IntPtr.Zero)
            {
                return false;
            }
            var digest = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data)
                : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data)
                : SHA512.HashData(data);
            var sig = signature.ToArray();
            var ecKey = EC_KEY_new();
            var point = IntPtr.Zero;
            try
            {
                if (ecKey == IntPtr.Zero || EC_KEY_set_group(ecKey, group) != 1 || (point = EC_POINT_new(group)) == IntPtr.Zero)
                {
                    ERR_clear_error();
                    return false;
                }
                if (EC_POINT_oct2point(group, point, key.KeyBits, (nuint)key.KeyBits.Length, IntPtr.Zero) != 1
                    || EC_KEY_set_public_key(ecKey, point) != 1)
                {
                    // Not a point on the curve: the platform import refuses it too.
                    ERR_clear_error();
                    throw new CryptographicException("the EC public key is not a point on its curve");
                }
                var result = ECDSA_verify(0, digest, digest.Length, sig, sig.Length, ecKey);
                if (result != 1)
                {
                    ERR_clear_error();
                }
                valid = result == 1;
                return true;
            }
            finally
            {
                if (point != IntPtr.Zero)
                {
                    EC_POINT_free(point);
                }
                if (ecKey != IntPtr.Zero)
                {
                    EC_KEY_free(ecKey);
                }
            }
        }

        private static bool Probe()
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }
            try
            {
                return Groups.Value.All(g => g.Group != IntPtr.Zero);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return false;
            }
        }

        [DllImport(Lib)]
        private static extern IntPtr EC_GROUP_new_by_curve_name(int nid);

        [DllImport(Lib)]
        private static extern IntPtr EC_KEY_new();

        [DllImport(Lib)]
        private static extern int EC_KEY_set_group(IntPtr key, IntPtr group);

        [DllImport(Lib)]
        private static extern int EC_KEY_set_public_key(IntPtr key, IntPtr point);

        [DllImport(Lib)]
        private static extern void EC_KEY_free(IntPtr key);

        [DllImport(Lib)]
        private static extern IntPtr EC_POINT_new(IntPtr group);

        [DllImport(Lib)]
        private static extern int EC_POINT_oct2point(IntPtr group, IntPtr point, byte[] octets, nuint length, IntPtr context);

        [DllImport(Lib)]
        private static extern void EC_POINT_free(IntPtr point);

        [DllImport(Lib)]
        private static extern int ECDSA_verify(int type, byte[] digest, int digestLength, byte[] signature, int signatureLength, IntPtr key);

        [DllImport(Lib)]
        private static extern void ERR_clear_error();
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
