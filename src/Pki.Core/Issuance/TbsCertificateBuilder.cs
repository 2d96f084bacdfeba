using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// Builds the DER TBSCertificate (RFC 5280 §4.1) for a description, with extensions in the order
/// Go's <c>x509.CreateCertificate</c> writes them (KU, EKU, basic constraints, SKI, AKI, SAN, then
/// extra extensions), so our leaves match step-ca's byte layout.
/// </summary>
internal static class TbsCertificateBuilder
{
    private static readonly Asn1Tag ExplicitVersion = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ExplicitExtensions = new(TagClass.ContextSpecific, 3, isConstructed: true);
    private static readonly Asn1Tag KeyIdentifierTag = new(TagClass.ContextSpecific, 0);

    /// <summary>Encodes the TBS. <paramref name="serial"/> must be positive.</summary>
    public static byte[] Build(X509CertificateDescription cert, BigInteger serial, ReadOnlySpan<byte> issuerName, byte[]? issuerKeyId, ReadOnlySpan<byte> signatureAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(ExplicitVersion))
            {
                writer.WriteInteger(2); // v3
            }
            writer.WriteInteger(serial);
            writer.WriteEncodedValue(signatureAlgorithm);
            writer.WriteEncodedValue(issuerName);
            using (writer.PushSequence())
            {
                WriteTime(writer, cert.NotBefore);
                WriteTime(writer, cert.NotAfter);
            }
            writer.WriteEncodedValue(cert.RawSubject ?? cert.Subject.Encode());
            writer.WriteEncodedValue(cert.SubjectPublicKeyInfo.Span);
            var extensions = BuildExtensions(cert, issuerKeyId);
            if (extensions.Count > 0)
            {
                using (writer.PushSequence(ExplicitExtensions))
                using (writer.PushSequence())
                {
                    foreach (var extension in extensions)
                    {
                        extension.WriteTo(writer);
                    }
                }
            }
        }
        return writer.Encode();
    }

    /// <summary>Wraps a signed TBS into a Certificate SEQUENCE.</summary>
    public static byte[] Assemble(ReadOnlySpan<byte> tbs, ReadOnlySpan<byte> signatureAlgorithm, ReadOnlySpan<byte> signature)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            writer.WriteEncodedValue(signatureAlgorithm);
            writer.WriteBitString(signature);
        }
        return writer.Encode();
    }

    /// <summary>SHA-1 of the subjectPublicKey bits: RFC 5280 §4.2.1.2 method (1), as step does.</summary>
    public static byte[] DeriveKeyId(SubjectPublicKey key) => SHA1.HashData(key.KeyBits);

    private static List<CertificateExtension> BuildExtensions(X509CertificateDescription cert, byte[]? issuerKeyId)
    {
        var list = new List<CertificateExtension>(8);
        var aki = issuerKeyId is { Length: > 0 } ? new CertificateExtension(Oids.AuthorityKeyIdentifier, false, EncodeAuthorityKeyId(issuerKeyId)) : null;
        if (cert.CopiedExtensions is { } copied)
        {
            // Renewal: Go writes its generated SKI (rekey only: the old one is dropped) and AKI
            // first, then the copied extensions (which exclude the old AKI).
            if (copied.All(e => e.Oid != Oids.SubjectKeyIdentifier))
            {
                list.Add(new CertificateExtension(Oids.SubjectKeyIdentifier, false, EncodeOctetString(cert.SubjectKeyId ?? DeriveKeyId(cert.PublicKey))));
            }
            if (aki is not null)
            {
                list.Add(aki);
            }
            list.AddRange(copied.Where(e => e.Oid != Oids.AuthorityKeyIdentifier));
            return list;
        }
        var extra = cert.ExtraExtensions;
        bool Overridden(string oid) => extra.Any(e => e.Oid == oid);
        if (cert.KeyUsage != KeyUsageFlags.None && !Overridden(Oids.KeyUsage))
        {
            list.Add(new CertificateExtension(Oids.KeyUsage, true, EncodeKeyUsage(cert.KeyUsage)));
        }
        if (cert.ExtendedKeyUsage.Count > 0 && !Overridden(Oids.ExtendedKeyUsage))
        {
            list.Add(new CertificateExtension(Oids.ExtendedKeyUsage, false, EncodeOidSequence(cert.ExtendedKeyUsage)));
        }
        if (cert.BasicConstraints is { } bc && !Overridden(Oids.BasicConstraints))
        {
            list.Add(new CertificateExtension(Oids.BasicConstraints, true, EncodeBasicConstraints(bc)));
        }
        if (!Overridden(Oids.SubjectKeyIdentifier))
        {
            var ski = cert.SubjectKeyId ?? DeriveKeyId(cert.PublicKey);
            list.Add(new CertificateExtension(Oids.SubjectKeyIdentifier, false, EncodeOctetString(ski)));
        }
        if (aki is not null && !Overridden(Oids.AuthorityKeyIdentifier))
        {
            list.Add(aki);
        }
        if (!cert.Sans.IsEmpty && !Overridden(Oids.SubjectAltName))
        {
            // RFC 5280 §4.2.1.6: critical when the subject is empty.
            var critical = cert.RawSubject is null && cert.Subject.IsEmpty;
            list.Add(new CertificateExtension(Oids.SubjectAltName, critical, cert.Sans.Encode()));
        }
        list.AddRange(extra);
        return list;
    }

    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds.
    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        var truncated = new DateTimeOffset(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        if (truncated.Year >= 2050)
        {
            writer.WriteGeneralizedTime(truncated, omitFractionalSeconds: true);
        }
        else
        {
            writer.WriteUtcTime(truncated);
        }
    }

    // Go writes the minimal BIT STRING: bit 0 is the most significant bit of the first byte.
    private static byte[] EncodeKeyUsage(KeyUsageFlags usage)
    {
        var value = (int)usage;
        var bytes = new byte[value > 0xFF ? 2 : 1];
        for (var bit = 0; bit < 9; bit++)
        {
            if ((value & (1 << bit)) != 0)
            {
                bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
        }
        var last = bytes[^1];
        var unused = last == 0 ? 0 : BitOperations.TrailingZeroCount(last);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteBitString(bytes, unused);
        return writer.Encode();
    }

    private static byte[] EncodeOidSequence(IEnumerable<string> oids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in oids)
            {
                writer.WriteObjectIdentifier(oid);
            }
        }
        return writer.Encode();
    }

    private static byte[] EncodeBasicConstraints(BasicConstraints bc)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (bc.IsCa)
            {
                writer.WriteBoolean(true);
                if (bc.MaxPathLength is { } length and >= 0)
                {
                    writer.WriteInteger(length);
                }
            }
        }
        return writer.Encode();
    }

    private static byte[] EncodeOctetString(byte[] value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(value);
        return writer.Encode();
    }

    private static byte[] EncodeAuthorityKeyId(byte[] keyId)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteOctetString(keyId, KeyIdentifierTag);
        }
        return writer.Encode();
    }
}
