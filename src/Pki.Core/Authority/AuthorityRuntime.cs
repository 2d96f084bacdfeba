using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>The stores an authority writes to.</summary>
/// <param name="Certificates">Issued certificates.</param>
/// <param name="Revocations">Revocations.</param>
/// <param name="Replay">Used one-time tokens.</param>
/// <param name="SshCertificates">Issued SSH certificates.</param>
public sealed record AuthorityStores(ICertificateStore Certificates, IRevocationStore Revocations, ITokenReplayStore Replay, ISshCertificateStore SshCertificates)
{
    /// <summary>Revoked SSH certificates; null answers <c>/ssh/revoke</c> with 501, as step-ca without a database.</summary>
    public ISshRevocationStore? SshRevocations { get; init; }
}

/// <summary>
/// A running authority composed from a loaded ca.json: the issuer (key + <c>crt</c> chain), roots,
/// provisioners, the CA's own TLS certificate. Used by the host and by apps that embed the CA.
/// <see cref="ReloadAsync"/> replaces all of it at once (SIGHUP), keeping the stores.
/// </summary>
/// <remarks>
/// Keys are opened through the registered key managers (<see cref="KeyManagerRegistry"/>): ca.json's
/// <c>kms</c> block chooses the configured one, each key's URI scheme routes <c>key</c> and
/// <c>ssh.*Key</c>. Every generation (start-up, each reload) creates its own instances through the
/// same registrations, so a reload re-reads replaced keys with the same key manager and
/// configuration. A retired generation's key managers are disposed once the last request that
/// started on it has finished (<see cref="GenerationLease"/>); its TLS certificate is not disposed,
/// as connections opened with it may still be running.
/// </remarks>
public sealed partial class AuthorityRuntime : IDisposable, IAsyncDisposable
{
    private readonly AuthorityStores _stores;
    private readonly IReadOnlyList<ProvisionerTypeRegistration> _types;
    private readonly IReadOnlyList<IProvisionerSource> _sources;
    private readonly KeyManagerRegistry _keyManagers;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly GenerationSlot<Generation> _generation;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private int _disposed;

    private AuthorityRuntime(Generation generation, AuthorityComponents components, IReadOnlyList<ProvisionerTypeRegistration> types)
    {
        _generation = new GenerationSlot<Generation>(generation);
        _stores = components.Stores;
        _types = types;
        _sources = components.ProvisionerSources;
        _keyManagers = components.KeyManagers;
        _services = components.Services;
        _time = components.Time;
        _loggers = components.Loggers;
        Authority = new ReloadableCertificateAuthority(generation.Authority);
        Ssh = new ReloadableSshAuthority(generation.Ssh);
        Catalog = new ReloadableProvisionerCatalog(generation.Catalog);
        _generation.Swap(generation, generation.Lease);
        Authority.Swap(generation.Authority, generation.Lease);
        Ssh.Swap(generation.Ssh, generation.Lease);
    }

    /// <summary>The configuration the current generation was built from.</summary>
    public CaConfigLoadResult Loaded => _generation.Current.Loaded;

    /// <summary>The authority (the current generation for each new request).</summary>
    public ReloadableCertificateAuthority Authority { get; }

    /// <summary>The SSH authority (the current generation for each new request; disabled without a ca.json <c>ssh</c> block).</summary>
    public ReloadableSshAuthority Ssh { get; }

    /// <summary>The provisioners (swapped on reload).</summary>
    public ReloadableProvisionerCatalog Catalog { get; }

    /// <summary>The token audiences from <c>dnsNames</c>.</summary>
    public Audiences Audiences => Authority.Audiences;

    /// <summary>The CA's own TLS certificate.</summary>
    public ServerCertificateSource ServerCertificates => _generation.Current.ServerCertificates;

    /// <summary>The key managers the current generation opened its keys with (one per registration used).</summary>
    public IReadOnlyCollection<IKeyManager> KeyManagers => _generation.Current.Keys.Created;

    /// <summary>Warnings gathered while composing (unsupported blocks, path notes), for the start-up log.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; set; } = [];

    /// <summary>Builds the runtime; throws <see cref="CaConfigException"/> listing what is wrong.</summary>
    public static async Task<AuthorityRuntime> CreateAsync(CaConfigLoadResult loaded, AuthorityComponents components, ICollection<ConfigDiagnostic> diagnostics,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(components);
        var types = components.ProvisionerTypes.ToArray();
        var generation = await BuildAsync(loaded, components.KeyManagers, components.Services, components.Stores, types, components.ProvisionerSources,
            components.Time, components.Loggers, diagnostics, cancellationToken).ConfigureAwait(false);
        return new AuthorityRuntime(generation, components, types);
    }

