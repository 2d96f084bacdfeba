using System.Data.Common;
using System.Text;
using Npgsql;
using Smallstep.Pki.Storage.Sql;

namespace Smallstep.Pki.Storage.Postgres;

/// <summary>PostgreSQL's side of nosql's schema ([nosql] postgresql/postgresql.go).</summary>
internal sealed class PostgresDialect(NpgsqlConnectionStringBuilder connection) : SqlDialect
{
    // NAMEDATALEN - 1: longer identifiers are silently truncated, which could merge two buckets.
    private const int MaxIdentifierBytes = 63;

    public override string Name => "PostgreSQL";

    // A host list ("a:5432,b") or a Unix socket directory is shown as given.
    public override string Target => $"database \"{connection.Database}\" on " +
        (connection.Host!.Contains(',', StringComparison.Ordinal) || connection.Host.StartsWith('/') ? connection.Host : $"{connection.Host}:{connection.Port}");

    public override string? Password => connection.Password;

    public override DbDataSource CreateDataSource() => NpgsqlDataSource.Create(connection.ConnectionString);

    public override SqlFailureKind Classify(DbException exception) => PostgresFailures.Classify(exception);

    public override string Describe(DbException exception) => PostgresFailures.Describe(exception, connection);

    // A hot standby answers reads but refuses every write with 25006; so does a database or role
    // with default_transaction_read_only = on. Both are visible before the first CREATE TABLE.
    public override async Task<string?> ReadOnlyReasonAsync(DbConnection open, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'", (NpgsqlConnection)open);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetBoolean(0) ? "the server is a standby in recovery: pg_is_in_recovery() is true"
            : reader.GetBoolean(1) ? "new sessions are read-only: default_transaction_read_only is on"
            : null;
    }

    public override void ClearPool(DbConnection open) => NpgsqlConnection.ClearPool((NpgsqlConnection)open);

    public override SqlTableText TableText(string table)
    {
        if (Encoding.UTF8.GetByteCount(table) > MaxIdentifierBytes)
        {
            throw new ArgumentException($"PostgreSQL table names are limited to {MaxIdentifierBytes} bytes", nameof(table));
        }
        var name = Quote(table);
        return new SqlTableText(
            Create: $"CREATE TABLE IF NOT EXISTS {name} (nkey BYTEA CHECK (octet_length(nkey) <= 255), nvalue BYTEA, PRIMARY KEY (nkey))",
            Select: $"SELECT nvalue FROM {name} WHERE nkey = @key",
            SelectForUpdate: $"SELECT nvalue FROM {name} WHERE nkey = @key FOR UPDATE",
            Upsert: $"INSERT INTO {name} (nkey, nvalue) VALUES (@key, @value) ON CONFLICT (nkey) DO UPDATE SET nvalue = excluded.nvalue",
            InsertIfAbsent: $"INSERT INTO {name} (nkey, nvalue) VALUES (@key, @value) ON CONFLICT (nkey) DO NOTHING",
            Delete: $"DELETE FROM {name} WHERE nkey = @key",
            // BYTEA compares bytewise (memcmp, shorter first), the order KeyOrder defines.
            List: $"SELECT nkey, nvalue FROM {name} ORDER BY nkey",
            ScanFirst: $"SELECT nkey, nvalue FROM {name} ORDER BY nkey LIMIT {KeyValue.KeyValueScanPages.PageSize}",
            ScanAfter: $"SELECT nkey, nvalue FROM {name} WHERE nkey > @key ORDER BY nkey LIMIT {KeyValue.KeyValueScanPages.PageSize}");
    }

    public override string ListTables =>
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name IN ('nkey', 'nvalue') GROUP BY table_name HAVING count(*) = 2";

    // IF NOT EXISTS checks the catalog before inserting into it, so two sessions can both pass the check;
    // the loser fails with a unique violation on pg_type, duplicate_table, or duplicate_object
    // (42710, "type ... already exists": the table's row type was created first).
    public override bool IsConcurrentCreation(DbException exception) =>
        exception.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject;

    // 3D000 invalid_catalog_name: nosql then creates the database (connected to template1).
    public override bool IsMissingDatabase(DbException exception) => exception.SqlState == PostgresErrorCodes.InvalidCatalogName;

    // Unlike nosql this connects to the maintenance database "postgres" (template1 only when that is
    // missing): CREATE DATABASE copies template1 and fails (55006) while any other session, such as a
    // second CA creating the database at the same moment, is connected to it.
    public override async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var adminConnection = await OpenMaintenanceAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {Quote(connection.Database!)}", adminConnection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another process created it first.
        }
    }

    private async Task<NpgsqlConnection> OpenMaintenanceAsync(CancellationToken cancellationToken)
    {
        foreach (var database in (string[])["postgres", "template1"])
        {
            var admin = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Database = database, Pooling = false };
            var adminConnection = new NpgsqlConnection(admin.ConnectionString);
            try
            {
                await adminConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return adminConnection;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName && database == "postgres")
            {
                await adminConnection.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await adminConnection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        throw new InvalidOperationException("unreachable: the template1 attempt either returns or throws");
    }

    // SQL identifier: double quotes, an embedded quote doubled (like pgx Identifier.Sanitize).
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
