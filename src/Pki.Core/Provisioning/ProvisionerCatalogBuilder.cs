using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Turns ca.json provisioner entries into a <see cref="ProvisionerCatalog"/> using the registered
/// factories. A type with no factory becomes a <see cref="DisabledProvisioner"/> and one warning;
/// an invalid entry stops the start with every problem listed.
/// </summary>
public static class ProvisionerCatalogBuilder
{
    /// <summary>Builds the catalog; adds one warning per provisioner this build does not run.</summary>
    /// <exception cref="CaConfigException">An entry is invalid.</exception>
    public static ProvisionerCatalog Build(IReadOnlyList<ProvisionerConfig> entries, IEnumerable<IProvisionerFactory> factories, ClaimSet authorityClaims,
        TimeProvider time, ICollection<ConfigDiagnostic> diagnostics, string source = "ca.json", Func<string, string>? resolvePath = null)
    {
        var byType = factories.ToDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);
        var errors = new List<ConfigDiagnostic>();
        var provisioners = new List<IProvisioner>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var field = $"authority.provisioners[{i}]";
            var claims = authorityClaims.Merge(entry.Claims);
            var claimProblems = claims.Validate(field + ".claims", entry.Claims);
            errors.AddRange(claimProblems.Where(d => d.Severity == ConfigDiagnosticSeverity.Error));
            if (!byType.TryGetValue(entry.Type, out var factory))
            {
                diagnostics.Add(ConfigDiagnostic.Warning(field, $"provisioner \"{entry.Name}\" of type {entry.Type} is not supported by this build yet; it is listed but every request for it answers 501"));
                provisioners.Add(new DisabledProvisioner(entry, claims));
                continue;
            }
            try
            {
                provisioners.Add(factory.Create(entry, new ProvisionerBuildContext(claims, field, time, resolvePath)));
            }
            catch (CaConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }
        var duplicates = provisioners.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)
            .Concat(provisioners.GroupBy(p => p.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
        errors.AddRange(duplicates.Select(d => ConfigDiagnostic.Error("authority.provisioners", $"duplicated provisioner name or id \"{d}\"")));
        if (errors.Count > 0)
        {
            throw new CaConfigException(source, errors);
        }
        return new ProvisionerCatalog(provisioners);
    }
}
