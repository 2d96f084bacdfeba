using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Authority;

/// <summary>
/// Creates the CA hierarchy as <c>step ca init</c> does (pki/pki.go): a self-signed root
/// (pathlen 1, no AKI) and an intermediate (pathlen 0), both keyCertSign + cRLSign, ten years.
/// </summary>
public static class CaCertificateFactory
{
    /// <summary>The lifetime step gives both CA certificates.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    /// <summary>Creates a self-signed root certificate for <paramref name="signer"/>'s key.</summary>
    public static async Task<X509Certificate2> CreateRootAsync(ICertificateSigner signer, DistinguishedName subject, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        var description = Describe(subject, signer.SubjectPublicKeyInfo, notBefore, maxPathLength: 1);
        var name = subject.Encode();
        var algorithm = signer.SignatureAlgorithmIdentifier;
        var tbs = TbsCertificateBuilder.Build(description, X509Issuer.NewSerial(), name, issuerKeyId: null, algorithm.Span);
        var signature = await signer.SignAsync(tbs, cancellationToken).ConfigureAwait(false);
        return X509CertificateLoader.LoadCertificate(TbsCertificateBuilder.Assemble(tbs, algorithm.Span, signature));
    }

    /// <summary>Creates an intermediate certificate for <paramref name="subjectPublicKeyInfo"/>, signed by <paramref name="root"/>.</summary>
    public static async Task<X509Certificate2> CreateIntermediateAsync(X509Issuer root, ReadOnlyMemory<byte> subjectPublicKeyInfo, DistinguishedName subject, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        var description = Describe(subject, subjectPublicKeyInfo, notBefore, maxPathLength: 0);
        var (der, _) = await root.IssueAsync(description, cancellationToken).ConfigureAwait(false);
        return X509CertificateLoader.LoadCertificate(der);
    }

    private static X509CertificateDescription Describe(DistinguishedName subject, ReadOnlyMemory<byte> spki, DateTimeOffset notBefore, int maxPathLength) => new()
    {
        Subject = subject,
        SubjectPublicKeyInfo = spki,
        PublicKey = SubjectPublicKey.Decode(spki),
        KeyUsage = KeyUsageFlags.CertSign | KeyUsageFlags.CrlSign,
        BasicConstraints = new BasicConstraints(true, maxPathLength),
        NotBefore = notBefore,
        NotAfter = notBefore + Lifetime,
    };
}
