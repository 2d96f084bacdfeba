using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>What a provisioner type's builder may use.</summary>
/// <param name="Claims">The merged claims for this provisioner.</param>
/// <param name="FieldPath">Where the entry was defined, for messages (<c>authority.provisioners[0]</c>, <c>AddJwkProvisioner("ops")</c>).</param>
/// <param name="Time">The clock.</param>
/// <param name="ResolvePath">Resolves relative file paths in the entry (e.g. <c>options.x509.templateFile</c>) as the other ca.json paths are; null resolves against the working directory.</param>
/// <param name="Registration">The registration of the entry's type (canonical name, extension type code); null for a type built outside a catalog.</param>
public sealed record ProvisionerBuildContext(ClaimSet Claims, string FieldPath, TimeProvider Time, Func<string, string>? ResolvePath = null,
    ProvisionerTypeRegistration? Registration = null);
