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
    /// <see cref="IKeyManager"/>, stores and <see cref="IProvisionerFactory"/>s, plus any provisioner
    /// added with <see cref="AddProvisioner"/>. The authority is built on first use (start-up) and
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
                sp.GetService<ISshCertificateStore>());
            var diagnostics = new List<ConfigDiagnostic>(loaded.Diagnostics);
            // DI factories are synchronous; this runs once at start-up, outside any synchronization context.
            var runtime = AuthorityRuntime.CreateAsync(loaded, sp.GetRequiredService<IKeyManager>(), stores, sp.GetServices<IProvisionerFactory>(),
                sp.GetRequiredService<TimeProvider>(), loggers, diagnostics, [.. sp.GetServices<ProvisionerConfig>()]).GetAwaiter().GetResult();
            runtime.Diagnostics = diagnostics;
            return runtime;
        });
        services.TryAddSingleton<ICertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Authority);
        services.TryAddSingleton<IProvisionerCatalog>(sp => sp.GetRequiredService<AuthorityRuntime>().Catalog);
        services.TryAddSingleton<ISshCertificateAuthority>(sp => sp.GetRequiredService<AuthorityRuntime>().Ssh);
        return builder;
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
