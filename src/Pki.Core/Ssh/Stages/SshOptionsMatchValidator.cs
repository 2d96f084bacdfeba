using Smallstep.Pki.Provisioning;

using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Ssh.Stages;

/// <summary>
/// The request's options must not contradict the allowed ones, e.g. a token's <c>step.ssh</c>
/// (sign_ssh_options.go <c>sshCertOptionsValidator</c>). Immutable.
/// </summary>
/// <param name="allowed">What the provisioner allows.</param>
public sealed class SshOptionsMatchValidator(SshSignOptions allowed) : IRequestValidator<SshSignOptions>
{
    /// <inheritdoc />
    public void Validate(SshSignOptions requested) => allowed.Match(requested);
}
