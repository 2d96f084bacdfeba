using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Startup;
using Smallstep.Pki.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composes the authority from a step-ca <c>ca.json</c>.</summary>
public static class CaJsonPkiBuilderExtensions
{
    /// <summary>Loads <paramref name="path"/> (relative paths as step-ca resolves them) and composes the authority from it.</summary>
    public static PkiBuilder FromCaJson(this PkiBuilder builder, string path, CaConfigLoaderOptions? options = null) =>
        builder.FromCaJson(new CaConfigLoader(options).Load(Path.GetFullPath(path)));

    /// <summary>
    /// Composes the authority from an already loaded ca.json with what is registered: key managers
    /// (<see cref="KeyManagerRegistration"/>, chosen by ca.json <c>kms</c> and each key's URI
    /// scheme), storage (a store chosen in code, else the <see cref="StorageProviderRegistration"/>
    /// ca.json's <c>db.type</c> selects), <see cref="IProvisionerFactory"/>s, plus any provisioner
    /// added with <see cref="AddProvisioner"/>. The authority is built by an asynchronous start-up
    /// step (<see cref="PkiStartup"/>) that the host runs before it listens; a missing registration
    /// stops the start with a message naming the <c>Add…</c> call. Once started it resolves as
    /// <see cref="ICertificateAuthority"/>, <see cref="ISshCertificateAuthority"/>,
    /// <see cref="IProvisionerCatalog"/> and <see cref="AuthorityRuntime"/>.
    /// </summary>
    public static PkiBuilder FromCaJson(this PkiBuilder builder, CaConfigLoadResult loaded)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(loaded);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PkiStartupOptions>();
        // The authority's own contributions: its tables and the optional ca.json features it runs.
        builder.AddStorageTables(StepTables.AuthorityTableSet)
            .AddSupportedFeature(ConfigFeature.AuthoritySubjectTemplate)
            .AddSupportedFeature(ConfigFeature.AuthorityPolicy)
            .AddSupportedFeature(ConfigFeature.SshCertificateAuthority);
        services.TryAddSingleton(sp => new PkiStartup(loaded, sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PkiStartupService>());
        services.TryAddSingleton(sp => sp.GetRequiredService<PkiStartup>().Runtime);
        services.TryAddSingleton(sp => sp.GetRequiredService<PkiStartup>().Store);
        services.TryAddSingleton<ICertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Authority);
        services.TryAddSingleton<IProvisionerCatalog>(sp => sp.GetRequiredService<AuthorityRuntime>().Catalog);
        services.TryAddSingleton<ISshCertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Ssh);
        return builder;
    }

    /// <summary>
    /// Builds the authority of an application that runs no generic host (the host does this itself
    /// before it listens). Idempotent.
    /// </summary>
    /// <exception cref="CaConfigException">A registration is missing or ca.json cannot be used.</exception>
    public static Task StartPkiAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<PkiStartup>().StartAsync(cancellationToken);
    }

    /// <summary>
    /// The one funnel every provisioner registration ends in: adds a provisioner entry (in ca.json
    /// form) next to those of ca.json. Its type needs a registered <see cref="IProvisionerFactory"/>.
    /// </summary>
    public static PkiBuilder AddProvisioner(this PkiBuilder builder, ProvisionerConfig provisioner)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(provisioner);
        return builder;
    }

    /// <summary>Registers a provisioner factory once per type (idempotent).</summary>
    public static PkiBuilder AddProvisionerFactory<TFactory>(this PkiBuilder builder)
        where TFactory : class, IProvisionerFactory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IProvisionerFactory, TFactory>());
        return builder;
    }
}
