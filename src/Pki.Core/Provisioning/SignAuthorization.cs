using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The X.509 issuance plan a provisioner builds when it allows a request: what the template
/// receives, the provisioner's template, and the typed stage lists of
/// <see cref="IssuancePlan{TRequest, TCertificate}"/>. The authority adds the standard stages
/// (provisioner extension, default validity) unless the plan opts out, and always enforces the
/// claims' duration limits, the key strength minimums and the issuer's notAfter.
/// </summary>
public sealed class SignAuthorization : IssuancePlan<CertificationRequest, X509CertificateDescription>
{
    /// <summary>Creates a plan for <paramref name="provisioner"/> with the subject and SANs it vouches for.</summary>
    public SignAuthorization(IProvisioner provisioner, TemplateInput template)
        : base(provisioner)
    {
        Template = template ?? throw new ArgumentNullException(nameof(template));
    }

    /// <summary>What the template receives: subject, SANs, token claims.</summary>
    public TemplateInput Template { get; }

    /// <summary>
    /// Stage 4: the provisioner's certificate template (<c>options.x509</c>), or null for step's
    /// default leaf template.
    /// </summary>
    public Issuance.Templating.X509CertificateTemplate? CertificateTemplate { get; init; }
}
