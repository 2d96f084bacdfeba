using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The provisioners added in code (<c>AddProvisioner</c>, <c>AddJwkProvisioner</c>, ...): each entry
/// is produced when the catalog is built (at start and on every reload), from its named options.
/// </summary>
/// <param name="provisioners">The registrations, in the order they were added.</param>
public sealed class CodeProvisionerSource(IEnumerable<CodeProvisioner> provisioners) : IProvisionerSource
{
    private readonly CodeProvisioner[] _provisioners = provisioners.ToArray();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProvisionerSourceEntry>> LoadAsync(CaConfig config, CancellationToken cancellationToken = default)
    {
        var entries = new List<ProvisionerSourceEntry>(_provisioners.Length);
        var errors = new List<ConfigDiagnostic>();
        foreach (var provisioner in _provisioners)
        {
            try
            {
                entries.Add(new ProvisionerSourceEntry(provisioner.Entry(), provisioner.DefinedBy));
            }
            catch (CaConfigException e)
            {
                errors.AddRange(e.Errors.Select(d => d with { Field = $"{provisioner.DefinedBy}.{d.Field}" }));
            }
        }
        return errors.Count > 0 ? throw new CaConfigException("code", errors) : ValueTask.FromResult<IReadOnlyList<ProvisionerSourceEntry>>(entries);
    }
}

/// <summary>A provisioner added in code.</summary>
/// <param name="DefinedBy">The call that added it (<c>AddJwkProvisioner("ops")</c>), named in messages.</param>
/// <param name="Entry">Produces its entry in ca.json form from its current options.</param>
public sealed record CodeProvisioner(string DefinedBy, Func<ProvisionerConfig> Entry);
