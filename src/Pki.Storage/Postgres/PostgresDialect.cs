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

    public override DbDataSource CreateDataSource() => NpgsqlDataSource.Create(connection.ConnectionString);

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
            List: $"SELECT nkey, nvalue FROM {name} ORDER BY nkey");
    }

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
