using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// The fields of a DER certificate a query needs, read with <see cref="AsnReader"/> straight from
/// the TBS (RFC 5280 §4.1): validity eagerly, because filters and retention look at it first; subject,
/// issuer and extensions kept as slices and decoded only when asked. Much cheaper than building an
/// <see cref="X509Certificate2"/> per stored row. Immutable.
/// </summary>
public sealed class X509CertificateFields
{
    /// <summary>Certificates larger than this are not parsed (step-ca leaves are a few KB).</summary>
    public const int MaxLength = 64 * 1024;

    private readonly ReadOnlyMemory<byte> _serial;
    private readonly ReadOnlyMemory<byte> _issuer;
    private readonly ReadOnlyMemory<byte> _subject;
    private readonly ReadOnlyMemory<byte> _extensions;

    private X509CertificateFields(ReadOnlyMemory<byte> serial, ReadOnlyMemory<byte> issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, ReadOnlyMemory<byte> subject, ReadOnlyMemory<byte> extensions)
    {
        _serial = serial;
        _issuer = issuer;
        NotBefore = notBefore;
        NotAfter = notAfter;
        _subject = subject;
        _extensions = extensions;
    }

    /// <summary><c>notBefore</c>.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary><c>notAfter</c>.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The serial in decimal.</summary>
    public string SerialDecimal => new BigInteger(_serial.Span, isUnsigned: false, isBigEndian: true).ToString(CultureInfo.InvariantCulture);

    /// <summary>The subject DN as RFC 4514 text (<c>CN=...,O=...</c>).</summary>
    public string Subject => FormatName(_subject);

    /// <summary>The issuer DN.</summary>
    public string Issuer => FormatName(_issuer);

    /// <summary>Parses the outer structure and the TBS up to the extensions.</summary>
    /// <exception cref="FormatException">Not a DER certificate (the message says what is wrong).</exception>
    public static X509CertificateFields Parse(ReadOnlyMemory<byte> der)
    {
        if (der.Length > MaxLength)
        {
            throw new FormatException($"certificate is {der.Length} bytes; at most {MaxLength} are parsed");
        }
        try
        {
            var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbs = certificate.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.ReadEncodedValue(); // [0] EXPLICIT version
            }
            var serial = tbs.ReadIntegerBytes();
            tbs.ReadEncodedValue(); // signature AlgorithmIdentifier
            var issuer = tbs.ReadEncodedValue();
            var validity = tbs.ReadSequence();
            var notBefore = ReadTime(validity);
            var notAfter = ReadTime(validity);
            var subject = tbs.ReadEncodedValue();
            tbs.ReadEncodedValue(); // subjectPublicKeyInfo
            var extensions = ReadOnlyMemory<byte>.Empty;
            while (tbs.HasData)
            {
                var tag = tbs.PeekTag();
                var value = tbs.ReadEncodedValue();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 3)))
                {
                    extensions = value;
                }
            }
            return new X509CertificateFields(serial, issuer, notBefore, notAfter, subject, extensions);
        }
        catch (AsnContentException ex)
        {
            throw new FormatException($"not a DER certificate: {ex.Message}", ex);
        }
    }

    /// <summary>The subject alternative names (RFC 5280 §4.2.1.6), values only; unknown name forms are skipped.</summary>
    /// <exception cref="FormatException">The extension is malformed.</exception>
    public IReadOnlyList<string> SubjectAlternativeNames() =>
        Extension(Oids.SubjectAlternativeName) is { } value ? GeneralNames.ReadText(value) : [];

    /// <summary>The step provisioner extension (<see cref="Smallstep.Pki.Issuance.ProvisionerExtension"/>) as a reference without an ID, or null when absent or malformed.</summary>
    public ProvisionerReference? ProvisionerExtension() =>
        Extension(Oids.StepProvisioner) is { } value && Smallstep.Pki.Issuance.ProvisionerExtension.Decode(value.Span) is { } extension
            ? new ProvisionerReference(string.Empty, extension.Name, ProvisionerTypeName(extension.TypeCode))
            : null;

    // The type codes are step's provisioner.Type constants, 1-based in ProvisionerTypeNames order; another code reads as "".
    private static string ProvisionerTypeName(int code) =>
        code >= 1 && code <= Configuration.ProvisionerTypeNames.All.Count ? Configuration.ProvisionerTypeNames.All[code - 1] : string.Empty;

    // The extnValue OCTET STRING contents of the extension with this OID, or null.
    private ReadOnlyMemory<byte>? Extension(string oid)
    {
        if (_extensions.IsEmpty)
        {
            return null;
        }
        try
        {
            var list = new AsnReader(_extensions, AsnEncodingRules.DER).ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)).ReadSequence();
            while (list.HasData)
            {
                var extension = list.ReadSequence();
                var id = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }
                var value = extension.ReadOctetString();
                if (id == oid)
                {
                    return value;
                }
            }
            return null;
        }
        catch (AsnContentException ex)
        {
            throw new FormatException($"malformed extensions: {ex.Message}", ex);
        }
    }

    private static DateTimeOffset ReadTime(AsnReader validity) =>
        validity.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? validity.ReadUtcTime(2049) : validity.ReadGeneralizedTime();

    private static string FormatName(ReadOnlyMemory<byte> encoded) => DistinguishedNameText.Format(encoded);

    private static class Oids
    {
        public const string SubjectAlternativeName = "2.5.29.17";
        public const string StepProvisioner = Smallstep.Pki.Issuance.ProvisionerExtension.Oid;
    }
}
