using Smallstep.Pki.Storage.Sql;

namespace Smallstep.Pki.Storage.Postgres;

/// <summary>
/// step-ca's <c>db.type: postgresql</c>: nosql's tables in a PostgreSQL database (columns
/// <c>nkey BYTEA</c> with <c>CHECK (octet_length(nkey) &lt;= 255)</c>, <c>nvalue BYTEA</c>), through a
/// pooled <c>NpgsqlDataSource</c>. Behaviour as described on <see cref="SqlKeyValueStore"/>.
/// </summary>
public sealed class PostgresKeyValueStore : SqlKeyValueStore
{
    /// <summary>Connects lazily to the database named by <paramref name="dataSourceName"/>.</summary>
    /// <param name="dataSourceName">ca.json <c>db.dataSource</c>: a <c>postgresql://</c> URL or libpq key=value string (see <see cref="PostgresDataSourceName"/>).</param>
    /// <param name="database">ca.json <c>db.database</c>; when set it replaces the DSN's database name.</param>
    /// <exception cref="Smallstep.Pki.Errors.PkiException">Kind BadRequest: the DSN is malformed or uses an unsupported parameter.</exception>
    public PostgresKeyValueStore(string dataSourceName, string? database = null)
        : base(new PostgresDialect(PostgresDataSourceName.Parse(dataSourceName, database)))
    {
    }
}
