using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composes the authority from a step-ca <c>ca.json</c>.</summary>
public static class CaJsonPkiBuilderExtensions
{
    /// <summary>Loads <paramref name="path"/> (relative paths as step-ca resolves them) and composes the authority from it.</summary>
    public static PkiBuilder FromCaJson(this PkiBuilder builder, string path, CaConfigLoaderOptions? options = null) =>
        builder.FromCaJson(new CaConfigLoader(options).Load(Path.GetFullPath(path)));

    /// <summary>
    /// Composes the authority from an already loaded ca.json, with the registered
    /// <see cref="IKeyManager"/>, stores and provisioner types, and the provisioners of ca.json, of
    /// every registered <see cref="IProvisionerSource"/> and of the <c>AddProvisioner</c> calls. The authority is built on first use (start-up) and
    /// resolves as <see cref="ICertificateAuthority"/>, <see cref="ISshCertificateAuthority"/>, <see cref="IProvisionerCatalog"/> and
    /// <see cref="AuthorityRuntime"/>.
    /// </summary>
    public static PkiBuilder FromCaJson(this PkiBuilder builder, CaConfigLoadResult loaded)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var loggers = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var stores = new AuthorityStores(sp.GetRequiredService<ICertificateStore>(), sp.GetRequiredService<IRevocationStore>(), sp.GetRequiredService<ITokenReplayStore>(),
                sp.GetRequiredService<ISshCertificateStore>());
            var diagnostics = new List<ConfigDiagnostic>(loaded.Diagnostics);
            IProvisionerSource[] sources = [CaJsonProvisionerSource.Instance, .. sp.GetServices<IProvisionerSource>(), new CodeProvisionerSource(sp.GetServices<CodeProvisioner>())];
            // DI factories are synchronous; this runs once at start-up, outside any synchronization context.
            var runtime = AuthorityRuntime.CreateAsync(loaded, sp.GetRequiredService<IKeyManager>(), stores, sp.GetServices<ProvisionerTypeRegistration>(),
                sources, sp.GetRequiredService<TimeProvider>(), loggers, diagnostics).GetAwaiter().GetResult();
            runtime.Diagnostics = diagnostics;
            return runtime;
        });
        services.TryAddSingleton<ICertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Authority);
        services.TryAddSingleton<IProvisionerCatalog>(sp => sp.GetRequiredService<AuthorityRuntime>().Catalog);
        services.TryAddSingleton<ISshCertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Ssh);
        return builder;
    }

    /// <summary>
    /// Registers a provisioner type (idempotent: the first registration of a type name wins), so
    /// entries of that type, from ca.json or any other source, run.
    /// </summary>
    public static PkiBuilder AddProvisionerType(this PkiBuilder builder, ProvisionerTypeRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registration);
        if (!builder.Services.Any(d => d.ServiceType == typeof(ProvisionerTypeRegistration) && d.ImplementationInstance is ProvisionerTypeRegistration r
            && string.Equals(r.Type, registration.Type, StringComparison.OrdinalIgnoreCase)))
        {
            builder.Services.AddSingleton(registration);
        }
        return builder;
    }

    /// <summary>
    /// The funnel every provisioner added in code ends in: a provisioner of <paramref name="type"/>
    /// named <paramref name="name"/> whose options are the named options <paramref name="name"/> of
    /// <typeparamref name="TOptions"/> (<c>IOptionsMonitor&lt;TOptions&gt;.Get(name)</c>, so
    /// <c>Configure&lt;TOptions&gt;(name, ...)</c> elsewhere applies too). At start and on every reload
    /// they become an entry bound and validated by the type as a ca.json entry is; messages name
    /// <paramref name="definedBy"/>. The type must be registered (<see cref="AddProvisionerType"/>).
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
