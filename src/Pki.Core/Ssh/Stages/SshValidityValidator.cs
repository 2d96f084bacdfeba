using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Time;

using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Ssh.Stages;

/// <summary>
/// The validity must be set, end in the future, and last between the type's minimum and maximum
/// duration, the maximum stretched by the backdate (sign_ssh_options.go <c>sshCertValidityValidator</c>).
/// Immutable.
/// </summary>
/// <param name="claims">The provisioner's merged claims.</param>
public sealed class SshValidityValidator(ClaimSet claims) : ICertificateValidator<SshCertificateDescription>
{
    /// <inheritdoc />
    /// <exception cref="PkiException">BadRequest: unset, past or inverted validity; Forbidden: a duration out of bounds.</exception>
    public void Validate(SshCertificateDescription certificate, IssuanceContext context)
    {
        if (certificate.ValidAfter is not { } validAfter)
        {
            throw PkiException.BadRequest("ssh certificate validAfter cannot be 0");
        }
        var validBefore = certificate.ValidBefore ?? DateTimeOffset.UnixEpoch;
        if (validBefore.ToUnixTimeSeconds() < context.Now.ToUnixTimeSeconds())
        {
            throw PkiException.BadRequest("ssh certificate validBefore cannot be in the past");
        }
        if (validBefore < validAfter)
        {
            throw PkiException.BadRequest("ssh certificate validBefore cannot be before validAfter");
        }
        var (min, max) = SshDurations.Bounds(claims, certificate.Type);
        var duration = TimeSpan.FromSeconds(validBefore.ToUnixTimeSeconds() - validAfter.ToUnixTimeSeconds());
        if (duration < min)
        {
            throw PkiException.Forbidden($"requested duration of {GoDuration.Format(duration)} is less than minimum accepted duration for selected provisioner of {GoDuration.Format(min)}");
        }
        if (duration > max + context.Backdate)
        {
            throw PkiException.Forbidden($"requested duration of {GoDuration.Format(duration)} is greater than maximum accepted duration for selected provisioner of {GoDuration.Format(max + context.Backdate)}");
        }
    }
}
