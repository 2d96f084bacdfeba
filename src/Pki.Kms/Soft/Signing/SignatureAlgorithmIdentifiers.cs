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

    /// <summary>sha384WithRSAEncryption, parameters NULL (RFC 4055 §5).</summary>
    public static readonly byte[] Sha384WithRsaEncryption = Build("1.2.840.113549.1.1.12", nullParameters: true);

    /// <summary>sha512WithRSAEncryption, parameters NULL (RFC 4055 §5).</summary>
    public static readonly byte[] Sha512WithRsaEncryption = Build("1.2.840.113549.1.1.13", nullParameters: true);

    /// <summary>id-RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 4055 §3.1), as Go writes it.</summary>
    public static readonly byte[] RsaPssSha256 = BuildPss("2.16.840.1.101.3.4.2.1", 32);

    /// <summary>id-RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt (RFC 4055 §3.1).</summary>
    public static readonly byte[] RsaPssSha384 = BuildPss("2.16.840.1.101.3.4.2.2", 48);

    /// <summary>id-RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt (RFC 4055 §3.1).</summary>
    public static readonly byte[] RsaPssSha512 = BuildPss("2.16.840.1.101.3.4.2.3", 64);

    /// <summary>id-Ed25519, parameters absent (RFC 8410 §3).</summary>
    public static readonly byte[] Ed25519 = Build(Ed25519Oid, nullParameters: false);

    /// <summary>The OID of Ed25519 keys and signatures (RFC 8410 §3).</summary>
    public const string Ed25519Oid = "1.3.101.112";

    /// <summary>RSASSA-PSS-params: [0] hashAlgorithm, [1] maskGenAlgorithm MGF1 over the same hash, [2] saltLength; trailerField default (RFC 4055 §3.1; Go's x509 pssParameters).</summary>
    private static byte[] BuildPss(string hashOid, int saltLength)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.10");
            using (writer.PushSequence())
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    writer.WriteEncodedValue(Build(hashOid, nullParameters: true));
                }
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                    writer.WriteEncodedValue(Build(hashOid, nullParameters: true));
                }
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                {
                    writer.WriteInteger(saltLength);
                }
            }
        }
        return writer.Encode();
    }

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
