using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Where provisioner entries come from: ca.json, code (<c>AddProvisioner</c>), an
/// <c>IConfiguration</c> section, later the admin database. A reload rebuilds the catalog from every
/// source. Thread-safe.
/// </summary>
public interface IProvisionerSource
{
    /// <summary>The entries this source holds for <paramref name="config"/> (the ca.json being loaded).</summary>
    ValueTask<IReadOnlyList<ProvisionerSourceEntry>> LoadAsync(CaConfig config, CancellationToken cancellationToken = default);
}

/// <summary>One provisioner entry and where it came from.</summary>
/// <param name="Config">The entry, in ca.json form.</param>
/// <param name="FieldPath">Where it was defined, for messages: <c>authority.provisioners[2]</c>, <c>AddJwkProvisioner("ops")</c>, <c>configuration Pki:Provisioners:0</c>.</param>
public sealed record ProvisionerSourceEntry(ProvisionerConfig Config, string FieldPath);

/// <summary>The entries of ca.json's <c>authority.provisioners</c>.</summary>
public sealed class CaJsonProvisionerSource : IProvisionerSource
{
    /// <summary>The shared instance (stateless).</summary>
    public static CaJsonProvisionerSource Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProvisionerSourceEntry>> LoadAsync(CaConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var entries = config.Authority.Provisioners;
        return ValueTask.FromResult<IReadOnlyList<ProvisionerSourceEntry>>(entries.Select((e, i) => new ProvisionerSourceEntry(e, $"authority.provisioners[{i}]")).ToArray());
    }
}
