using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Ssh.Stages;

/// <summary>
/// The fields every certificate needs after templating (sign_ssh_options.go
/// <c>sshCertDefaultValidator</c>): a key id and a validity that is set, not over, not inverted.
/// Principals and extensions may be empty. Nonce, serial, key and signature are the signer's,
/// which always sets them. Stateless.
/// </summary>
public sealed class SshRequiredFieldsValidator : ICertificateValidator<SshCertificateDescription>
{
    /// <summary>The validator.</summary>
    public static SshRequiredFieldsValidator Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="PkiException">Forbidden: a field is missing or the validity is not usable.</exception>
    public void Validate(SshCertificateDescription certificate, IssuanceContext context)
    {
        if (certificate.Type is not (SshCertificateType.User or SshCertificateType.Host))
        {
            throw PkiException.Forbidden($"ssh certificate has an unknown type '{(int)certificate.Type}'");
        }
        if (certificate.KeyId.Length == 0)
        {
            throw PkiException.Forbidden("ssh certificate key id cannot be empty");
        }
        if (certificate.ValidAfter is not { } validAfter)
        {
            throw PkiException.Forbidden("ssh certificate validAfter cannot be 0");
        }
        var validBefore = certificate.ValidBefore ?? DateTimeOffset.UnixEpoch;
        if (validBefore.ToUnixTimeSeconds() < context.Now.ToUnixTimeSeconds())
        {
            throw PkiException.Forbidden("ssh certificate validBefore cannot be in the past");
        }
        if (validBefore < validAfter)
        {
            throw PkiException.Forbidden("ssh certificate validBefore cannot be before validAfter");
        }
    }
}
