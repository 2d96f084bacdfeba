using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Builds a <see cref="ProvisionerCatalog"/> from the entries of every provisioner source with the
/// registered provisioner types. An entry of a type with no registration, or an invalid entry, stops
/// the start (or the reload) with every problem listed, each naming where the entry was defined; an
/// entry of a registered type this build does not run yet is listed and answers 501, with one warning.
/// </summary>
public static class ProvisionerCatalogBuilder
{
    /// <summary>Builds the catalog.</summary>
    /// <param name="sources">Where the entries come from (ca.json, code, configuration, ...).</param>
    /// <param name="registrations">The registered types; for a type registered twice, the first wins.</param>
    /// <param name="config">The ca.json being loaded.</param>
    /// <param name="time">The clock.</param>
    /// <param name="diagnostics">Receives the warnings.</param>
    /// <param name="source">The configuration file, named in errors.</param>
    /// <param name="resolvePath">Resolves relative paths in entries as ca.json's are.</param>
    /// <param name="cancellationToken">Cancels loading from the sources.</param>
    /// <exception cref="CaConfigException">An entry is invalid, of an unregistered type, or duplicated.</exception>
    public static async ValueTask<ProvisionerCatalog> BuildAsync(IEnumerable<IProvisionerSource> sources, IEnumerable<ProvisionerTypeRegistration> registrations,
        CaConfig config, TimeProvider time, ICollection<ConfigDiagnostic> diagnostics, string source = "ca.json", Func<string, string>? resolvePath = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(config);
        var byType = new Dictionary<string, ProvisionerTypeRegistration>(StringComparer.OrdinalIgnoreCase);
        foreach (var registration in registrations)
        {
            byType.TryAdd(registration.Type, registration);
        }
        var authorityClaims = config.Authority.EffectiveClaims;
        var errors = new List<ConfigDiagnostic>();
        var built = new List<ProvisionerCatalogEntry>();
        foreach (var provisionerSource in sources)
        {
            foreach (var (entry, field) in await provisionerSource.LoadAsync(config, cancellationToken).ConfigureAwait(false))
            {
                var claims = authorityClaims.Merge(entry.Claims);
                errors.AddRange(claims.Validate(field + ".claims", entry.Claims).Where(d => d.Severity == ConfigDiagnosticSeverity.Error));
                if (!byType.TryGetValue(entry.Type, out var registration))
                {
                    errors.Add(ConfigDiagnostic.Error(field + ".type", $"provisioner \"{entry.Name}\" has type \"{entry.Type}\", and no provisioner type of that name is registered "
                        + "(the step-ca types are registered by AddStepProvisioners() from Smallstep.Pki.Provisioners; a custom type by AddProvisionerType)"));
                    continue;
                }
                if (!registration.IsRunnable)
                {
                    diagnostics.Add(ConfigDiagnostic.Warning(field, $"provisioner \"{entry.Name}\" of type {registration.Type} is not supported by this build yet; it is listed but every request for it answers 501"));
                }
                try
                {
                    var provisioner = registration.Create(entry, new ProvisionerBuildContext(claims, field, time, resolvePath, registration));
                    var listing = registration.Listing;
                    built.Add(new ProvisionerCatalogEntry(provisioner, writer => listing.Write(writer, entry, registration.Type)));
                }
                catch (CaConfigException e)
                {
                    errors.AddRange(e.Errors);
                }
            }
        }
        var duplicates = built.GroupBy(e => e.Provisioner.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)
            .Concat(built.GroupBy(e => e.Provisioner.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
        errors.AddRange(duplicates.Select(d => ConfigDiagnostic.Error("authority.provisioners", $"duplicated provisioner name or id \"{d}\"")));
        if (errors.Count == 0)
        {
            try
            {
                return new ProvisionerCatalog(built);
            }
            catch (ArgumentException e)
            {
                errors.Add(ConfigDiagnostic.Error("authority.provisioners", e.Message));
            }
        }
        throw new CaConfigException(source, errors);
    }
}
