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

    public override string Target => $"database \"{connection.Database}\" on " +
        (connection.ConnectionProtocol == MySqlConnectionProtocol.UnixSocket ? connection.Server : $"{connection.Server}:{connection.Port}");

    public override string? Password => connection.Password;

    public override DbDataSource CreateDataSource() => new MySqlDataSource(connection.ConnectionString);

    public override SqlFailureKind Classify(DbException exception) => MySqlFailures.Classify(exception);

    public override string Describe(DbException exception) => MySqlFailures.Describe(exception, connection);

    // read_only=ON does not bind users with SUPER or READ_ONLY ADMIN, and which privilege exempts a
    // user differs between MySQL and MariaDB versions, so no query can tell in advance whether this
    // user may write. The server says so itself: it refuses the first CREATE TABLE IF NOT EXISTS
    // (even of an existing table) with 1290, which Describe reports as a read-only database.
    public override Task<string?> ReadOnlyReasonAsync(DbConnection open, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public override void ClearPool(DbConnection open) => MySqlConnection.ClearPool((MySqlConnection)open);

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
            List: $"SELECT nkey, nvalue FROM {name} ORDER BY nkey",
            ScanFirst: $"SELECT nkey, nvalue FROM {name} ORDER BY nkey LIMIT {KeyValue.KeyValueScanPages.PageSize}",
            ScanAfter: $"SELECT nkey, nvalue FROM {name} WHERE nkey > @key ORDER BY nkey LIMIT {KeyValue.KeyValueScanPages.PageSize}");
    }

    public override string ListTables =>
        "SELECT table_name FROM information_schema.columns WHERE table_schema = DATABASE() AND column_name IN ('nkey', 'nvalue') GROUP BY table_name HAVING count(*) = 2";

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
