using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MySqlConnector;
using Npgsql;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Storage.Postgres;

namespace Smallstep.Pki.Tests.Host.SqlStorage;

/// <summary>Which SQL server a host test runs against (a test parameter).</summary>
public enum SqlServerKind
{
    PostgreSql,
    MySql,
}

/// <summary>
/// The real PostgreSQL or MariaDB server of <c>PKI_TEST_POSTGRES</c> / <c>PKI_TEST_MYSQL</c>
/// (scripts/db-servers.sh): the ca.json <c>db</c> block for it, DSN variants, and rows read with the
/// drivers directly, independently of the CA's storage code. Without the variable the test is
/// ignored with the reason printed.
/// </summary>
internal sealed partial class DatabaseServer
{
    private DatabaseServer(SqlServerKind kind, string dsn)
    {
        Kind = kind;
        Dsn = dsn;
    }

    public SqlServerKind Kind { get; }

    /// <summary>The DSN from the environment (it holds the password).</summary>
    public string Dsn { get; }

    /// <summary>ca.json <c>db.type</c>.</summary>
    public string DbType => Kind == SqlServerKind.PostgreSql ? "postgresql" : "mysql";

    /// <summary>The DSN's password, which must never appear in the host's output.</summary>
    public string Password => Login().Match(Dsn).Groups["password"].Value;

    public static DatabaseServer Require(SqlServerKind kind)
    {
        var variable = kind == SqlServerKind.PostgreSql ? "PKI_TEST_POSTGRES" : "PKI_TEST_MYSQL";
        var dsn = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(dsn))
        {
            var reason = $"set {variable} (scripts/db-servers.sh) to run";
            TestContext.Out.WriteLine(reason);
            Assert.Ignore(reason);
        }
        return new DatabaseServer(kind, dsn!);
    }

    /// <summary>A database name no other test uses; the CA creates it on start, as step-ca does.</summary>
    public static string NewDatabaseName() => $"pki_h_{Guid.NewGuid():N}";

    /// <summary>ca.json's <c>db</c> block for <paramref name="database"/> (default: the DSN's own).</summary>
    public JsonObject DbBlock(string? database, string? dsn = null)
    {
        var block = new JsonObject { ["type"] = DbType, ["dataSource"] = dsn ?? Dsn };
        if (database is not null)
        {
            block["database"] = database;
        }
        return block;
    }

    /// <summary>The DSN with another password.</summary>
    public string WithPassword(string password) => Login().Replace(Dsn, m => $"{m.Groups["user"].Value}:{password}@", 1);

    /// <summary>The DSN pointing at 127.0.0.1:<paramref name="port"/>.</summary>
    public string WithPort(int port) => Kind == SqlServerKind.PostgreSql
        ? UrlEndpoint().Replace(Dsn, $"@127.0.0.1:{port}/", 1)
        : MySqlEndpoint().Replace(Dsn, $"tcp(127.0.0.1:{port})", 1);

    /// <summary>The DSN pointing at a host name that does not resolve.</summary>
    public string WithUnknownHost() => Kind == SqlServerKind.PostgreSql
        ? UrlEndpoint().Replace(Dsn, "@no-such-host.invalid:5432/", 1)
        : MySqlEndpoint().Replace(Dsn, "tcp(no-such-host.invalid:3306)", 1);

    /// <summary><paramref name="dsn"/> with one more parameter (<c>connect_timeout=1</c>, <c>tls=true</c>, ...).</summary>
    public static string WithParameter(string dsn, string parameter) => dsn + (dsn.Contains('?', StringComparison.Ordinal) ? "&" : "?") + parameter;

    /// <summary>A connection to <paramref name="database"/> with the driver itself, not the CA's store.</summary>
    public async Task<DbConnection> OpenAsync(string? database)
    {
        DbConnection connection = Kind == SqlServerKind.PostgreSql
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresDataSourceName.ToConnectionString(Dsn, database)) { Pooling = false }.ConnectionString)
            : new MySqlConnection(new MySqlConnectionStringBuilder(MySqlDataSourceName.ToConnectionString(Dsn, database)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Rows in <paramref name="table"/> of <paramref name="database"/>.</summary>
    public async Task<long> CountRowsAsync(string? database, string table)
    {
        await using var connection = await OpenAsync(database);
        return Convert.ToInt64(await ScalarAsync(connection, $"SELECT count(*) FROM {Quote(table)}"));
    }

    /// <summary>Whether <paramref name="table"/> holds the text key <paramref name="key"/>.</summary>
    public async Task<bool> HasKeyAsync(string? database, string table, string key)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {Quote(table)} WHERE nkey = @key";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.DbType = System.Data.DbType.Binary;
        parameter.Value = System.Text.Encoding.UTF8.GetBytes(key);
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync()) == 1;
    }

    /// <summary>Runs one statement.</summary>
    public static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private string Quote(string table) => Kind == SqlServerKind.PostgreSql ? $"\"{table}\"" : $"`{table}`";

    // "user:password@" in both DSN forms (after "scheme://" in a URL).
    [GeneratedRegex("(?<user>[A-Za-z0-9_]+):(?<password>[^:@/]+)@")]
    private static partial Regex Login();

    [GeneratedRegex("@[^/@]+/")]
    private static partial Regex UrlEndpoint();

    [GeneratedRegex(@"tcp\([^)]*\)")]
    private static partial Regex MySqlEndpoint();
}
