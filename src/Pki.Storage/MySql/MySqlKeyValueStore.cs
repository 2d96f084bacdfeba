using Smallstep.Pki.Storage.Sql;

namespace Smallstep.Pki.Storage.MySql;

/// <summary>
/// step-ca's <c>db.type: mysql</c>: nosql's tables in a MySQL or MariaDB database (columns
/// <c>nkey VARBINARY(255)</c>, <c>nvalue</c> BLOB), through a pooled <c>MySqlDataSource</c>.
/// Behaviour as described on <see cref="SqlKeyValueStore"/>.
/// </summary>
/// <remarks>Tables this store creates declare <c>nvalue LONGBLOB</c> rather than nosql's 64 KiB
/// <c>BLOB</c>; a table created by step-ca keeps its BLOB column, and the server's strict mode (the
/// default since MySQL 5.7 and MariaDB 10.2.4) rejects longer values instead of truncating them.</remarks>
public sealed class MySqlKeyValueStore : SqlKeyValueStore
{
    /// <summary>Connects lazily to the database named by <paramref name="dataSourceName"/>.</summary>
    /// <param name="dataSourceName">ca.json <c>db.dataSource</c>: a go-sql-driver DSN (see <see cref="MySqlDataSourceName"/>).</param>
    /// <param name="database">ca.json <c>db.database</c>; when set it replaces the DSN's database name.</param>
    /// <exception cref="Smallstep.Pki.Errors.PkiException">Kind BadRequest: the DSN is malformed or uses an unsupported parameter.</exception>
    public MySqlKeyValueStore(string dataSourceName, string? database = null)
        : base(new MySqlDialect(MySqlDataSourceName.Parse(dataSourceName, database)))
    {
    }
}
