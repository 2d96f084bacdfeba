using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Ssh.Stages;

/// <summary>
/// Fills an unset validity from the claims (sign_ssh_options.go <c>sshDefaultDuration</c>): no
/// start means now (whole seconds) moved back by the backdate, no end means the unbackdated start
/// plus the type's default duration. Immutable.
/// </summary>
/// <param name="claims">The provisioner's merged claims.</param>
public sealed class SshDefaultDurationModifier(ClaimSet claims) : ICertificateModifier<SshCertificateDescription>
{
    /// <inheritdoc />
    /// <exception cref="PkiException">Forbidden: the certificate has no known type.</exception>
    public SshCertificateDescription Modify(SshCertificateDescription certificate, IssuanceContext context)
    {
        var duration = SshDurations.Default(claims, certificate.Type);
        var backdate = TimeSpan.Zero;
        var validAfter = certificate.ValidAfter;
        if (validAfter is null)
        {
            backdate = TimeSpan.FromSeconds(Math.Floor(context.Backdate.TotalSeconds));
            validAfter = DateTimeOffset.FromUnixTimeSeconds(context.Now.ToUnixTimeSeconds());
        }
        var validBefore = certificate.ValidBefore ?? validAfter + TimeSpan.FromSeconds(Math.Floor(duration.TotalSeconds));
        // "Apply backdate safely": never below the epoch.
        if (validAfter.Value.ToUnixTimeSeconds() > (long)backdate.TotalSeconds)
        {
            validAfter -= backdate;
        }
        return certificate with { ValidAfter = validAfter, ValidBefore = validBefore };
    }
}

/// <summary>The SSH duration claims of a certificate type (provisioner/claims.go <c>Claimer</c>).</summary>
internal static class SshDurations
{
    public static TimeSpan Default(ClaimSet claims, SshCertificateType type) => type switch
    {
        SshCertificateType.User => claims.DefaultUserSshCertDuration,
        SshCertificateType.Host => claims.DefaultHostSshCertDuration,
        // A modifier's failure is a 403 in step-ca (authority/ssh.go signSSH).
        _ => throw PkiException.Forbidden(NoType(type)),
    };

    public static (TimeSpan Min, TimeSpan Max) Bounds(ClaimSet claims, SshCertificateType type) => type switch
    {
        SshCertificateType.User => (claims.MinUserSshCertDuration, claims.MaxUserSshCertDuration),
        SshCertificateType.Host => (claims.MinHostSshCertDuration, claims.MaxHostSshCertDuration),
        _ => throw PkiException.BadRequest(NoType(type)),
    };

    private static string NoType(SshCertificateType type) => type == SshCertificateType.None
        ? "ssh certificate type has not been set"
        : $"ssh certificate has an unknown type '{(int)type}'";
}
