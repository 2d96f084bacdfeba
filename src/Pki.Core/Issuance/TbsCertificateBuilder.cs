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
        // Go: the parent's subject key id wins; a template's authorityKeyId is used only without one.
        var akiValue = issuerKeyId is { Length: > 0 } ? issuerKeyId : cert.AuthorityKeyId;
        var aki = akiValue is { Length: > 0 } ? new CertificateExtension(Oids.AuthorityKeyIdentifier, false, ExtensionValues.AuthorityKeyId(akiValue)) : null;
        if (cert.CopiedExtensions is { } copied)
        {
            // Renewal: Go writes its generated SKI (rekey only: the old one is dropped) and AKI
            // first, then the copied extensions (which exclude the old AKI).
            if (copied.All(e => e.Oid != Oids.SubjectKeyIdentifier))
            {
                list.Add(new CertificateExtension(Oids.SubjectKeyIdentifier, false, ExtensionValues.OctetString(cert.SubjectKeyId ?? DeriveKeyId(cert.PublicKey))));
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
            list.Add(new CertificateExtension(Oids.KeyUsage, true, ExtensionValues.KeyUsage(cert.KeyUsage)));
        }
        if (cert.ExtendedKeyUsage.Count > 0 && !Overridden(Oids.ExtendedKeyUsage))
        {
            list.Add(new CertificateExtension(Oids.ExtendedKeyUsage, false, ExtensionValues.OidSequence(cert.ExtendedKeyUsage)));
        }
        if (cert.BasicConstraints is { } bc && !Overridden(Oids.BasicConstraints))
        {
            list.Add(new CertificateExtension(Oids.BasicConstraints, true, ExtensionValues.BasicConstraints(bc)));
        }
        if (!Overridden(Oids.SubjectKeyIdentifier))
        {
            var ski = cert.SubjectKeyId ?? DeriveKeyId(cert.PublicKey);
            list.Add(new CertificateExtension(Oids.SubjectKeyIdentifier, false, ExtensionValues.OctetString(ski)));
        }
        if (aki is not null && !Overridden(Oids.AuthorityKeyIdentifier))
        {
            list.Add(aki);
        }
        if ((cert.OcspServers.Count > 0 || cert.IssuingCertificateUrls.Count > 0) && !Overridden(Oids.AuthorityInfoAccess))
        {
            list.Add(new CertificateExtension(Oids.AuthorityInfoAccess, false, ExtensionValues.AuthorityInfoAccess(cert.OcspServers, cert.IssuingCertificateUrls)));
        }
        if (!cert.Sans.IsEmpty && !Overridden(Oids.SubjectAltName))
        {
            // RFC 5280 §4.2.1.6: critical when the subject is empty.
            var critical = cert.RawSubject is null && cert.Subject.IsEmpty;
            list.Add(new CertificateExtension(Oids.SubjectAltName, critical, cert.Sans.Encode()));
        }
        if (cert.PolicyIdentifiers.Count > 0 && !Overridden(Oids.CertificatePolicies))
        {
            list.Add(new CertificateExtension(Oids.CertificatePolicies, false, ExtensionValues.CertificatePolicies(cert.PolicyIdentifiers)));
        }
        if (cert.NameConstraints is { IsEmpty: false } constraints && !Overridden(Oids.NameConstraints))
        {
            list.Add(new CertificateExtension(Oids.NameConstraints, constraints.Critical, ExtensionValues.NameConstraints(constraints)));
        }
        if (cert.CrlDistributionPoints.Count > 0 && !Overridden(Oids.CrlDistributionPoints))
        {
            list.Add(new CertificateExtension(Oids.CrlDistributionPoints, false, ExtensionValues.CrlDistributionPoints(cert.CrlDistributionPoints)));
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
}