    /// <summary>
    /// Rebuilds everything from a re-read ca.json (keys, roots, chain, provisioners, claims,
    /// dnsNames, the TLS certificate) with fresh instances of the registered key managers, and swaps
    /// it in atomically; requests in flight finish on the previous generation, whose key managers
    /// are disposed when the last of them ends. The token issued-at check restarts now, as in
    /// step-ca. Throws <see cref="CaConfigException"/> and keeps the current generation when the new
    /// one is invalid. The listen address and the database are not changed by a reload.
    /// </summary>
    public async Task ReloadAsync(CaConfigLoadResult next, ICollection<ConfigDiagnostic> diagnostics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var generation = await BuildAsync(next, _keyManagers, _services, _stores, _types, _sources, _time, _loggers, diagnostics, cancellationToken)
                .ConfigureAwait(false);
            var previous = _generation.Current;
            _generation.Swap(generation, generation.Lease);
            Catalog.Swap(generation.Catalog);
            Authority.Swap(generation.Authority, generation.Lease);
            Ssh.Swap(generation.Ssh, generation.Lease);
            var released = previous.Lease.Retire();
            if (released.IsCompleted)
            {
                await released.ConfigureAwait(false);
            }
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>
    /// Renews the CA's TLS certificate when due and returns it, holding the current generation's
    /// lease meanwhile (the renewal signs with the generation's key).
    /// </summary>
    public async ValueTask<ServerCertificate> RenewServerCertificateIfDueAsync(CancellationToken cancellationToken = default)
    {
        using var use = _generation.Enter();
        await use.Value.ServerCertificates.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
        return use.Value.ServerCertificates.Current;
    }

    /// <summary>Releases the current generation's TLS certificate and key managers (at shutdown, after requests drained). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        var current = _generation.Current;
        current.ServerCertificates.Dispose();
        await current.Keys.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        var current = _generation.Current;
        current.ServerCertificates.Dispose();
        // Synchronous disposal (a container disposed with Dispose()): key managers release synchronously where they can.
        foreach (var manager in current.Keys.Created)
        {
            if (manager is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private static async Task<Generation> BuildAsync(CaConfigLoadResult loaded, KeyManagerRegistry registry, IServiceProvider services, AuthorityStores stores,
        IReadOnlyList<ProvisionerTypeRegistration> types, IReadOnlyList<IProvisionerSource> sources, TimeProvider time, ILoggerFactory loggers,
        ICollection<ConfigDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var keys = new GenerationKeyManagers(registry, loaded.Config.Kms, services);
        try
        {
            await keys.OpenConfiguredAsync(cancellationToken).ConfigureAwait(false);
            return await BuildAsync(loaded, keys, stores, types, sources, time, loggers, diagnostics, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await keys.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<Generation> BuildAsync(CaConfigLoadResult loaded, GenerationKeyManagers keys, AuthorityStores stores, IReadOnlyList<ProvisionerTypeRegistration> types,
        IReadOnlyList<IProvisionerSource> sources, TimeProvider time, ILoggerFactory loggers, ICollection<ConfigDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var config = loaded.Config;
        var roots = config.Roots.SelectMany((r, i) => CertificateFiles.LoadBundle(loaded.ResolvePath(r), config.Roots.Count > 1 ? $"root[{i}]" : "root")).ToArray();
        var federated = (config.FederatedRoots ?? []).SelectMany((r, i) => CertificateFiles.LoadBundle(loaded.ResolvePath(r), $"federatedRoots[{i}]")).ToArray();
        var chain = CertificateFiles.LoadBundle(loaded.ResolvePath(config.IntermediateCertificate), "crt");
        var issuer = await CreateIssuerAsync(keys, loaded, chain, cancellationToken).ConfigureAwait(false);
        var constraints = Policy.CaNameConstraints.FromChain([.. chain, .. roots]);
        foreach (var ignored in constraints.IgnoredConstraints)
        {
            diagnostics.Add(ConfigDiagnostic.Warning("crt", $"name constraint not enforced (as in step-ca): {ignored}"));
        }
        var catalog = await ProvisionerCatalogBuilder.BuildAsync(sources, types, config, time, diagnostics, "ca.json", loaded.ResolvePath, cancellationToken).ConfigureAwait(false);
        var options = new CertificateAuthorityOptions
        {
            Issuer = issuer,
            Roots = roots,
            FederatedRoots = federated,
            Audiences = new Audiences(config.DnsNames),
            Backdate = config.Authority.EffectiveBackdate,
            DisableIssuedAtCheck = config.Authority.DisableIssuedAtCheck,
            SubjectDefaults = config.Authority.Template,
            NamePolicy = Policy.NamePolicy.FromConfig(config.Authority.Policy) is { IsEmpty: false } policy ? policy : null,
            NameConstraints = constraints.IsEmpty ? null : constraints,
        };
        // The authority routes tokens through the reloadable catalog the runtime owns, so it is
        // given its own generation's catalog here and both are swapped together.
        var authority = new CertificateAuthority(options, catalog, stores.Certificates, stores.Revocations, stores.Replay, time, loggers.CreateLogger<CertificateAuthority>());
        var ssh = await SshAuthorityComposition.CreateAsync(loaded, keys, catalog, options, stores, time, loggers, cancellationToken).ConfigureAwait(false);
        var server = new ServerCertificateSource(issuer, config.EffectiveCommonName, config.DnsNames, time, config.Authority.EffectiveBackdate);
        await server.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
        var logger = loggers.CreateLogger<AuthorityRuntime>();
        var lease = new GenerationLease(async () =>
        {
            try
            {
                await keys.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogReleaseFailed(logger, e);
            }
        });
        return new Generation(loaded, authority, ssh, catalog, server, keys, lease);
    }

    private static async Task<X509Issuer> CreateIssuerAsync(GenerationKeyManagers keys, CaConfigLoadResult loaded, IReadOnlyList<X509Certificate2> chain, CancellationToken cancellationToken)
    {
        var signer = await CaKeyOpener.OpenAsync(keys, loaded, loaded.Config.IntermediateKey, "key", cancellationToken).ConfigureAwait(false);
        try
        {
            return new X509Issuer(chain, signer);
        }
        catch (ArgumentException e)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error("key", e.Message)]);
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "releasing the key managers of a reloaded-away authority generation failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    private sealed record Generation(CaConfigLoadResult Loaded, CertificateAuthority Authority, SshAuthority Ssh, ProvisionerCatalog Catalog,
        ServerCertificateSource ServerCertificates, GenerationKeyManagers Keys, GenerationLease Lease);
}
