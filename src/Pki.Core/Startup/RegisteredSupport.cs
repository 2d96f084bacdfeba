using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Startup;

/// <summary>
/// What this application can run, read from its registrations: key managers, storage providers,
/// provisioner types (run or pending) and supported features. The start-up checks
/// and warnings are derived from it; nothing here is a hand-kept list.
/// </summary>
public sealed class RegisteredSupport
{
    private RegisteredSupport(KeyManagerRegistry keyManagers, StorageProviderRegistry storage, IReadOnlyList<ProvisionerTypeRegistration> types,
        IReadOnlySet<ConfigFeature> features, bool codeConfiguredStore)
    {
        KeyManagers = keyManagers;
        Storage = storage;
        ProvisionerTypes = types;
        Features = features;
        HasCodeConfiguredStore = codeConfiguredStore;
    }

    /// <summary>The registered key managers.</summary>
    public KeyManagerRegistry KeyManagers { get; }

    /// <summary>The registered storage providers.</summary>
    public StorageProviderRegistry Storage { get; }

    /// <summary>The registered provisioner types, those that run and those pending (listed, 501).</summary>
    public IReadOnlyList<ProvisionerTypeRegistration> ProvisionerTypes { get; }

    /// <summary>Optional ca.json features that run.</summary>
    public IReadOnlySet<ConfigFeature> Features { get; }

    /// <summary>True when a store was chosen in code (ca.json's <c>db</c> block is then not used).</summary>
    public bool HasCodeConfiguredStore { get; }

    /// <summary>Reads the registrations of <paramref name="services"/>.</summary>
    public static RegisteredSupport From(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new RegisteredSupport(
            new KeyManagerRegistry(services.GetServices<KeyManagerRegistration>()),
            new StorageProviderRegistry(services.GetServices<StorageProviderRegistration>()),
            [.. services.GetServices<ProvisionerTypeRegistration>()],
            services.GetServices<SupportedFeature>().Select(f => f.Feature).ToHashSet(),
            services.GetService<CodeConfiguredKeyValueStore>() is not null);
    }

    /// <summary>
    /// The <see cref="FeatureSupport"/> these registrations amount to for <paramref name="config"/>
    /// (standalone <c>softcas</c> authority; with a store chosen in code, the <c>db</c> block is not
    /// used, so its type is not checked).
    /// </summary>
    public FeatureSupport ToFeatureSupport(CaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var support = new FeatureSupport();
        if (HasCodeConfiguredStore && config.Db is { } db)
        {
            support.DatabaseTypes.Add(db.Type);
        }
        support.ProvisionerTypes.UnionWith(ProvisionerTypes.Where(t => t.IsRunnable).Select(t => t.Type));
        support.KmsTypes.UnionWith(KeyManagers.Types);
        support.DatabaseTypes.UnionWith(Storage.Types);
        support.Features.UnionWith(Features);
        support.AuthorityTypes.Add("softcas");
        support.DeploymentTypes.Add(string.Empty);
        support.DeploymentTypes.Add("standalone");
        return support;
    }

    /// <summary>
    /// What ca.json needs that nothing registered provides, each naming the field and the <c>Add…</c>
    /// call that would provide it (entries of other sources are checked when the catalog is built).
    /// </summary>
    public IReadOnlyList<ConfigDiagnostic> FindMissing(CaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var missing = new List<ConfigDiagnostic>();
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (config.Kms is { } kms && KeyManagers.FindByType(kms.EffectiveType) is null && reported.Add(kms.EffectiveType))
        {
            missing.Add(ConfigDiagnostic.Error(kms.Type.Length > 0 ? "kms.type" : "kms.uri", KeyManagerRegistry.MissingMessage("kms type", kms.EffectiveType)));
        }
        foreach (var (field, key) in Keys(config))
        {
            var (scheme, named) = KeyManagers.Route(key, config.Kms?.EffectiveType ?? KeyManagerRegistry.SoftKmsType);
            if (KeyManagers.FindByScheme(scheme) is null && KeyManagers.FindByType(scheme) is null && reported.Add(scheme))
            {
                missing.Add(ConfigDiagnostic.Error(field, KeyManagerRegistry.MissingMessage(named ? "key URI scheme" : "kms type", scheme)));
            }
        }
        if (!HasCodeConfiguredStore)
        {
            var type = config.Db is { Type.Length: > 0 } db ? db.Type : StorageProviderRegistration.NoDatabaseType;
            if (Storage.Find(type) is null)
            {
                missing.Add(config.Db is { Type.Length: > 0 }
                    ? ConfigDiagnostic.Error("db.type", $"no storage provider is registered for db.type \"{type}\": {RegistrationHints.Storage(type)}")
                    : ConfigDiagnostic.Error("db", $"no storage provider is registered for a ca.json without a db block: {RegistrationHints.Storage(type)}"));
            }
        }
        var types = ProvisionerTypes.Select(t => t.Type).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var provisioners = config.Authority.Provisioners;
        for (var i = 0; i < provisioners.Count; i++)
        {
            if (!types.Contains(provisioners[i].Type))
            {
                missing.Add(ConfigDiagnostic.Error($"authority.provisioners[{i}].type", $"no provisioner type \"{provisioners[i].Type}\" is registered: {RegistrationHints.Provisioner(provisioners[i].Type)}"));
            }
        }
        return missing;
    }

    private static IEnumerable<(string Field, string Key)> Keys(CaConfig config)
    {
        if (config.IntermediateKey.Length > 0)
        {
            yield return ("key", config.IntermediateKey);
        }
        if (config.Ssh is { HostKey.Length: > 0 } host)
        {
            yield return ("ssh.hostKey", host.HostKey);
        }
        if (config.Ssh is { UserKey.Length: > 0 } user)
        {
            yield return ("ssh.userKey", user.UserKey);
        }
    }
}
