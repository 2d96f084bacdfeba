using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Storage;

/// <summary>
/// The built-in storage providers, each registered by its <c>Add…Storage()</c> call:
/// <list type="bullet">
/// <item><see cref="Sqlite"/> (<c>AddSqliteStorage()</c>): <c>sqlite</c>, and step-ca's
/// <c>badger</c>, <c>badgerv1</c>, <c>badgerv2</c> (<c>dataSource</c> is a directory; the data lives
/// in <c>&lt;dataSource&gt;/pki.sqlite</c>) and <c>bbolt</c> (<c>&lt;dataSource&gt;.sqlite</c>). Files
/// written by a Go step-ca in those formats are not read (a warning says so).</item>
/// <item><see cref="Postgres"/> (<c>AddPostgresStorage()</c>) and <see cref="MySql"/>
/// (<c>AddMySqlStorage()</c>): <c>dataSource</c> is step-ca's DSN and <c>database</c> overrides its
/// name; a read-only server is refused.</item>
/// <item><see cref="Memory"/> (<c>AddMemoryStorageProvider()</c>): a ca.json without a <c>db</c>
/// block (or <c>db.type</c> <c>memory</c>) keeps an in-memory store, as step-ca does.</item>
/// </list>
/// Each creates the union of the registered table sets (<see cref="StorageTableSet"/>).
/// </summary>
public static class StorageProviders
{
    /// <summary>SQLite, also for step-ca's embedded database names.</summary>
    public static StorageProviderRegistration Sqlite { get; } = new(["sqlite", "badger", "badgerv1", "badgerv2", "bbolt"], (context, _) =>
        ValueTask.FromResult(StorageFactory.OpenSqlite(context.Type, DataSource(context) is { Length: > 0 } source ? context.ResolvePath(source) : string.Empty,
            context.BaseDirectory, context.Tables, context.Logger)))
    {
        AddMethod = "AddSqliteStorage()",
    };

    /// <summary>PostgreSQL (step-ca's <c>postgresql</c> driver).</summary>
    public static StorageProviderRegistration Postgres { get; } = new(["postgresql"], (context, cancellationToken) =>
        StorageFactory.OpenSqlAsync("postgresql", DataSource(context), context.Database?.Database, context.Tables, context.Logger, cancellationToken))
    {
        AddMethod = "AddPostgresStorage()",
    };

    /// <summary>MySQL / MariaDB (step-ca's <c>mysql</c> driver).</summary>
    public static StorageProviderRegistration MySql { get; } = new(["mysql"], (context, cancellationToken) =>
        StorageFactory.OpenSqlAsync("mysql", DataSource(context), context.Database?.Database, context.Tables, context.Logger, cancellationToken))
    {
        AddMethod = "AddMySqlStorage()",
    };

    /// <summary>In memory: nothing survives the process (ca.json without a <c>db</c> block).</summary>
    public static StorageProviderRegistration Memory { get; } = new([StorageProviderRegistration.NoDatabaseType], (context, _) =>
    {
        if (context.Database is null)
        {
            StorageLog.NoDatabase(context.Logger);
        }
        return ValueTask.FromResult<IKeyValueStore>(new MemoryKeyValueStore(context.Tables));
    })
    {
        AddMethod = "AddMemoryStorageProvider()",
    };

    /// <summary>Every built-in provider.</summary>
    public static IReadOnlyList<StorageProviderRegistration> BuiltIn { get; } = [Sqlite, Postgres, MySql, Memory];

    private static string DataSource(StorageOpenContext context) => context.Database?.DataSource ?? string.Empty;
}
