using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// Adds the provisioner extension last, replacing any copy a template injected
/// (authority/provisioner/sign_options.go <c>provisionerExtensionOption</c>).
/// </summary>
public sealed class ProvisionerExtensionModifier(IProvisioner provisioner, IReadOnlyList<string>? keyValuePairs = null) : ICertificateModifier<X509CertificateDescription>
{
    /// <inheritdoc />
    public X509CertificateDescription Modify(X509CertificateDescription certificate, IssuanceContext context)
    {
        certificate.ExtraExtensions.RemoveAll(e => e.Oid == ProvisionerExtension.Oid);
        var info = provisioner.ExtensionInfo;
        certificate.ExtraExtensions.Add(new CertificateExtension(ProvisionerExtension.Oid, false, ProvisionerExtension.Encode(info.TypeCode, provisioner.Name, info.CredentialId, keyValuePairs)));
        return certificate;
    }
}
