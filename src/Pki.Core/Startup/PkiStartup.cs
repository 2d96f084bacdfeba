using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Startup;

/// <summary>
/// The asynchronous start-up step of an authority composed with <c>FromCaJson</c>: checks that
/// every back end and provisioner type ca.json needs is registered (one error naming each missing
/// <c>Add…</c> call), opens the store (the code-configured one, else the provider ca.json's
/// <c>db</c> selects), opens the keys through the registered key managers, builds the
/// <see cref="AuthorityRuntime"/> and logs the start-up diagnostics. The generic host runs it
/// before Kestrel listens (<see cref="PkiStartupService"/>); without a host, call
/// <c>await services.StartPkiAsync()</c>. Services that need the authority resolve it from here
/// once started; resolving them earlier throws <see cref="InvalidOperationException"/>.
/// Thread-safe; starting twice starts once.
/// </summary>
public sealed partial class PkiStartup : IAsyncDisposable, IDisposable
{
    private readonly CaConfigLoadResult _loaded;
    private readonly IServiceProvider _services;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private volatile Started? _started;
    private volatile IKeyValueStore? _store;

    internal PkiStartup(CaConfigLoadResult loaded, IServiceProvider services)
    {
        _loaded = loaded;
        _services = services;
    }

    /// <summary>True once <see cref="StartAsync"/> has completed.</summary>
    public bool IsStarted => _started is not null;

    /// <summary>The running authority.</summary>
    /// <exception cref="InvalidOperationException">Not started yet.</exception>
    public AuthorityRuntime Runtime => Require().Runtime;

    /// <summary>The store the authority writes to.</summary>
    /// <exception cref="InvalidOperationException">Not started yet.</exception>
    public IKeyValueStore Store => _store ?? Require().Store;

    /// <summary>The start-up diagnostics (warnings and notes), in the order the host prints them.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics => Require().Runtime.Diagnostics;

    /// <summary>Builds the authority unless already built.</summary>
    /// <exception cref="CaConfigException">A registration is missing, or ca.json cannot be used (every problem listed).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started is not null)
        {
            return;
        }
        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _started ??= await BuildAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Disposes the runtime (the store belongs to the container, which disposes it). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_started is { } started)
        {
            await started.Runtime.DisposeAsync().ConfigureAwait(false);
        }
        _starting.Dispose();
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>, for a container disposed with <c>Dispose()</c>.</summary>
    public void Dispose()
    {
        _started?.Runtime.Dispose();
        _starting.Dispose();
    }

    private async Task<Started> BuildAsync(CancellationToken cancellationToken)
    {
        var config = _loaded.Config;
        var registered = RegisteredSupport.From(_services);
        var missing = registered.FindMissing(config);
        if (missing.Count > 0)
        {
            throw new CaConfigException(_loaded.ConfigPath, missing);
        }
        var features = FeatureSupportCheck.Check(config, registered.ToFeatureSupport(config));
        var fatal = features.Where(d => d.Severity == ConfigDiagnosticSeverity.Error).ToArray();
        if (fatal.Length > 0)
        {
            throw new CaConfigException(_loaded.ConfigPath, fatal);
        }

        var loggers = _services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggers.CreateLogger("Smallstep.Pki.Startup");
        var (store, opened) = await OpenStoreAsync(registered, loggers, cancellationToken).ConfigureAwait(false);
        // The stores over it resolve IKeyValueStore from here while the runtime is being built.
        _store = store;
        try
        {
            // Pending provisioners are reported by the catalog (listed, answering 501), not by the feature check.
            var diagnostics = new List<ConfigDiagnostic>(features.Where(d => !d.Field.StartsWith("authority.provisioners[", StringComparison.Ordinal)));
            diagnostics.AddRange(_loaded.Diagnostics);
            var components = new AuthorityComponents(registered.KeyManagers, ResolveStores(), registered.ProvisionerTypes, _services)
            {
                Time = _services.GetService<TimeProvider>() ?? TimeProvider.System,
                Loggers = loggers,
                ProvisionerSources = [CaJsonProvisionerSource.Instance, .. _services.GetServices<IProvisionerSource>(), new CodeProvisionerSource(_services.GetServices<CodeProvisioner>())],
            };
            var runtime = await AuthorityRuntime.CreateAsync(_loaded, components, diagnostics, cancellationToken).ConfigureAwait(false);
            runtime.Diagnostics = diagnostics;
            if (_services.GetService<IOptions<PkiStartupOptions>>()?.Value.LogDiagnostics ?? true)
            {
                foreach (var diagnostic in diagnostics.Where(d => d.Severity != ConfigDiagnosticSeverity.Info))
                {
                    LogDiagnostic(logger, diagnostic.ToString());
                }
            }
            LogStarted(logger, _loaded.ConfigPath, runtime.Catalog.All.Count);
            return new Started(runtime, store);
        }
        catch
        {
            _store = null;
            if (opened)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    // A store chosen in code wins; otherwise ca.json's db block selects the registered provider.
    private async Task<(IKeyValueStore Store, bool OpenedHere)> OpenStoreAsync(RegisteredSupport registered, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (_services.GetService<CodeConfiguredKeyValueStore>() is { } code)
        {
            return (code.Open(_services), false);
        }
        var db = _loaded.Config.Db is { Type.Length: > 0 } configured ? configured : null;
        var type = db?.Type ?? StorageProviderRegistration.NoDatabaseType;
        var provider = registered.Storage.Find(type)!; // FindMissing has checked it
        var tables = StorageTableSet.Union(_services.GetServices<StorageTableSet>());
        var context = new StorageOpenContext(type, db, _loaded.ResolvePath, Path.GetDirectoryName(_loaded.ConfigPath) ?? Environment.CurrentDirectory, tables, _services,
            loggers.CreateLogger("Smallstep.Pki.Storage"));
        try
        {
            return (await provider.OpenAsync(context, cancellationToken).ConfigureAwait(false), true);
        }
        catch (Errors.PkiException e)
        {
            throw new CaConfigException(_loaded.ConfigPath, [ConfigDiagnostic.Error(db is null ? "db" : "db.dataSource", e.Message)]);
        }
    }

    private AuthorityStores ResolveStores()
    {
        var certificates = _services.GetService<ICertificateStore>();
        var revocations = _services.GetService<IRevocationStore>();
        var replay = _services.GetService<ITokenReplayStore>();
        var ssh = _services.GetService<ISshCertificateStore>();
        if (certificates is null || revocations is null || replay is null || ssh is null)
        {
            throw new CaConfigException(_loaded.ConfigPath, [ConfigDiagnostic.Error("db",
                "no certificate, revocation, token or SSH certificate stores are registered: call AddSqliteStorage(), AddPostgresStorage(), AddMySqlStorage() or AddMemoryStorageProvider() (Smallstep.Pki.Storage), or register them with the storage provider")]);
        }
        return new AuthorityStores(certificates, revocations, replay, ssh) { SshRevocations = _services.GetService<ISshRevocationStore>() };
    }

    private Started Require() => _started ?? throw new InvalidOperationException(
        "the certificate authority is not started yet: the host builds it when it starts, before it listens; without a host, call await services.StartPkiAsync() first");

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "{Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "certificate authority started from {ConfigPath}: {Count} provisioners")]
    private static partial void LogStarted(ILogger logger, string configPath, int count);

    private sealed record Started(AuthorityRuntime Runtime, IKeyValueStore Store);
}
