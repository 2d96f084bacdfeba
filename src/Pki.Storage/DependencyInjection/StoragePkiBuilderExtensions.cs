using Microsoft.Extensions.DependencyInjection.Extensions;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Acme;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers storage: providers that ca.json's <c>db</c> block chooses from
/// (<see cref="AddSqliteStorage(PkiBuilder)"/>, <see cref="AddPostgresStorage"/>,
/// <see cref="AddMySqlStorage"/>, <see cref="AddMemoryStorageProvider"/>, or any
/// <see cref="AddKeyValueStorageProvider"/>), or one store chosen in code
/// (<see cref="AddSqliteStorage(PkiBuilder, string)"/>, <see cref="AddMemoryStorage"/>,
/// <see cref="AddKeyValueStorage"/>), which then wins over the <c>db</c> block. Either way the
/// authority stores (certificates, revocations, used tokens, SSH certificates) are registered over it.
/// </summary>
public static class StoragePkiBuilderExtensions
{
    /// <summary>
    /// Uses the SQLite file at <paramref name="path"/> (created if missing, relative to the current
    /// directory) with the registered tables, whatever ca.json's <c>db</c> block says.
    /// </summary>
    public static PkiBuilder AddSqliteStorage(this PkiBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return builder.AddKeyValueStorage(sp => new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = fullPath, Tables = Tables(sp) }));
    }

    /// <summary>Registers SQLite for ca.json <c>db.type</c> <c>sqlite</c>, <c>badger</c>, <c>badgerv1</c>, <c>badgerv2</c> and <c>bbolt</c> (<see cref="StorageProviders.Sqlite"/>).</summary>
    public static PkiBuilder AddSqliteStorage(this PkiBuilder builder) => builder.AddKeyValueStorageProvider(StorageProviders.Sqlite);

    /// <summary>Registers PostgreSQL for ca.json <c>db.type</c> <c>postgresql</c> (<see cref="StorageProviders.Postgres"/>).</summary>
    public static PkiBuilder AddPostgresStorage(this PkiBuilder builder) => builder.AddKeyValueStorageProvider(StorageProviders.Postgres);

    /// <summary>Registers MySQL/MariaDB for ca.json <c>db.type</c> <c>mysql</c> (<see cref="StorageProviders.MySql"/>).</summary>
    public static PkiBuilder AddMySqlStorage(this PkiBuilder builder) => builder.AddKeyValueStorageProvider(StorageProviders.MySql);

    /// <summary>Registers the in-memory store for a ca.json without a <c>db</c> block, as step-ca (<see cref="StorageProviders.Memory"/>).</summary>
    public static PkiBuilder AddMemoryStorageProvider(this PkiBuilder builder) => builder.AddKeyValueStorageProvider(StorageProviders.Memory);

    /// <summary>Uses an in-memory store (nothing survives the process) whatever ca.json says: for tests and throw-away CAs.</summary>
    public static PkiBuilder AddMemoryStorage(this PkiBuilder builder) =>
        builder.AddKeyValueStorage(sp => new MemoryKeyValueStore(Tables(sp)));

    /// <summary>Adds step-ca's ACME tables (<see cref="AcmeTables.TableSet"/>) to those every store creates; the ACME feature calls it.</summary>
    public static PkiBuilder AddAcmeStorageTables(this PkiBuilder builder) => builder.AddStorageTables(AcmeTables.TableSet);

    /// <summary>
    /// Adds the ACME tables and registers <see cref="Smallstep.Pki.Acme.IAcmeStore"/> over whichever
    /// <see cref="IKeyValueStore"/> the storage registration opens (SQLite, PostgreSQL, MySQL, memory),
    /// in step-ca's encodings (idempotent).
    /// </summary>
    public static PkiBuilder AddAcmeStorage(this PkiBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAcmeStorageTables();
        builder.Services.TryAddSingleton<Smallstep.Pki.Acme.IAcmeStore>(sp => new KeyValueAcmeStore(sp.GetRequiredService<IKeyValueStore>()));
        return builder;
    }

    /// <summary>
    /// The funnel every key-value storage provider ends in: registers <paramref name="registration"/>
    /// for its <c>db.type</c> names (<c>AddStorageProvider</c>) and the authority stores over the store
    /// it opens. A provider from another assembly registers the same way.
    /// </summary>
    public static PkiBuilder AddKeyValueStorageProvider(this PkiBuilder builder, StorageProviderRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registration);
        builder.AddStorageProvider(registration);
        AddAuthorityStores(builder);
        return builder;
    }

    /// <summary>
    /// The funnel every store chosen in code ends in: registers <see cref="IKeyValueStore"/> as a singleton
    /// from <paramref name="factory"/>, plus <see cref="ICertificateStore"/>, <see cref="IRevocationStore"/>,
    /// <see cref="ITokenReplayStore"/>, <see cref="ISshCertificateStore"/> and <see cref="ISshRevocationStore"/> over it. Idempotent: the first registered store wins and later
    /// calls add nothing, so an application can register its own store before calling the host's setup.
    /// The factory's store must have the registered tables (<see cref="StorageTableSet"/>; the authority's at least).
    /// </summary>
    public static PkiBuilder AddKeyValueStorage(this PkiBuilder builder, Func<IServiceProvider, IKeyValueStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var services = builder.Services;
        services.TryAddSingleton(new CodeConfiguredKeyValueStore(factory));
        services.TryAddSingleton(sp => sp.GetRequiredService<CodeConfiguredKeyValueStore>().Open(sp));
        AddAuthorityStores(builder);
        return builder;
    }

    // The authority stores need the authority tables, so they contribute them.
    private static void AddAuthorityStores(PkiBuilder builder)
    {
        builder.AddStorageTables(StepTables.AuthorityTableSet);
        var services = builder.Services;
        services.TryAddSingleton<ICertificateStore>(sp => new KeyValueCertificateStore(sp.GetRequiredService<IKeyValueStore>()));
        services.TryAddSingleton<IRevocationStore>(sp => new KeyValueRevocationStore(sp.GetRequiredService<IKeyValueStore>()));
        services.TryAddSingleton<ITokenReplayStore>(sp => new KeyValueTokenReplayStore(sp.GetRequiredService<IKeyValueStore>()));
        services.TryAddSingleton<ISshCertificateStore>(sp => new KeyValueSshCertificateStore(sp.GetRequiredService<IKeyValueStore>()));
        services.TryAddSingleton<ISshRevocationStore>(sp => new KeyValueSshRevocationStore(sp.GetRequiredService<IKeyValueStore>()));
    }

    private static IReadOnlyList<string> Tables(IServiceProvider services) => StorageTableSet.Union(services.GetServices<StorageTableSet>());
}
