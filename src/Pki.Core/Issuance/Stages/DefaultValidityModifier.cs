using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// Sets the validity window: requested times when given, else now − backdate until
/// now + the default duration (sign_options.go <c>profileDefaultDuration</c>). A relative
/// notAfter counts from the un-backdated notBefore.
/// </summary>
public sealed class DefaultValidityModifier(TimeSpan defaultDuration) : ICertificateModifier
{
    /// <inheritdoc />
    public void Modify(X509CertificateDescription certificate, IssuanceContext context)
    {
        var requestedNotBefore = context.RequestedNotBefore.Resolve(context.Now);
        var notBefore = requestedNotBefore ?? context.Now;
        certificate.NotBefore = requestedNotBefore ?? context.Now - context.Backdate;
        certificate.NotAfter = context.RequestedNotAfter.Resolve(notBefore) ?? notBefore + defaultDuration;
    }
}
