using System.Numerics;

namespace Smallstep.Pki.Issuance;

/// <summary>Key usage bits (RFC 5280 §4.2.1.3), numbered as in the standard.</summary>
[Flags]
public enum KeyUsageFlags
{
    /// <summary>No key usage extension.</summary>
    None = 0,
    /// <summary>digitalSignature (bit 0).</summary>
    DigitalSignature = 1 << 0,
    /// <summary>contentCommitment / nonRepudiation (bit 1).</summary>
    ContentCommitment = 1 << 1,
    /// <summary>keyEncipherment (bit 2).</summary>
    KeyEncipherment = 1 << 2,
    /// <summary>dataEncipherment (bit 3).</summary>
    DataEncipherment = 1 << 3,
    /// <summary>keyAgreement (bit 4).</summary>
    KeyAgreement = 1 << 4,
    /// <summary>keyCertSign (bit 5).</summary>
    CertSign = 1 << 5,
    /// <summary>cRLSign (bit 6).</summary>
    CrlSign = 1 << 6,
    /// <summary>encipherOnly (bit 7).</summary>
    EncipherOnly = 1 << 7,
    /// <summary>decipherOnly (bit 8).</summary>
    DecipherOnly = 1 << 8,
}

/// <summary>
/// The certificate to be issued, in step's certificate model (go.step.sm/crypto x509util
/// <c>Certificate</c>): what templates produce and modifiers change before the TBS is built.
/// Mutable while the pipeline runs; not thread-safe.
/// </summary>
public sealed class X509CertificateDescription
{
    /// <summary>The subject.</summary>
    public DistinguishedName Subject { get; set; } = new();

    /// <summary>A raw DER subject that replaces <see cref="Subject"/> when set (renewals copy it).</summary>
    public byte[]? RawSubject { get; set; }

    /// <summary>The subject alternative names.</summary>
    public SubjectAlternativeNames Sans { get; set; } = SubjectAlternativeNames.Empty;

    /// <summary>The DER SubjectPublicKeyInfo (always from the CSR or the renewed certificate).</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; set; }

    /// <summary>The decoded public key.</summary>
    public required SubjectPublicKey PublicKey { get; set; }

    /// <summary>Key usage; <see cref="KeyUsageFlags.None"/> omits the extension.</summary>
    public KeyUsageFlags KeyUsage { get; set; }

    /// <summary>Extended key usage OIDs; empty omits the extension.</summary>
    public List<string> ExtendedKeyUsage { get; } = [];

    /// <summary>Basic constraints; null omits the extension.</summary>
    public BasicConstraints? BasicConstraints { get; set; }

    /// <summary>Subject key identifier; null means "derive it" (RFC 5280 §4.2.1.2 method 1).</summary>
    public byte[]? SubjectKeyId { get; set; }

    /// <summary>Start of validity.</summary>
    public DateTimeOffset NotBefore { get; set; }

    /// <summary>End of validity.</summary>
    public DateTimeOffset NotAfter { get; set; }

    /// <summary>Serial number; null means "generate a random one".</summary>
    public BigInteger? SerialNumber { get; set; }

    /// <summary>
    /// The authority key identifier a template asked for; used only when the issuer has no subject
    /// key identifier (Go's <c>x509.CreateCertificate</c> prefers the parent's).
    /// </summary>
    public byte[]? AuthorityKeyId { get; set; }

    /// <summary>OCSP responder URLs (authority information access, RFC 5280 §4.2.2.1).</summary>
    public List<string> OcspServers { get; } = [];

    /// <summary>CA issuers URLs (authority information access, RFC 5280 §4.2.2.1).</summary>
    public List<string> IssuingCertificateUrls { get; } = [];

    /// <summary>CRL distribution point URIs (RFC 5280 §4.2.1.13), one full-name point each.</summary>
    public List<string> CrlDistributionPoints { get; } = [];

    /// <summary>Certificate policy OIDs without qualifiers (RFC 5280 §4.2.1.4).</summary>
    public List<string> PolicyIdentifiers { get; } = [];

    /// <summary>Name constraints (RFC 5280 §4.2.1.10); null omits the extension.</summary>
    public NameConstraintsDescription? NameConstraints { get; set; }

    /// <summary>Extensions written after the standard ones, in order (e.g. the provisioner extension).</summary>
    public List<CertificateExtension> ExtraExtensions { get; } = [];

    /// <summary>
    /// Extensions copied verbatim from a renewed certificate, in their original order; when set, they
    /// replace every generated extension except the AKI (renewals keep the old extensions).
    /// </summary>
    public List<CertificateExtension>? CopiedExtensions { get; set; }
}

/// <summary>Basic constraints (RFC 5280 §4.2.1.9).</summary>
/// <param name="IsCa">cA.</param>
/// <param name="MaxPathLength">pathLenConstraint, or null for none.</param>
public sealed record BasicConstraints(bool IsCa, int? MaxPathLength);

/// <summary>Name constraints as step's certificate model has them (x509util <c>NameConstraints</c>).</summary>
public sealed class NameConstraintsDescription
{
    /// <summary>Whether the extension is critical.</summary>
    public bool Critical { get; set; }

    /// <summary>Permitted DNS domains.</summary>
    public List<string> PermittedDnsDomains { get; } = [];

    /// <summary>Excluded DNS domains.</summary>
    public List<string> ExcludedDnsDomains { get; } = [];

    /// <summary>Permitted IP ranges (address and prefix length).</summary>
    public List<(System.Net.IPAddress Address, int PrefixLength)> PermittedIpRanges { get; } = [];

    /// <summary>Excluded IP ranges (address and prefix length).</summary>
    public List<(System.Net.IPAddress Address, int PrefixLength)> ExcludedIpRanges { get; } = [];

    /// <summary>Permitted email addresses or domains.</summary>
    public List<string> PermittedEmailAddresses { get; } = [];

    /// <summary>Excluded email addresses or domains.</summary>
    public List<string> ExcludedEmailAddresses { get; } = [];

    /// <summary>Permitted URI domains.</summary>
    public List<string> PermittedUriDomains { get; } = [];

    /// <summary>Excluded URI domains.</summary>
    public List<string> ExcludedUriDomains { get; } = [];

    /// <summary>True when no subtree is set (Go then writes no extension).</summary>
    public bool IsEmpty => PermittedDnsDomains.Count + ExcludedDnsDomains.Count + PermittedIpRanges.Count + ExcludedIpRanges.Count
        + PermittedEmailAddresses.Count + ExcludedEmailAddresses.Count + PermittedUriDomains.Count + ExcludedUriDomains.Count == 0;
}
