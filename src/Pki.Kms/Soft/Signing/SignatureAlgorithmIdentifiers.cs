using System.Formats.Asn1;

namespace Smallstep.Pki.Kms.Soft.Signing;

/// <summary>DER <c>AlgorithmIdentifier</c>s for X.509 signatures (RFC 5280 §4.1.1.2).</summary>
internal static class SignatureAlgorithmIdentifiers
{
    /// <summary>ecdsa-with-SHA256, parameters absent (RFC 5758 §3.2).</summary>
    public static readonly byte[] EcdsaWithSha256 = Build("1.2.840.10045.4.3.2", nullParameters: false);

    /// <summary>ecdsa-with-SHA384, parameters absent (RFC 5758 §3.2).</summary>
    public static readonly byte[] EcdsaWithSha384 = Build("1.2.840.10045.4.3.3", nullParameters: false);

    /// <summary>ecdsa-with-SHA512, parameters absent (RFC 5758 §3.2).</summary>
    public static readonly byte[] EcdsaWithSha512 = Build("1.2.840.10045.4.3.4", nullParameters: false);

    /// <summary>sha256WithRSAEncryption, parameters NULL (RFC 4055 §5).</summary>
    public static readonly byte[] Sha256WithRsaEncryption = Build("1.2.840.113549.1.1.11", nullParameters: true);

    /// <summary>id-Ed25519, parameters absent (RFC 8410 §3).</summary>
    public static readonly byte[] Ed25519 = Build(Ed25519Oid, nullParameters: false);

    /// <summary>The OID of Ed25519 keys and signatures (RFC 8410 §3).</summary>
    public const string Ed25519Oid = "1.3.101.112";

    private static byte[] Build(string oid, bool nullParameters)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (nullParameters)
            {
                writer.WriteNull();
            }
        }
        return writer.Encode();
    }
}
