using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Provisioners.Jwk;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// The authority composed the way the host's <c>CaServer</c> composes it (softkms keys, the
/// key-value stores over the ca.json <c>db</c>, the JWK provisioner factory), without Kestrel and
/// with logging off, so only the issuance pipeline is measured.
/// </summary>
internal sealed class ComposedAuthority : IAsyncDisposable
{
    private ComposedAuthority(SoftKeyManager keys, IKeyValueStore store, AuthorityStores stores, AuthorityRuntime runtime)
    {
        Keys = keys;
        Store = store;
        Stores = stores;
        Runtime = runtime;
    }

    public SoftKeyManager Keys { get; }

    public IKeyValueStore Store { get; }

    public AuthorityStores Stores { get; }

    public AuthorityRuntime Runtime { get; }

    public ICertificateAuthority Authority => Runtime.Authority;

    /// <summary>Loads <paramref name="configFile"/>; no <c>db</c> block means the in-memory store, as in the host.</summary>
    public static async Task<ComposedAuthority> CreateAsync(string configFile, string password)
    {
        var loaded = new CaConfigLoader().Load(configFile);
        var keys = new SoftKeyManager(new SoftKmsOptions { PasswordProvider = _ => password });
        var db = loaded.Config.Db;
        IKeyValueStore store = db is null || string.IsNullOrEmpty(db.Type)
            ? new MemoryKeyValueStore(StepTables.Authority)
            // For the SQL drivers dataSource is a DSN, not a path (as in the host's CaServer).
            : StorageFactory.Open(db.Type, db.IsEmbedded ? loaded.ResolvePath(db.DataSource) : db.DataSource, db.Database, Path.GetDirectoryName(loaded.ConfigPath)!, NullLogger.Instance);
        var stores = new AuthorityStores(new KeyValueCertificateStore(store), new KeyValueRevocationStore(store), new KeyValueTokenReplayStore(store), new KeyValueSshCertificateStore(store));
        var diagnostics = new List<ConfigDiagnostic>(loaded.Diagnostics);
        // The runtime opens its keys through a registration; this one hands out the bench's own manager.
        var registration = new KeyManagerRegistration(KeyManagerRegistry.SoftKmsType, [KeyManagerRegistry.SoftKmsType], (_, _) => ValueTask.FromResult<IKeyManager>(new SharedKeyManager(keys)));
        var components = new AuthorityComponents(new KeyManagerRegistry([registration]), stores, [JwkProvisionerType.Registration], EmptyServices.Instance);
        var runtime = await AuthorityRuntime.CreateAsync(loaded, components, diagnostics).ConfigureAwait(false);
        return new ComposedAuthority(keys, store, stores, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        Runtime.Dispose();
        Keys.Dispose();
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Lends the bench's key manager to the runtime without handing over its disposal.</summary>
internal sealed class SharedKeyManager(IKeyManager inner) : IKeyManager
{
    public ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default) => inner.GetPublicKeyAsync(keyUri, cancellationToken);

    public ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) => inner.CreateKeyAsync(request, cancellationToken);

    public ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default) => inner.GetSignerAsync(keyUri, cancellationToken);
}

/// <summary>No services: the bench's key manager needs none.</summary>
internal sealed class EmptyServices : IServiceProvider
{
    public static EmptyServices Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}

