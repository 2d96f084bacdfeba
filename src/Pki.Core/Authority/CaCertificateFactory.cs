using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Authority;

/// <summary>
/// Creates the CA hierarchy as <c>step ca init</c> does (pki/pki.go): a self-signed root
/// (pathlen 1, no AKI) and an intermediate (pathlen 0), both keyCertSign + cRLSign, ten years —
/// or as X.509 templates describe them (step's <c>DefaultRootTemplate</c>/<c>DefaultIntermediateTemplate</c>
/// are the defaults' equivalents), e.g. to allow a longer chain or add name constraints.
/// </summary>
public static class CaCertificateFactory
{
    /// <summary>The lifetime step gives both CA certificates.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    /// <summary>Creates a self-signed root certificate for <paramref name="signer"/>'s key.</summary>
    /// <param name="signer">The root key.</param>
    /// <param name="subject">The root's subject (<c>.Subject</c> for a template).</param>
    /// <param name="notBefore">Start of validity, unless the template sets one.</param>
    /// <param name="template">A template describing the root; null for step's profile.</param>
    /// <param name="cancellationToken">Cancels signing.</param>
    /// <exception cref="Errors.PkiException">400 when the template fails or does not describe a CA.</exception>
    public static async Task<X509Certificate2> CreateRootAsync(ICertificateSigner signer, DistinguishedName subject, DateTimeOffset notBefore,
        X509CertificateTemplate? template = null, CancellationToken cancellationToken = default)
    {
        var description = Describe(subject, signer.SubjectPublicKeyInfo, notBefore, maxPathLength: 1, template);
        var name = subject.Encode();
        var algorithm = signer.SignatureAlgorithmIdentifier;
        var tbs = TbsCertificateBuilder.Build(description, X509Issuer.NewSerial(), name, issuerKeyId: null, algorithm.Span);
        var signature = await signer.SignAsync(tbs, cancellationToken).ConfigureAwait(false);
        return X509CertificateLoader.LoadCertificate(TbsCertificateBuilder.Assemble(tbs, algorithm.Span, signature));
    }

    /// <summary>Creates an intermediate certificate for <paramref name="subjectPublicKeyInfo"/>, signed by <paramref name="root"/>.</summary>
    /// <param name="root">The issuing root.</param>
    /// <param name="subjectPublicKeyInfo">The intermediate's key.</param>
    /// <param name="subject">The intermediate's subject (<c>.Subject</c> for a template).</param>
    /// <param name="notBefore">Start of validity, unless the template sets one.</param>
    /// <param name="template">A template describing the intermediate; null for step's profile.</param>
    /// <param name="cancellationToken">Cancels signing.</param>
    /// <exception cref="Errors.PkiException">400 when the template fails or does not describe a CA.</exception>
    public static async Task<X509Certificate2> CreateIntermediateAsync(X509Issuer root, ReadOnlyMemory<byte> subjectPublicKeyInfo, DistinguishedName subject, DateTimeOffset notBefore,
        X509CertificateTemplate? template = null, CancellationToken cancellationToken = default)
    {
        var description = Describe(subject, subjectPublicKeyInfo, notBefore, maxPathLength: 0, template);
        var (der, _) = await root.IssueAsync(description, cancellationToken).ConfigureAwait(false);
        return X509CertificateLoader.LoadCertificate(der);
    }

    private static X509CertificateDescription Describe(DistinguishedName subject, ReadOnlyMemory<byte> spki, DateTimeOffset notBefore, int maxPathLength,
        X509CertificateTemplate? template)
    {
        if (template is null)
        {
            return Describe(subject, spki, notBefore, maxPathLength);
        }
        var description = template.RenderForKey(new TemplateInput(subject, SubjectAlternativeNames.Empty), spki);
        if (description.BasicConstraints is not { IsCa: true } || !description.KeyUsage.HasFlag(KeyUsageFlags.CertSign))
        {
            throw Errors.PkiException.BadRequest($"template {template.Name} does not describe a CA: it needs basicConstraints.isCA and the certSign key usage");
        }
        if (description.NotBefore == default)
        {
            description.NotBefore = notBefore;
        }
        if (description.NotAfter == default)
        {
            description.NotAfter = description.NotBefore + Lifetime;
        }
        return description;
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
