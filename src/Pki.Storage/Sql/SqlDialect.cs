using System.Data.Common;

namespace Smallstep.Pki.Storage.Sql;

/// <summary>What differs between the SQL servers nosql supports: SQL text, data source, and error codes.</summary>
internal abstract class SqlDialect
{
    /// <summary>The server's name for error messages (never the DSN: it holds the password).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Where the data lives, for messages: <c>database "pki" on host:port</c>. Never the user's password.
    /// </summary>
    public abstract string Target { get; }

    /// <summary>The password of the DSN, so messages can be masked (<see cref="DataSourceNameText.Mask"/>); null when none.</summary>
    public abstract string? Password { get; }

    /// <summary>The connection pool for the configured database.</summary>
    public abstract DbDataSource CreateDataSource();

    /// <summary>The SQL text for <paramref name="table"/>, already checked by <c>KeyValueArguments.CheckTable</c>.</summary>
    /// <exception cref="ArgumentException">The name does not fit this server's identifier rules.</exception>
    public abstract SqlTableText TableText(string table);

    /// <summary>SQL returning the names (one column) of the database's tables that have nosql's <c>nkey</c> and <c>nvalue</c> columns.</summary>
    public abstract string ListTables { get; }

    /// <summary>True when opening a connection failed because the database does not exist yet.</summary>
    public abstract bool IsMissingDatabase(DbException exception);

    /// <summary>Creates the configured database, as nosql does on first connect; a concurrent creation is not an error.</summary>
    public abstract Task CreateDatabaseAsync(CancellationToken cancellationToken);

    /// <summary>True when <c>CREATE TABLE IF NOT EXISTS</c> failed only because another session created the table at the same time.</summary>
    public virtual bool IsConcurrentCreation(DbException exception) => false;

    /// <summary>What a failure means for a retry (<see cref="SqlFailureKind"/>), from the server's error code.</summary>
    public abstract SqlFailureKind Classify(DbException exception);

    /// <summary>
    /// The cause of <paramref name="exception"/> in one line for an operator: the server's own message
    /// with its error code, or, when no server answered, why not (connection refused, unknown host,
    /// timeout, TLS). Not yet masked.
    /// </summary>
    public abstract string Describe(DbException exception);

    /// <summary>
    /// Why the server will refuse writes on <paramref name="connection"/> (a standby, a read-only
    /// default), or null when it gives no sign of that. Asked before the first <c>CREATE TABLE</c>.
    /// </summary>
    public abstract Task<string?> ReadOnlyReasonAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Drops the idle connections of the pool <paramref name="connection"/> came from: after one
    /// connection was cut (server restart, <c>pg_terminate_backend</c>, <c>KILL</c>) the others usually were too.
    /// </summary>
    public abstract void ClearPool(DbConnection connection);
}
