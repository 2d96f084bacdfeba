using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Provisioners.X5c;

/// <summary>
/// The validity of an X.509 certificate an X5C token allows (sign_options.go
/// <c>profileLimitDuration</c>): the requested times, else the template's, else now − backdate until
/// the default duration; it must lie within the x5c leaf's window (403 otherwise), and a default end
/// is cut at the leaf's notAfter. Replaces the standard default-validity stage. Immutable.
/// </summary>
/// <param name="defaultDuration">The claims' <c>defaultTLSCertDuration</c>.</param>
/// <param name="credentialNotBefore">The leaf's notBefore.</param>
/// <param name="credentialNotAfter">The leaf's notAfter.</param>
internal sealed class X5cCredentialValidityModifier(TimeSpan defaultDuration, DateTimeOffset credentialNotBefore, DateTimeOffset credentialNotAfter)
    : ICertificateModifier<X509CertificateDescription>
{
    public X509CertificateDescription Modify(X509CertificateDescription certificate, IssuanceContext context)
    {
        var backdate = TimeSpan.Zero;
        var notBefore = context.RequestedNotBefore.Resolve(context.Now) ?? (certificate.NotBefore == default ? null : certificate.NotBefore);
        if (notBefore is null)
        {
            notBefore = context.Now;
            backdate = context.Backdate;
        }
        if (notBefore < credentialNotBefore)
        {
            throw PkiException.Forbidden($"requested certificate notBefore ({notBefore:O}) is before the active validity window of the provisioning credential ({credentialNotBefore:O})");
        }
        var notAfter = context.RequestedNotAfter.Resolve(notBefore.Value) ?? (certificate.NotAfter == default ? null : certificate.NotAfter);
        if (notAfter > credentialNotAfter)
        {
            throw PkiException.Forbidden($"requested certificate notAfter ({notAfter:O}) is after the expiration of the provisioning credential ({credentialNotAfter:O})");
        }
        var byDefault = notBefore.Value + defaultDuration;
        certificate.NotBefore = notBefore.Value - backdate;
        certificate.NotAfter = notAfter ?? (byDefault > credentialNotAfter ? credentialNotAfter : byDefault);
        return certificate;
    }
}

/// <summary>
/// The validity of an SSH certificate an X5C token allows (sign_ssh_options.go <c>sshLimitDuration</c>):
/// an unset start is now (whole seconds) moved back by the backdate, an unset end is the type's default
/// duration cut at the x5c leaf's notAfter, and a set start or end after the leaf's notAfter is a 403.
/// Replaces the standard default-duration stage. Immutable.
/// </summary>
/// <param name="claims">The provisioner's merged claims.</param>
/// <param name="credentialNotAfter">The leaf's notAfter.</param>
internal sealed class X5cSshCredentialValidityModifier(ClaimSet claims, DateTimeOffset credentialNotAfter) : ICertificateModifier<SshCertificateDescription>
{
    public SshCertificateDescription Modify(SshCertificateDescription certificate, IssuanceContext context)
    {
        var duration = certificate.Type switch
        {
            SshCertificateType.User => claims.DefaultUserSshCertDuration,
            SshCertificateType.Host => claims.DefaultHostSshCertDuration,
            _ => throw PkiException.Forbidden("ssh certificate type has not been set"),
        };
        var backdate = TimeSpan.Zero;
        var validAfter = certificate.ValidAfter;
        if (validAfter is null)
        {
            backdate = TimeSpan.FromSeconds(Math.Floor(context.Backdate.TotalSeconds));
            validAfter = DateTimeOffset.FromUnixTimeSeconds(context.Now.ToUnixTimeSeconds());
        }
        if (validAfter > credentialNotAfter)
        {
            throw PkiException.Forbidden($"provisioning credential expiration ({credentialNotAfter:O}) is before requested certificate validAfter ({validAfter:O})");
        }
        var validBefore = certificate.ValidBefore;
        if (validBefore is null)
        {
            var byDefault = validAfter.Value + TimeSpan.FromSeconds(Math.Floor(duration.TotalSeconds));
            validBefore = DateTimeOffset.FromUnixTimeSeconds((byDefault > credentialNotAfter ? credentialNotAfter : byDefault).ToUnixTimeSeconds());
        }
        else if (validBefore > credentialNotAfter)
        {
            throw PkiException.Forbidden($"provisioning credential expiration ({credentialNotAfter:O}) is before requested certificate validBefore ({validBefore:O})");
        }
        // "Apply backdate safely": never below the epoch.
        if (validAfter.Value.ToUnixTimeSeconds() > (long)backdate.TotalSeconds)
        {
            validAfter -= backdate;
        }
        return certificate with { ValidAfter = validAfter, ValidBefore = validBefore };
    }
}
