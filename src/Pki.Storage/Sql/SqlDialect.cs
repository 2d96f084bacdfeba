using System.Data.Common;

namespace Smallstep.Pki.Storage.Sql;

/// <summary>What differs between the SQL servers nosql supports: SQL text, data source, and error codes.</summary>
internal abstract class SqlDialect
{
    /// <summary>The server's name for error messages (never the DSN: it holds the password).</summary>
    public abstract string Name { get; }

    /// <summary>The connection pool for the configured database.</summary>
    public abstract DbDataSource CreateDataSource();

    /// <summary>The SQL text for <paramref name="table"/>, already checked by <c>KeyValueArguments.CheckTable</c>.</summary>
    /// <exception cref="ArgumentException">The name does not fit this server's identifier rules.</exception>
    public abstract SqlTableText TableText(string table);

    /// <summary>True when opening a connection failed because the database does not exist yet.</summary>
    public abstract bool IsMissingDatabase(DbException exception);

    /// <summary>Creates the configured database, as nosql does on first connect; a concurrent creation is not an error.</summary>
    public abstract Task CreateDatabaseAsync(CancellationToken cancellationToken);

    /// <summary>True when <c>CREATE TABLE IF NOT EXISTS</c> failed only because another session created the table at the same time.</summary>
    public virtual bool IsConcurrentCreation(DbException exception) => false;

    /// <summary>
    /// True for failures after which the server rolled the transaction back and a retry may succeed:
    /// SQLSTATE 40001 (serialization failure; MySQL reports deadlock 1213 with it too) and 40P01
    /// (PostgreSQL deadlock).
    /// </summary>
    public static bool IsTransient(DbException exception) => exception.SqlState is "40001" or "40P01";
}
