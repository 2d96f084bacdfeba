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
public sealed record AuthorityStores(ICertificateStore Certificates, IRevocationStore Revocations, ITokenReplayStore Replay, ISshCertificateStore SshCertificates);

/// <summary>
/// A running authority composed from a loaded ca.json: the issuer (key + <c>crt</c> chain), roots,
/// provisioners, the CA's own TLS certificate. Used by the host and by apps that embed the CA.
/// <see cref="ReloadAsync"/> replaces all of it at once (SIGHUP), keeping the stores.
/// </summary>
public sealed class AuthorityRuntime : IDisposable
{
    private readonly AuthorityStores _stores;
    private readonly IReadOnlyList<ProvisionerTypeRegistration> _types;
    private readonly IReadOnlyList<IProvisionerSource> _sources;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private volatile Generation _generation;

    private AuthorityRuntime(Generation generation, AuthorityStores stores, IReadOnlyList<ProvisionerTypeRegistration> types, IReadOnlyList<IProvisionerSource> sources,
        TimeProvider time, ILoggerFactory loggers)
    {
        _generation = generation;
        _stores = stores;
        _types = types;
        _sources = sources;
        _time = time;
        _loggers = loggers;
        Authority = new ReloadableCertificateAuthority(generation.Authority);
        Ssh = new ReloadableSshAuthority(generation.Ssh);
        Catalog = new ReloadableProvisionerCatalog(generation.Catalog);
    }

    /// <summary>The configuration the current generation was built from.</summary>
    public CaConfigLoadResult Loaded => _generation.Loaded;

    /// <summary>The authority (the current generation for each new request).</summary>
    public ReloadableCertificateAuthority Authority { get; }

    /// <summary>The SSH authority (the current generation for each new request; disabled without a ca.json <c>ssh</c> block).</summary>
    public ReloadableSshAuthority Ssh { get; }

    /// <summary>The provisioners (swapped on reload).</summary>
    public ReloadableProvisionerCatalog Catalog { get; }

    /// <summary>The token audiences from <c>dnsNames</c>.</summary>
    public Audiences Audiences => Authority.Audiences;

    /// <summary>The CA's own TLS certificate.</summary>
    public ServerCertificateSource ServerCertificates => _generation.ServerCertificates;

    /// <summary>Warnings gathered while composing (unsupported blocks, path notes), for the start-up log.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; set; } = [];

    /// <summary>Builds the runtime; throws <see cref="CaConfigException"/> listing what is wrong.</summary>
    /// <param name="loaded">The ca.json.</param>
    /// <param name="keys">Opens the CA keys.</param>
    /// <param name="stores">Where certificates, revocations and used tokens go.</param>
    /// <param name="types">The registered provisioner types.</param>
    /// <param name="sources">Where provisioner entries come from; null means ca.json only.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggers">The logs.</param>
    /// <param name="diagnostics">Receives the start-up warnings.</param>
    /// <param name="cancellationToken">Cancels opening keys and loading entries.</param>
    public static async Task<AuthorityRuntime> CreateAsync(CaConfigLoadResult loaded, IKeyManager keys, AuthorityStores stores, IEnumerable<ProvisionerTypeRegistration> types,
        IEnumerable<IProvisionerSource>? sources, TimeProvider time, ILoggerFactory loggers, ICollection<ConfigDiagnostic> diagnostics, CancellationToken cancellationToken = default)
    {
        var typeList = types.ToArray();
        IReadOnlyList<IProvisionerSource> sourceList = sources?.ToArray() ?? [CaJsonProvisionerSource.Instance];
        var generation = await BuildAsync(loaded, keys, stores, typeList, sourceList, time, loggers, diagnostics, cancellationToken).ConfigureAwait(false);
        return new AuthorityRuntime(generation, stores, typeList, sourceList, time, loggers);
    }

    /// <summary>
    /// Rebuilds everything from a re-read ca.json (keys, roots, chain, provisioners, claims,
    /// dnsNames, the TLS certificate) and swaps it in atomically; requests in flight finish on the
    /// previous generation, and the token issued-at check restarts now, as in step-ca. Throws
    /// <see cref="CaConfigException"/> and keeps the current generation when the new one is invalid.
    /// The listen address and the database are not changed by a reload.
    /// </summary>
    public async Task ReloadAsync(CaConfigLoadResult next, IKeyManager keys, ICollection<ConfigDiagnostic> diagnostics, CancellationToken cancellationToken = default)
    {
        var generation = await BuildAsync(next, keys, _stores, _types, _sources, _time, _loggers, diagnostics, cancellationToken).ConfigureAwait(false);
        _generation = generation;
        Catalog.Swap(generation.Catalog);
        Authority.Swap(generation.Authority);
        Ssh.Swap(generation.Ssh);
    }

    /// <inheritdoc />
    public void Dispose() => _generation.ServerCertificates.Dispose();

    private static async Task<Generation> BuildAsync(CaConfigLoadResult loaded, IKeyManager keys, AuthorityStores stores, IReadOnlyList<ProvisionerTypeRegistration> types,
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
        return new Generation(loaded, authority, ssh, catalog, server);
    }

    private static async Task<X509Issuer> CreateIssuerAsync(IKeyManager keys, CaConfigLoadResult loaded, IReadOnlyList<X509Certificate2> chain, CancellationToken cancellationToken)
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

    private sealed record Generation(CaConfigLoadResult Loaded, CertificateAuthority Authority, SshAuthority Ssh, ProvisionerCatalog Catalog, ServerCertificateSource ServerCertificates);
}
