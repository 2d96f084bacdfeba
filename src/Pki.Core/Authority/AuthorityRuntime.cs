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
public sealed record AuthorityStores(ICertificateStore Certificates, IRevocationStore Revocations, ITokenReplayStore Replay);

/// <summary>
/// A running authority composed from a loaded ca.json: the issuer (key + <c>crt</c> chain), roots,
/// provisioners, the CA's own TLS certificate. Used by the host and by apps that embed the CA.
/// </summary>
public sealed class AuthorityRuntime : IDisposable
{
    private readonly IReadOnlyList<IProvisionerFactory> _factories;
    private readonly TimeProvider _time;

    private AuthorityRuntime(CaConfigLoadResult loaded, CertificateAuthority authority, ReloadableProvisionerCatalog catalog, Audiences audiences,
        ServerCertificateSource serverCertificates, IReadOnlyList<IProvisionerFactory> factories, TimeProvider time)
    {
        _factories = factories;
        _time = time;
        Loaded = loaded;
        Authority = authority;
        Catalog = catalog;
        Audiences = audiences;
        ServerCertificates = serverCertificates;
    }

    /// <summary>The configuration this runtime was built from.</summary>
    public CaConfigLoadResult Loaded { get; }

    /// <summary>The authority.</summary>
    public CertificateAuthority Authority { get; }

    /// <summary>The provisioners (swapped on reload).</summary>
    public ReloadableProvisionerCatalog Catalog { get; }

    /// <summary>The token audiences from <c>dnsNames</c>.</summary>
    public Audiences Audiences { get; }

    /// <summary>The CA's own TLS certificate.</summary>
    public ServerCertificateSource ServerCertificates { get; }

    /// <summary>Warnings gathered while composing (unsupported blocks, path notes), for the start-up log.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; set; } = [];

    /// <summary>Provisioners added in code next to those of ca.json (kept across reloads).</summary>
    public IReadOnlyList<ProvisionerConfig> AdditionalProvisioners { get; private init; } = [];

    /// <summary>Builds the runtime; throws <see cref="CaConfigException"/> listing what is wrong.</summary>
    public static async Task<AuthorityRuntime> CreateAsync(CaConfigLoadResult loaded, IKeyManager keys, AuthorityStores stores, IEnumerable<IProvisionerFactory> factories,
        TimeProvider time, ILoggerFactory loggers, ICollection<ConfigDiagnostic> diagnostics, IReadOnlyList<ProvisionerConfig>? additionalProvisioners = null,
        CancellationToken cancellationToken = default)
    {
        var config = loaded.Config;
        var roots = config.Roots.SelectMany((r, i) => CertificateFiles.LoadBundle(loaded.ResolvePath(r), config.Roots.Count > 1 ? $"root[{i}]" : "root")).ToArray();
        var federated = (config.FederatedRoots ?? []).SelectMany((r, i) => CertificateFiles.LoadBundle(loaded.ResolvePath(r), $"federatedRoots[{i}]")).ToArray();
        var chain = CertificateFiles.LoadBundle(loaded.ResolvePath(config.IntermediateCertificate), "crt");
        var issuer = await CreateIssuerAsync(keys, loaded, chain, cancellationToken).ConfigureAwait(false);

        var factoryList = factories.ToArray();
        var catalog = new ReloadableProvisionerCatalog(BuildCatalog(config, additionalProvisioners ?? [], factoryList, time, diagnostics));
        var audiences = new Audiences(config.DnsNames);
        var options = new CertificateAuthorityOptions
        {
            Issuer = issuer,
            Roots = roots,
            FederatedRoots = federated,
            Audiences = audiences,
            Backdate = config.Authority.EffectiveBackdate,
            DisableIssuedAtCheck = config.Authority.DisableIssuedAtCheck,
            SubjectDefaults = config.Authority.Template,
        };
        var authority = new CertificateAuthority(options, catalog, stores.Certificates, stores.Revocations, stores.Replay, time, loggers.CreateLogger<CertificateAuthority>());
        var server = new ServerCertificateSource(issuer, config.EffectiveCommonName, config.DnsNames, time, config.Authority.EffectiveBackdate);
        await server.RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
        return new AuthorityRuntime(loaded, authority, catalog, audiences, server, factoryList, time) { AdditionalProvisioners = additionalProvisioners ?? [] };
    }

    /// <summary>
    /// Rebuilds the provisioners from a re-read ca.json and swaps them in atomically (SIGHUP);
    /// requests in flight finish with the previous set. Throws <see cref="CaConfigException"/> and
    /// keeps the current set when the new entries are invalid.
    /// </summary>
    public void ReloadProvisioners(CaConfig next, ICollection<ConfigDiagnostic> diagnostics) =>
        Catalog.Swap(BuildCatalog(next, AdditionalProvisioners, _factories, _time, diagnostics));

    private static ProvisionerCatalog BuildCatalog(CaConfig config, IReadOnlyList<ProvisionerConfig> additionalProvisioners, IReadOnlyList<IProvisionerFactory> factories,
        TimeProvider time, ICollection<ConfigDiagnostic> diagnostics) =>
        ProvisionerCatalogBuilder.Build([.. config.Authority.Provisioners, .. additionalProvisioners], factories, config.Authority.EffectiveClaims, time, diagnostics);

    /// <inheritdoc />
    public void Dispose() => ServerCertificates.Dispose();

    private static async Task<X509Issuer> CreateIssuerAsync(IKeyManager keys, CaConfigLoadResult loaded, IReadOnlyList<X509Certificate2> chain, CancellationToken cancellationToken)
    {
        var key = loaded.Config.IntermediateKey;
        // A KMS URI is passed as is; a softkms path is resolved like every other ca.json path.
        var keyUri = key.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(key) ? key : loaded.ResolvePath(key);
        ICertificateSigner signer;
        try
        {
            signer = await keys.GetSignerAsync(keyUri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CaConfigException)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error("key", $"error reading {key}: {e.Message}")]);
        }
        try
        {
            return new X509Issuer(chain, signer);
        }
        catch (ArgumentException e)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error("key", e.Message)]);
        }
    }
}
