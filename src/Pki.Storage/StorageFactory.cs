using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Storage;

/// <summary>
/// Opens the key-value store described by ca.json's <c>db</c> block (<c>type</c>, <c>dataSource</c>,
/// <c>database</c>) for the built-in providers (<see cref="StorageProviders"/>), creating the tables
/// it is given (the authority's at least).
/// </summary>
/// <remarks>
/// <c>type</c> is case-insensitive, as in nosql (<c>nosql.go</c>):
/// <list type="bullet">
/// <item><c>badger</c>, <c>badgerv1</c>, <c>badgerv2</c>: <c>dataSource</c> is a directory (created if
/// missing); the data lives in <c>&lt;dataSource&gt;/pki.sqlite</c>.</item>
/// <item><c>bbolt</c>: <c>dataSource</c> is a file name; the data lives in <c>&lt;dataSource&gt;.sqlite</c>.</item>
/// <item><c>sqlite</c> (this CA's own type): <c>dataSource</c> is the SQLite file.</item>
/// <item><c>postgresql</c>, <c>mysql</c>: <c>dataSource</c> is step-ca's DSN (pgx URL or key=value
/// string; go-sql-driver DSN) and <c>database</c>, when set, overrides its database name. The server
/// must accept writes (<see cref="Sql.SqlKeyValueStore.PrepareAsync"/>): a standby is refused.</item>
/// </list>
/// Badger and bbolt files written by a Go step-ca are not read (a warning says so). A relative
/// <c>dataSource</c> is resolved against the base directory the caller passes (step-ca 0.19 itself
/// uses the process working directory).
/// </remarks>
public static class StorageFactory
{
    /// <summary>File created inside a badger directory.</summary>
    public const string BadgerFileName = "pki.sqlite";

    /// <summary>Suffix appended to a bbolt file name.</summary>
    public const string BboltSuffix = ".sqlite";

    /// <summary>
    /// Opens the store for a ca.json <c>db</c> block with the built-in providers
    /// (<see cref="StorageProviders.BuiltIn"/>), for tools that run without an application's
    /// registrations (<c>pki-host db ...</c>). The authority itself opens its store through the
    /// registered providers.
    /// </summary>
    /// <param name="type">ca.json <c>db.type</c>.</param>
    /// <param name="dataSource">ca.json <c>db.dataSource</c>.</param>
    /// <param name="database">ca.json <c>db.database</c>; only meaningful for SQL servers, ignored here.</param>
    /// <param name="baseDirectory">Directory a relative <paramref name="dataSource"/> is resolved against.</param>
    /// <param name="logger">Receives the open message and the foreign-format warning.</param>
    /// <returns>An open store with the authority tables created; the caller disposes it.</returns>
    /// <exception cref="PkiException">Kind <see cref="PkiErrorKind.BadRequest"/> for an unknown type, a
    /// missing <c>dataSource</c>, or a database that cannot be opened: for the SQL servers one line naming
    /// the server, the database and the cause (unreachable, login refused, read-only, ...), never the
    /// DSN's password.</exception>
    public static IKeyValueStore Open(string type, string dataSource, string? database, string baseDirectory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        ArgumentNullException.ThrowIfNull(logger);
        var kind = (type ?? string.Empty).Trim();
        var provider = new StorageProviderRegistry(StorageProviders.BuiltIn).Find(kind);
        if (provider is null || kind.Equals(StorageProviderRegistration.NoDatabaseType, StringComparison.OrdinalIgnoreCase))
        {
            throw PkiException.BadRequest($"db.type \"{type}\" is not supported (expected badger, badgerv1, badgerv2, bbolt, sqlite, postgresql or mysql)");
        }
        var context = new StorageOpenContext(kind, new Configuration.DatabaseConfig { Type = kind, DataSource = dataSource, Database = database }, path => path, baseDirectory,
            StepTables.Authority, EmptyServices.Instance, logger);
        // Tools are synchronous; the SQL providers' preparation is the only asynchronous part.
        return provider.OpenAsync(context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>SQLite for <c>sqlite</c>, and for step-ca's <c>badger*</c>/<c>bbolt</c> names (their files are not read).</summary>
    internal static IKeyValueStore OpenSqlite(string type, string dataSource, string baseDirectory, IReadOnlyList<string> tables, ILogger logger)
    {
        var kind = type.Trim().ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            throw PkiException.BadRequest("db.dataSource is required");
        }
        var path = SqlitePath(kind, dataSource, baseDirectory);
        if (kind != "sqlite")
        {
            StorageLog.ForeignFormatNotRead(logger, kind, path);
        }
        try
        {
            var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = path, Tables = tables });
            StorageLog.Opened(logger, path, kind);
            return store;
        }
        catch (PkiException ex)
        {
            throw PkiException.BadRequest($"db.dataSource \"{dataSource}\": {ex.Message}", ex);
        }
    }

    // step-ca's SQL drivers: dataSource is a DSN (never a path), database overrides its name, and
    // every table is created when missing.
    internal static async ValueTask<IKeyValueStore> OpenSqlAsync(string kind, string dataSource, string? database, IReadOnlyList<string> tables, ILogger logger,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            throw PkiException.BadRequest("db.dataSource is required");
        }
        Sql.SqlKeyValueStore store = kind == "postgresql"
            ? new Postgres.PostgresKeyValueStore(dataSource, database)
            : new MySql.MySqlKeyValueStore(dataSource, database);
        try
        {
            // Refuses a read-only server (a standby) before creating anything; see PrepareAsync.
            await store.PrepareAsync(tables, cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException ex)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw PkiException.BadRequest(ex.Message, ex);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        StorageLog.OpenedServer(logger, kind, database ?? "named in db.dataSource");
        return store;
    }

    private static string SqlitePath(string kind, string dataSource, string baseDirectory)
    {
        try
        {
            var resolved = Path.GetFullPath(dataSource, Path.GetFullPath(baseDirectory));
            switch (kind)
            {
                case "bbolt":
                    return resolved + BboltSuffix;
                case "sqlite":
                    return resolved;
                default:
                    // Badger's dataSource is a directory that badger.Open creates.
                    Directory.CreateDirectory(resolved);
                    return Path.Combine(resolved, BadgerFileName);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw PkiException.BadRequest($"db.dataSource \"{dataSource}\" cannot be used: {ex.Message}", ex);
        }
    }
}
