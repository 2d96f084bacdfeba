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
    /// ca.json's <c>db.type</c> selects), provisioner types (<see cref="ProvisionerTypeRegistration"/>),
    /// and the provisioners of ca.json, of every <see cref="IProvisionerSource"/> and of the
    /// <c>AddProvisioner</c> calls. The authority is built by an asynchronous start-up
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
            .AddSupportedFeature(ConfigFeature.SshCertificateAuthority)
            .AddSupportedFeature(ConfigFeature.SshConfigurationTemplates);
        services.TryAddSingleton(sp => new PkiStartup(loaded, sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PkiStartupService>());
        services.TryAddSingleton(sp => sp.GetRequiredService<PkiStartup>().Runtime);
        services.TryAddSingleton(sp => sp.GetRequiredService<PkiStartup>().Store);
        services.TryAddSingleton<ICertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Authority);
        services.TryAddSingleton<IProvisionerCatalog>(sp => sp.GetRequiredService<AuthorityRuntime>().Catalog);
        services.TryAddSingleton<ISshCertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Ssh);
        services.TryAddSingleton<ISshConfigurationAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Ssh);
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
    /// Registers a provisioner type (idempotent: the first registration of a type name wins), so
    /// entries of that type, from ca.json or any other source, run.
    /// </summary>
    public static PkiBuilder AddProvisionerType(this PkiBuilder builder, ProvisionerTypeRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProvisionerType(registration);
        return builder;
    }

    /// <summary>The <see cref="IServiceCollection"/> form of <see cref="AddProvisionerType(PkiBuilder, ProvisionerTypeRegistration)"/>, for layers registered on services.</summary>
    public static IServiceCollection AddProvisionerType(this IServiceCollection services, ProvisionerTypeRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        if (!services.Any(d => d.ServiceType == typeof(ProvisionerTypeRegistration) && d.ImplementationInstance is ProvisionerTypeRegistration r
            && string.Equals(r.Type, registration.Type, StringComparison.OrdinalIgnoreCase)))
        {
            services.AddSingleton(registration);
        }
        return services;
    }

    /// <summary>
    /// The funnel every provisioner added in code ends in: a provisioner of <paramref name="type"/>
    /// named <paramref name="name"/> whose options are the named options <paramref name="name"/> of
    /// <typeparamref name="TOptions"/> (<c>IOptionsMonitor&lt;TOptions&gt;.Get(name)</c>, so
    /// <c>Configure&lt;TOptions&gt;(name, ...)</c> elsewhere applies too). At start and on every reload
    /// they become an entry bound and validated by the type as a ca.json entry is; messages name
    /// <paramref name="definedBy"/>. The type must be registered (<see cref="AddProvisionerType(PkiBuilder, ProvisionerTypeRegistration)"/>).
    /// </summary>
    public static PkiBuilder AddProvisioner<TOptions>(this PkiBuilder builder, string type, string name, Action<TOptions> configure, string? definedBy = null)
        where TOptions : ProvisionerOptions, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TOptions>(name).Configure(configure);
        var label = definedBy ?? $"AddProvisioner<{typeof(TOptions).Name}>(\"{type}\", \"{name}\")";
        builder.Services.AddSingleton(sp =>
        {
            var monitor = sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<TOptions>>();
            return new CodeProvisioner(label, () => monitor.Get(name).ToEntry(type, name));
        });
        return builder;
    }

    /// <summary>Adds a provisioner entry in ca.json form next to those of ca.json. Its type must be registered.</summary>
    public static PkiBuilder AddProvisioner(this PkiBuilder builder, ProvisionerConfig provisioner)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(provisioner);
        builder.Services.AddSingleton(new CodeProvisioner($"AddProvisioner(\"{provisioner.Name}\")", () => provisioner));
        return builder;
    }

    /// <summary>
    /// Adds the provisioner entries of a configuration section (<see cref="ConfigurationProvisionerSource"/>),
    /// e.g. <c>builder.Configuration.GetSection("Pki:Provisioners")</c>.
    /// </summary>
    public static PkiBuilder AddProvisioners(this PkiBuilder builder, Microsoft.Extensions.Configuration.IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddSingleton<IProvisionerSource>(new ConfigurationProvisionerSource(section));
        return builder;
    }
}
