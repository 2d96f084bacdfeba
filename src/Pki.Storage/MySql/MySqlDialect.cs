using System.Data.Common;
using MySqlConnector;
using Smallstep.Pki.Storage.Sql;

namespace Smallstep.Pki.Storage.MySql;

/// <summary>MySQL/MariaDB's side of nosql's schema ([nosql] mysql/mysql.go).</summary>
internal sealed class MySqlDialect(MySqlConnectionStringBuilder connection) : SqlDialect
{
    // MySQL identifiers hold at most 64 characters (dev.mysql.com/doc/refman/8.0/en/identifier-length.html).
    private const int MaxIdentifierLength = 64;

    public override string Name => "MySQL";

    public override DbDataSource CreateDataSource() => new MySqlDataSource(connection.ConnectionString);

    public override SqlTableText TableText(string table)
    {
        if (table.Length > MaxIdentifierLength || table.EndsWith(' '))
        {
            throw new ArgumentException($"MySQL table names have at most {MaxIdentifierLength} characters and no trailing space", nameof(table));
        }
        var name = Quote(table);
        return new SqlTableText(
            // nosql declares nvalue BLOB (64 KiB); LONGBLOB reads the same for step-ca and holds CRLs and
            // certificate chains beyond 64 KiB. Existing tables are kept as they are (IF NOT EXISTS).
            Create: $"CREATE TABLE IF NOT EXISTS {name} (nkey VARBINARY(255) NOT NULL, nvalue LONGBLOB, PRIMARY KEY (nkey))",
            Select: $"SELECT nvalue FROM {name} WHERE nkey = @key",
            SelectForUpdate: $"SELECT nvalue FROM {name} WHERE nkey = @key FOR UPDATE",
            Upsert: $"INSERT INTO {name} (nkey, nvalue) VALUES (@key, @value) ON DUPLICATE KEY UPDATE nvalue = @value",
            // Not INSERT IGNORE, which also turns other errors (a value too long) into warnings. With
            // UseAffectedRows the no-op update reports 0 rows, an insert 1.
            InsertIfAbsent: $"INSERT INTO {name} (nkey, nvalue) VALUES (@key, @value) ON DUPLICATE KEY UPDATE nkey = nkey",
            Delete: $"DELETE FROM {name} WHERE nkey = @key",
            // VARBINARY compares bytewise, shorter first on a common prefix, the order KeyOrder defines.
            List: $"SELECT nkey, nvalue FROM {name} ORDER BY nkey");
    }

    // ER_BAD_DB_ERROR: nosql runs CREATE DATABASE IF NOT EXISTS first.
    public override bool IsMissingDatabase(DbException exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.UnknownDatabase };

    public override async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = new MySqlConnectionStringBuilder(connection.ConnectionString) { Database = "", Pooling = false };
        await using var adminConnection = new MySqlConnection(admin.ConnectionString);
        await adminConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new MySqlCommand($"CREATE DATABASE IF NOT EXISTS {Quote(connection.Database)}", adminConnection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Backtick-quoted identifier, an embedded backtick doubled.
    private static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
}
