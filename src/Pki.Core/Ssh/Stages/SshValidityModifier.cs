using Smallstep.Pki.Provisioning;

using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Ssh.Stages;

/// <summary>
/// Sets the validity a provisioner decided (a token's <c>step.ssh.validAfter/validBefore</c>),
/// over the template's and the request's (sign_ssh_options.go <c>sshCertValidAfterModifier</c>,
/// <c>sshCertValidBeforeModifier</c>). Null leaves a bound unchanged. Immutable.
/// </summary>
/// <param name="validAfter">The start, or null.</param>
/// <param name="validBefore">The end, or null.</param>
public sealed class SshValidityModifier(DateTimeOffset? validAfter, DateTimeOffset? validBefore) : ICertificateModifier<SshCertificateDescription>
{
    /// <inheritdoc />
    public SshCertificateDescription Modify(SshCertificateDescription certificate, IssuanceContext context) => certificate with
    {
        ValidAfter = validAfter ?? certificate.ValidAfter,
        ValidBefore = validBefore ?? certificate.ValidBefore,
    };
}
