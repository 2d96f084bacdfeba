using Smallstep.Pki.Issuance;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The SSH issuance plan a provisioner builds when it allows a request: template data, template,
/// and the typed stage lists of <see cref="IssuancePlan{TRequest, TCertificate}"/>, run by the same
/// runner as X.509 (authority/ssh.go <c>signSSH</c>'s roles): request validators, template, the
/// request's validity, modifiers, enforced limits and validators, name policies, one signature,
/// then one transaction with the recording steps.
/// </summary>
public sealed class SshSignAuthorization : IssuancePlan<SshSignOptions, SshCertificateDescription>
{
    /// <summary>Creates a plan for <paramref name="provisioner"/>.</summary>
    /// <param name="provisioner">The provisioner that allowed the request.</param>
    /// <param name="templateData">What the template sees (<c>.Type .KeyID .Principals ...</c>).</param>
    /// <param name="template">The provisioner's template, or step's default.</param>
    public SshSignAuthorization(IProvisioner provisioner, SshTemplateData templateData, SshCertificateTemplate template)
        : base(provisioner)
    {
        TemplateData = templateData ?? throw new ArgumentNullException(nameof(templateData));
        Template = template ?? throw new ArgumentNullException(nameof(template));
    }

    /// <summary>The data the template renders (the request's <c>.Insecure.CR</c> is added by the authority).</summary>
    public SshTemplateData TemplateData { get; }

    /// <summary>The template (<c>options.ssh</c>, else step's default).</summary>
    public SshCertificateTemplate Template { get; }
}

/// <summary>
/// Optional capability of a provisioner: SSH certificates on <c>POST /ssh/sign</c> (step-ca
/// <c>AuthorizeSSHSign</c>). Provisioners without it refuse with 401, as step-ca's base does.
/// </summary>
public interface ISshSignProvisioner
{
    /// <summary>Authorizes an SSH sign request; throws when not allowed (deny by default).</summary>
    ValueTask<SshSignAuthorization> AuthorizeSshSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default);
}
