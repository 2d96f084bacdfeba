using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The issuance plan a provisioner builds when it allows a sign request: one typed list per
/// pipeline stage (step-ca's sign options without the <c>interface{}</c> bag). The authority runs
/// the stages in order: CSR validators, template, modifiers, validators, enforcers, policy.
/// </summary>
public sealed class SignAuthorization
{
    /// <summary>Creates a plan for <paramref name="provisioner"/> with the subject and SANs it vouches for.</summary>
    public SignAuthorization(IProvisioner provisioner, TemplateInput template)
    {
        Provisioner = provisioner;
        Template = template;
    }

    /// <summary>The provisioner that allowed the request.</summary>
    public IProvisioner Provisioner { get; }

    /// <summary>The one-time key to burn before issuing (<c>jti</c>), or null when the type has none.</summary>
    public string? ReplayKey { get; init; }

    /// <summary>What the template receives: subject, SANs, token claims.</summary>
    public TemplateInput Template { get; }

    /// <summary>
    /// Stage 4: the provisioner's certificate template (<c>options.x509</c>), or null for step's
    /// default leaf template.
    /// </summary>
    public Issuance.Templating.X509CertificateTemplate? CertificateTemplate { get; init; }

    /// <summary>
    /// Stage 6: the provisioner's own name policy (its ca.json <c>policy</c> member), checked in
    /// addition to the authority's; null when it has none.
    /// </summary>
    public Policy.INamePolicyEngine? NamePolicy { get; init; }

    /// <summary>Stage 3: checks of the CSR against what the provisioner vouches for.</summary>
    public List<ICsrValidator> CsrValidators { get; } = [];

    /// <summary>Stage 5a: changes to the rendered certificate (validity, extensions).</summary>
    public List<ICertificateModifier> Modifiers { get; } = [];

    /// <summary>Stage 5b: checks of the rendered certificate (durations, key).</summary>
    public List<ICertificateValidator> Validators { get; } = [];
}

/// <summary>Stage 3: validates the CSR; throws a 403 <see cref="Errors.PkiException"/> to refuse.</summary>
public interface ICsrValidator
{
    /// <summary>Throws when the CSR is not acceptable.</summary>
    void Validate(CertificationRequest csr);
}

/// <summary>Stage 5a: modifies the certificate description before it is validated.</summary>
public interface ICertificateModifier
{
    /// <summary>Applies the change.</summary>
    void Modify(X509CertificateDescription certificate, IssuanceContext context);
}

/// <summary>Stage 5b: validates the final certificate description; throws a 403 to refuse.</summary>
public interface ICertificateValidator
{
    /// <summary>Throws when the certificate is not acceptable.</summary>
    void Validate(X509CertificateDescription certificate, IssuanceContext context);
}
