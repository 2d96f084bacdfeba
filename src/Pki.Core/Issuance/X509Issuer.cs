using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// The issuing CA: the intermediate certificate chain (<c>crt</c>, first certificate signs) and
/// its key. Prepares the TBS, lints it, signs it exactly once (the boulder issuance cycle).
/// Thread-safe.
/// </summary>
public sealed class X509Issuer
{
    private readonly ICertificateSigner _signer;
    private readonly byte[] _issuerName;
    private readonly byte[]? _issuerKeyId;

    /// <summary>Creates the issuer; throws <see cref="ArgumentException"/> when the key does not match the certificate.</summary>
    public X509Issuer(IReadOnlyList<X509Certificate2> chain, ICertificateSigner signer)
    {
        if (chain.Count == 0)
        {
            throw new ArgumentException("the issuing certificate chain is empty", nameof(chain));
        }
        var certificate = chain[0];
        if (!certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(signer.SubjectPublicKeyInfo.Span))
        {
            throw new ArgumentException($"the key does not match the certificate {certificate.Subject}", nameof(signer));
        }
        Chain = chain;
        ChainDer = chain.Select(c => c.RawData).ToArray();
        _signer = signer;
        _issuerName = certificate.SubjectName.RawData;
        _issuerKeyId = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray();
    }

    /// <summary>The issuing chain, leaf-most first.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The issuing chain as DER.</summary>
    public IReadOnlyList<byte[]> ChainDer { get; }

    /// <summary>Builds, lints and signs the certificate; returns its DER and serial.</summary>
    public async ValueTask<(byte[] Der, BigInteger Serial)> IssueAsync(X509CertificateDescription certificate, CancellationToken cancellationToken)
    {
        var serial = certificate.SerialNumber ?? NewSerial();
        Lint(certificate, serial);
        var algorithm = _signer.SignatureAlgorithmIdentifier;
        var tbs = TbsCertificateBuilder.Build(certificate, serial, _issuerName, _issuerKeyId, algorithm.Span);
        var signature = await _signer.SignAsync(tbs, cancellationToken).ConfigureAwait(false);
        return (TbsCertificateBuilder.Assemble(tbs, algorithm.Span, signature), serial);
    }

    /// <summary>
    /// A random positive serial with 128 bits of entropy (CA/B BR §7.1 asks for at least 64;
    /// step-ca uses 128). Prefixed with a zero byte when the high bit is set, so up to 17 octets.
    /// </summary>
    public static BigInteger NewSerial()
    {
        Span<byte> bytes = stackalloc byte[16];
        BigInteger serial;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            serial = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        }
        while (serial.IsZero);
        return serial;
    }

    // RFC 5280 basics checked before the key is used, so a bad description never gets signed.
    private static void Lint(X509CertificateDescription certificate, BigInteger serial)
    {
        if (serial.Sign <= 0 || serial.GetByteCount() > 20)
        {
            throw PkiException.Internal("serial number must be positive and at most 20 octets (RFC 5280 §4.1.2.2)");
        }
        if (certificate.NotAfter <= certificate.NotBefore)
        {
            throw PkiException.Forbidden("notAfter must be after notBefore");
        }
        if (certificate.RawSubject is null && certificate.Subject.IsEmpty && certificate.Sans.IsEmpty && certificate.CopiedExtensions is null)
        {
            throw PkiException.BadRequest("certificate has neither a subject nor subject alternative names (RFC 5280 §4.1.2.6)");
        }
        var sans = certificate.Sans;
        if (sans.DnsNames.Concat(sans.EmailAddresses).Concat(sans.Uris).Any(s => s.Length == 0 || s.Any(c => c > 0x7E || c < 0x20)))
        {
            throw PkiException.BadRequest("subject alternative names must be non-empty printable ASCII (IA5String, RFC 5280 §4.2.1.6)");
        }
    }
}
