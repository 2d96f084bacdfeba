using System.Formats.Asn1;
using System.Security.Cryptography;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// A parsed and signature-checked PKCS#10 request (RFC 2986): the parts the pipeline reads.
/// Immutable. Construct with <see cref="Parse"/>.
/// </summary>
public sealed class CertificationRequest
{
    /// <summary>Requests larger than this are refused before parsing (bounds work on hostile input).</summary>
    public const int MaxDerLength = 64 * 1024;

    internal CertificationRequest(byte[] der, ReadOnlyMemory<byte> subject, ReadOnlyMemory<byte> spki, SubjectPublicKey publicKey, SubjectAlternativeNames sans, IReadOnlyList<CertificateExtension> extensions)
    {
        Der = der;
        RawSubject = subject;
        SubjectPublicKeyInfo = spki;
        PublicKey = publicKey;
        Sans = sans;
        Extensions = extensions;
        Subject = DistinguishedName.Decode(subject.Span);
    }

    /// <summary>The whole request, DER.</summary>
    public byte[] Der { get; }

    /// <summary>The DER subject Name.</summary>
    public ReadOnlyMemory<byte> RawSubject { get; }

    /// <summary>The decoded subject.</summary>
    public DistinguishedName Subject { get; }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <summary>The key's algorithm and size.</summary>
    public SubjectPublicKey PublicKey { get; }

    /// <summary>The SANs from the extensionRequest attribute.</summary>
    public SubjectAlternativeNames Sans { get; }

    /// <summary>All requested extensions.</summary>
    public IReadOnlyList<CertificateExtension> Extensions { get; }

    /// <summary>The signature algorithm as Go names it (<c>ECDSA-SHA256</c>, <c>SHA256-RSA</c>, <c>Ed25519</c>; empty when unknown).</summary>
    public string SignatureAlgorithmName { get; private init; } = "";

    /// <summary>Parses a DER request and verifies its self-signature; throws a 400 <see cref="PkiException"/>.</summary>
    public static CertificationRequest Parse(ReadOnlyMemory<byte> der)
    {
        if (der.Length == 0 || der.Length > MaxDerLength)
        {
            throw PkiException.BadRequest("invalid certificate request");
        }
        try
        {
            return ParseCore(der.ToArray());
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or FormatException or ArgumentException)
        {
            throw PkiException.BadRequest("invalid certificate request", e);
        }
    }

    private static CertificationRequest ParseCore(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var request = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var info = request.ReadEncodedValue();
        var signatureAlgorithm = request.ReadEncodedValue();
        var signature = request.ReadBitString(out var unused);
        request.ThrowIfNotEmpty();
        if (unused != 0)
        {
            throw new FormatException("signature has unused bits");
        }

        var infoReader = new AsnReader(info, AsnEncodingRules.DER).ReadSequence();
        if (!infoReader.TryReadInt32(out var version) || version != 0)
        {
            throw new FormatException("unsupported request version");
        }
        var subject = infoReader.ReadEncodedValue();
        var spki = infoReader.ReadEncodedValue();
        var extensions = infoReader.HasData ? ReadExtensionRequest(infoReader.ReadSetOf(new Asn1Tag(TagClass.ContextSpecific, 0))) : [];
        infoReader.ThrowIfNotEmpty();

        var publicKey = SubjectPublicKey.Decode(spki);
        if (!SignatureVerifier.Verify(publicKey, spki, signatureAlgorithm.Span, info.Span, signature))
        {
            throw PkiException.BadRequest("invalid certificate request: signature does not verify");
        }
        var sanExtension = extensions.FirstOrDefault(e => e.Oid == Oids.SubjectAltName);
        var sans = sanExtension is null ? SubjectAlternativeNames.Empty : SubjectAlternativeNames.Decode(sanExtension.Value);
        return new CertificationRequest(der, subject.ToArray(), spki.ToArray(), publicKey, sans, extensions)
        {
            SignatureAlgorithmName = SignatureAlgorithmNames.Of(new AsnReader(signatureAlgorithm, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier()),
        };
    }

    private static List<CertificateExtension> ReadExtensionRequest(AsnReader attributes)
    {
        var result = new List<CertificateExtension>();
        while (attributes.HasData)
        {
            var attribute = attributes.ReadSequence();
            var type = attribute.ReadObjectIdentifier();
            var values = attribute.ReadSetOf();
            if (type != Oids.ExtensionRequest)
            {
                continue;
            }
            while (values.HasData)
            {
                result.AddRange(CertificateExtension.ReadExtensions(values.ReadSequence()));
            }
        }
        return result;
    }
}
