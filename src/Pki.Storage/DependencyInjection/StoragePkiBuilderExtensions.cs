using Microsoft.Extensions.DependencyInjection.Extensions;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a storage backend and the authority stores built on it.</summary>
public static class StoragePkiBuilderExtensions
{
    /// <summary>
    /// Uses the SQLite file at <paramref name="path"/> (created if missing, relative to the current
    /// directory) with step-ca's authority tables.
    /// </summary>
    public static PkiBuilder AddSqliteStorage(this PkiBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return builder.AddKeyValueStorage(_ => new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = fullPath, Tables = StepTables.Authority }));
    }

    /// <summary>Uses an in-memory store (nothing survives the process): for tests and throw-away CAs.</summary>
    public static PkiBuilder AddMemoryStorage(this PkiBuilder builder) =>
        builder.AddKeyValueStorage(_ => new MemoryKeyValueStore(StepTables.Authority));

    /// <summary>
    /// The funnel every storage registration ends in: registers <see cref="IKeyValueStore"/> as a singleton
    /// from <paramref name="factory"/>, plus <see cref="ICertificateStore"/>, <see cref="IRevocationStore"/>,
    /// <see cref="ITokenReplayStore"/> and <see cref="ISshCertificateStore"/> over it. Idempotent: the first registered store wins and later
    /// calls add nothing, so an application can register its own store before calling the host's setup.
    /// The factory's store must have the <see cref="StepTables.Authority"/> tables.
    /// </summary>
    public static PkiBuilder AddKeyValueStorage(this PkiBuilder builder, Func<IServiceProvider, IKeyValueStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var services = builder.Services;
        services.TryAddSingleton(factory);
        services.TryAddSingleton<ICertificateStore>(sp => new KeyValueCertificateStore(sp.GetRequiredService<IKeyValueStore>()));
        services.TryAddSingleton<IRevocationStore>(sp => new KeyValueRevocationStore(sp.GetRequiredService<IKeyValueStore>()));
        services.TryAddSingleton<ITokenReplayStore>(sp => new KeyValueTokenReplayStore(sp.GetRequiredService<IKeyValueStore>()));
        services.TryAddSingleton<ISshCertificateStore>(sp => new KeyValueSshCertificateStore(sp.GetRequiredService<IKeyValueStore>()));
        return builder;
    }
}
