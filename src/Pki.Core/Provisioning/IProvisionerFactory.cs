using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Creates provisioners of one type from their ca.json entries. Register one per type; the host
/// builds the catalog by asking the factory whose <see cref="Type"/> matches each entry
/// (case-insensitively, as step-ca compares types).
/// </summary>
public interface IProvisionerFactory
{
    /// <summary>The provisioner type this factory builds (<c>JWK</c>, ...).</summary>
    string Type { get; }

    /// <summary>Builds a provisioner; throws <see cref="CaConfigException"/> naming the field when the entry is invalid.</summary>
    IProvisioner Create(ProvisionerConfig config, ProvisionerBuildContext context);
}

/// <summary>What a provisioner factory may use.</summary>
/// <param name="Claims">The merged claims for this provisioner.</param>
/// <param name="FieldPath">Where the entry sits in ca.json, for messages (<c>authority.provisioners[0]</c>).</param>
/// <param name="Time">The clock.</param>
/// <param name="ResolvePath">Resolves relative file paths in the entry (e.g. <c>options.x509.templateFile</c>) as the other ca.json paths are; null resolves against the working directory.</param>
public sealed record ProvisionerBuildContext(ClaimSet Claims, string FieldPath, TimeProvider Time, Func<string, string>? ResolvePath = null);
