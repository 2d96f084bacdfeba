using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The SSH issuance plan a provisioner builds when it allows a <c>POST /ssh/sign</c>: template
/// data, template, and one typed list per stage (step-ca's SSH sign options without the
/// <c>interface{}</c> bag, authority/ssh.go <c>signSSH</c>). The authority runs: request option
/// validators, template, request validity, modifiers, authority policy, validators, the provisioner's
/// policy, then signs once.
/// </summary>
public sealed class SshSignAuthorization
{
    /// <summary>Creates a plan for <paramref name="provisioner"/>.</summary>
    /// <param name="provisioner">The provisioner that allowed the request.</param>
    /// <param name="templateData">What the template sees (<c>.Type .KeyID .Principals ...</c>).</param>
    /// <param name="template">The provisioner's template, or step's default.</param>
    public SshSignAuthorization(IProvisioner provisioner, SshTemplateData templateData, SshCertificateTemplate template)
    {
        Provisioner = provisioner;
        TemplateData = templateData;
        Template = template;
    }

    /// <summary>The provisioner that allowed the request.</summary>
    public IProvisioner Provisioner { get; }

    /// <summary>The one-time key to burn before signing (<c>jti</c>), or null when the type has none.</summary>
    public string? ReplayKey { get; init; }

    /// <summary>The data the template renders (the request's <c>.Insecure.CR</c> is added by the authority).</summary>
    public SshTemplateData TemplateData { get; }

    /// <summary>The template (<c>options.ssh</c>, else step's default).</summary>
    public SshCertificateTemplate Template { get; }

    /// <summary>The provisioner's own name policy, checked after the authority's; null when it has none.</summary>
    public Policy.INamePolicyEngine? NamePolicy { get; init; }

    /// <summary>Checks of the request's options (e.g. against the token's <c>step.ssh</c>); 400/403 to refuse.</summary>
    public List<ISshOptionsValidator> OptionsValidators { get; } = [];

    /// <summary>Changes to the rendered certificate after the request's validity (token validity, default duration).</summary>
    public List<ISshCertificateModifier> Modifiers { get; } = [];

    /// <summary>Checks of the final certificate (validity bounds, mandatory fields); 400/403 to refuse.</summary>
    public List<ISshCertificateValidator> Validators { get; } = [];
}

/// <summary>What SSH stages know of the request.</summary>
/// <param name="Now">The time of the request.</param>
/// <param name="Backdate">The authority's <c>backdate</c>.</param>
/// <param name="Requested">The options of the request body.</param>
public sealed record SshIssuanceContext(DateTimeOffset Now, TimeSpan Backdate, SshSignOptions Requested);

/// <summary>Validates the request's options before the template is rendered.</summary>
public interface ISshOptionsValidator
{
    /// <summary>Throws a <see cref="Errors.PkiException"/> when the options are not acceptable.</summary>
    void Validate(SshSignOptions requested);
}

/// <summary>Changes the rendered SSH certificate description.</summary>
public interface ISshCertificateModifier
{
    /// <summary>Returns the changed description; throws a 403 <see cref="Errors.PkiException"/> to refuse.</summary>
    SshCertificateDescription Modify(SshCertificateDescription certificate, SshIssuanceContext context);
}

/// <summary>Validates the final SSH certificate description before it is signed.</summary>
public interface ISshCertificateValidator
{
    /// <summary>Throws a 400/403 <see cref="Errors.PkiException"/> when the certificate is not acceptable.</summary>
    void Validate(SshCertificateDescription certificate, SshIssuanceContext context);
}

/// <summary>
/// Optional capability of a provisioner: SSH certificates on <c>POST /ssh/sign</c> (step-ca
/// <c>AuthorizeSSHSign</c>). Provisioners without it refuse with 401, as step-ca's base does.
/// </summary>
public interface ISshSignProvisioner
{
    /// <summary>Authorizes an SSH sign request carrying a one-time token; throws when not allowed.</summary>
    ValueTask<SshSignAuthorization> AuthorizeSshSignAsync(TokenContext token, CancellationToken cancellationToken = default);
}
