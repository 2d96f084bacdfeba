using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// Sets the validity window (sign_options.go <c>profileDefaultDuration</c>): requested times
/// first, then times a template set, else now − backdate until now + the default duration. A
/// relative notAfter counts from the un-backdated notBefore.
/// </summary>
public sealed class DefaultValidityModifier(TimeSpan defaultDuration) : ICertificateModifier<X509CertificateDescription>
{
    /// <inheritdoc />
    public X509CertificateDescription Modify(X509CertificateDescription certificate, IssuanceContext context)
    {
        var templateNotBefore = certificate.NotBefore == default ? (DateTimeOffset?)null : certificate.NotBefore;
        var templateNotAfter = certificate.NotAfter == default ? (DateTimeOffset?)null : certificate.NotAfter;
        var chosenNotBefore = context.RequestedNotBefore.Resolve(context.Now) ?? templateNotBefore;
        var notBefore = chosenNotBefore ?? context.Now;
        certificate.NotBefore = chosenNotBefore ?? context.Now - context.Backdate;
        certificate.NotAfter = context.RequestedNotAfter.Resolve(notBefore) ?? templateNotAfter ?? notBefore + defaultDuration;
        return certificate;
    }
}
