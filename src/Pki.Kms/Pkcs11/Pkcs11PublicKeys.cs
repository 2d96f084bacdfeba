using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// Reads a key pair's public half from the token as a DER SubjectPublicKeyInfo (RFC 5280
/// §4.1.2.7): from the public key object with the private key's CKA_ID (PKCS#11 v2.40 §2.3: EC keys
/// carry CKA_EC_PARAMS and CKA_EC_POINT, RSA keys CKA_MODULUS and CKA_PUBLIC_EXPONENT), else from
/// the private key object itself (SoftHSM2 and ykcs11 keep the public values there too), else from a
/// certificate with the same CKA_ID, as crypto11 (used by step) falls back.
/// </summary>
internal static class Pkcs11PublicKeys
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>The SubjectPublicKeyInfo and key algorithm of the pair whose private key is <paramref name="privateKey"/>.</summary>
    /// <exception cref="PkiException">BadRequest: an unsupported key type, curve or RSA size; NotFound: no public half anywhere.</exception>
    public static (byte[] Spki, KeyAlgorithm Algorithm) Read(ISession session, IObjectHandle privateKey, Pkcs11ObjectName name)
    {
        var factories = session.Factories.ObjectAttributeFactory;
        var info = session.GetAttributeValue(privateKey, [CKA.CKA_KEY_TYPE, CKA.CKA_ID]);
        var keyType = (CKK)info[0].GetValueAsUlong();
        var id = info[1].CannotBeRead ? null : info[1].GetValueAsByteArray();
        var candidates = new List<IObjectHandle>();
        if (id is { Length: > 0 })
        {
            var template = new List<IObjectAttribute>
            {
                factories.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY),
                factories.Create(CKA.CKA_KEY_TYPE, keyType),
                factories.Create(CKA.CKA_ID, id),
            };
            if (name.Label is not null)
            {
                template.Add(factories.Create(CKA.CKA_LABEL, name.Label));
            }
            candidates.AddRange(session.FindAllObjects(template));
            if (candidates.Count == 0 && name.Label is not null)
            {
                // The public object may carry another label (pkcs11-tool, ykcs11's fixed labels).
                template.RemoveAt(template.Count - 1);
                candidates.AddRange(session.FindAllObjects(template));
            }
        }
        candidates.Add(privateKey);
        foreach (var candidate in candidates)
        {
            if (TryRead(session, candidate, keyType) is { } found)
            {
                return found;
            }
        }
        if (id is { Length: > 0 } && FromCertificate(session, id) is { } fromCertificate)
        {
            return fromCertificate;
        }
        throw PkiException.NotFound($"PKCS#11 key ({name}) has no readable public key object");
    }

    private static (byte[], KeyAlgorithm)? TryRead(ISession session, IObjectHandle handle, CKK keyType)
    {
        if (keyType == CKK.CKK_EC)
        {
            var values = session.GetAttributeValue(handle, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
            if (values.Any(v => v.CannotBeRead) || values.Any(v => v.GetValueAsByteArray() is not { Length: > 0 }))
            {
                return null;
            }
            return EcSpki(values[0].GetValueAsByteArray(), values[1].GetValueAsByteArray());
        }
        if (keyType == CKK.CKK_RSA)
        {
            var values = session.GetAttributeValue(handle, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            if (values.Any(v => v.CannotBeRead) || values.Any(v => v.GetValueAsByteArray() is not { Length: > 0 }))
            {
                return null;
            }
            return RsaSpki(values[0].GetValueAsByteArray(), values[1].GetValueAsByteArray());
        }
        throw PkiException.BadRequest($"PKCS#11 key type {keyType} is not supported (supported: EC P-256/P-384/P-521, RSA)");
    }

    private static (byte[], KeyAlgorithm)? FromCertificate(ISession session, byte[] id)
    {
        var factories = session.Factories.ObjectAttributeFactory;
        var certificates = session.FindAllObjects([factories.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), factories.Create(CKA.CKA_ID, id)]);
        foreach (var certificate in certificates)
        {
            var value = session.GetAttributeValue(certificate, [CKA.CKA_VALUE])[0];
            if (value.CannotBeRead)
            {
                continue;
            }
            using var parsed = X509CertificateLoader.LoadCertificate(value.GetValueAsByteArray());
            var spki = parsed.PublicKey.ExportSubjectPublicKeyInfo();
            if (parsed.GetECDsaPublicKey() is { } ec)
            {
                using (ec)
                {
                    return (spki, Curve(ec.ExportParameters(false).Curve.Oid.Value));
                }
            }
            return (spki, RsaAlgorithm(parsed.GetRSAPublicKey()!));
        }
        return null;
    }

    /// <summary>CKA_EC_PARAMS is the DER named-curve OID; CKA_EC_POINT a DER OCTET STRING holding the uncompressed point (some modules return the raw point).</summary>
    public static (byte[], KeyAlgorithm) EcSpki(byte[] ecParams, byte[] ecPoint)
    {
        string curveOid;
        try
        {
            curveOid = new AsnReader(ecParams, AsnEncodingRules.DER).ReadObjectIdentifier();
        }
        catch (AsnContentException e)
        {
            throw PkiException.BadRequest("PKCS#11 EC key has explicit or malformed CKA_EC_PARAMS; only named curves are supported", e);
        }
        var algorithm = Curve(curveOid);
        var fieldBytes = FieldBytes(algorithm);
        var point = ecPoint;
        if (!(ecPoint.Length == 1 + (2 * fieldBytes) && ecPoint[0] == 0x04))
        {
            try
            {
                point = new AsnReader(ecPoint, AsnEncodingRules.BER).ReadOctetString();
            }
            catch (AsnContentException e)
            {
                throw PkiException.BadRequest("PKCS#11 EC key has a malformed CKA_EC_POINT", e);
            }
        }
        if (point.Length != 1 + (2 * fieldBytes) || point[0] != 0x04)
        {
            throw PkiException.BadRequest("PKCS#11 EC key's CKA_EC_POINT is not an uncompressed point on its curve");
        }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(EcPublicKeyOid);
                writer.WriteObjectIdentifier(curveOid);
            }
            writer.WriteBitString(point);
        }
        var spki = writer.Encode();
        using var check = ECDsa.Create();
        check.ImportSubjectPublicKeyInfo(spki, out _); // the point must lie on the curve
        return (spki, algorithm);
    }

    /// <summary>An RSA public key from its modulus and public exponent (big-endian, as PKCS#11 stores them).</summary>
    public static (byte[], KeyAlgorithm) RsaSpki(byte[] modulus, byte[] exponent)
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = TrimLeadingZeros(modulus), Exponent = TrimLeadingZeros(exponent) });
        return (rsa.ExportSubjectPublicKeyInfo(), RsaAlgorithm(rsa));
    }

    /// <summary>The byte length of a coordinate (and of r and s) on the key's curve.</summary>
    public static int FieldBytes(KeyAlgorithm algorithm) =>
        algorithm == KeyAlgorithm.EcdsaP256 ? 32 : algorithm == KeyAlgorithm.EcdsaP384 ? 48 : 66;

    /// <summary>The DER named-curve OID for CKA_EC_PARAMS of a new key.</summary>
    public static byte[] EcParameters(KeyAlgorithm algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(algorithm == KeyAlgorithm.EcdsaP256 ? "1.2.840.10045.3.1.7" : algorithm == KeyAlgorithm.EcdsaP384 ? "1.3.132.0.34" : "1.3.132.0.35");
        return writer.Encode();
    }

    private static KeyAlgorithm Curve(string? oid) => oid switch
    {
        "1.2.840.10045.3.1.7" => KeyAlgorithm.EcdsaP256,
        "1.3.132.0.34" => KeyAlgorithm.EcdsaP384,
        "1.3.132.0.35" => KeyAlgorithm.EcdsaP521,
        _ => throw PkiException.BadRequest($"PKCS#11 EC key on curve {oid} is not supported (supported: P-256, P-384, P-521)"),
    };

    private static KeyAlgorithm RsaAlgorithm(RSA rsa) => rsa.KeySize >= Soft.Signing.RsaSoftSigner.MinBits
        ? KeyAlgorithm.Rsa
        : throw PkiException.BadRequest($"PKCS#11 RSA key has {rsa.KeySize} bits; at least {Soft.Signing.RsaSoftSigner.MinBits} are required");

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }
        return value[start..];
    }
}
