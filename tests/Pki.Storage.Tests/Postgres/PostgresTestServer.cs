using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Postgres;
using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.Postgres;

/// <summary>The PostgreSQL server of <c>PKI_TEST_POSTGRES</c> (a postgresql:// URL).</summary>
public sealed partial class PostgresTestServer : SqlTestServer
{
    public override string Variable => "PKI_TEST_POSTGRES";

    public override string DbType => "postgresql";

    public override IKeyValueStore CreateStore(string dsn, string database) => new PostgresKeyValueStore(dsn, database);

    public override string WithEndpoint(string host, int port) => Endpoint().Replace(Dsn, $"@{host}:{port}/", 1);

    public override string WithRequiredTls() => Dsn.Replace("sslmode=disable", "sslmode=require", StringComparison.Ordinal);

    public override string WithConnectTimeout(string dsn, int seconds) => dsn + (dsn.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"connect_timeout={seconds}";

    public override async Task<DbConnection> OpenAsync(string? database = null)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresDataSourceName.ToConnectionString(Dsn, database)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override async Task<IReadOnlyList<long>> SessionsAsync(DbConnection observer, string database, bool waitingForLockOnly = false) =>
        (await QueryAsync(observer, $"SELECT pid FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            + (waitingForLockOnly ? " AND wait_event_type = 'Lock'" : ""))).Select(Convert.ToInt64).ToList();

    public override Task KillAsync(DbConnection observer, long session) => QueryAsync(observer, $"SELECT pg_terminate_backend({session})");

    public override string Quote(string table) => $"\"{table}\"";

    // The session whose deadlock check runs first is the victim. Both waiters' checks start
    // deadlock_timeout (1 s) after they begin to wait, so which fires first would depend on
    // scheduling; this session's check is put off by a minute (a superuser setting), so the store's
    // always runs first and the store is the victim.
    public override async Task<DbConnection> OpenDeadlockSurvivorAsync(string database)
    {
        var connection = await OpenAdminAsync(database);
        await ExecuteAsync(connection, "SET deadlock_timeout = '1min'");
        return connection;
    }

    public override async Task<ServerChange> CreateUserWithoutCreateRightsAsync(string database)
    {
        var user = "nocreate_" + Guid.NewGuid().ToString("N")[..8];
        const string password = "nocreate-secret-1";
        await using (var admin = await OpenAdminAsync("postgres"))
        {
            await ExecuteAsync(admin, $"CREATE ROLE {user} LOGIN NOCREATEDB PASSWORD '{password}'");
        }
        return new ServerChange(WithLogin(user, password), async () =>
        {
            await using var admin = await OpenAdminAsync("postgres");
            await ExecuteAsync(admin, $"DROP ROLE IF EXISTS {user}");
        });
    }

    // The DSN's user owns the databases the store created, so it may change their defaults itself;
    // sessions opened from then on start read-only, like sessions on a standby.
    public override async Task<ServerChange> MakeReadOnlyAsync(string database)
    {
        await using (var connection = await OpenAsync())
        {
            await ExecuteAsync(connection, $"ALTER DATABASE \"{database}\" SET default_transaction_read_only = on");
        }
        return new ServerChange(Dsn, async () =>
        {
            await using var connection = await OpenAsync();
            await ExecuteAsync(connection, $"ALTER DATABASE \"{database}\" RESET default_transaction_read_only");
        });
    }

    // scripts/db-servers.sh lets the postgres superuser in without a password on the server's Unix
    // socket, in $PKI_DB_STATE/postgres (default /tmp/pki-db-servers/postgres).
    private async Task<DbConnection> OpenAdminAsync(string database)
    {
        var state = Environment.GetEnvironmentVariable("PKI_DB_STATE") ?? "/tmp/pki-db-servers";
        var builder = new NpgsqlConnectionStringBuilder(PostgresDataSourceName.ToConnectionString(Dsn))
        {
            Host = Path.Combine(state, "postgres"),
            Username = "postgres",
            Password = null,
            Database = database,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            Assert.Ignore($"needs the postgres superuser on the local socket of scripts/db-servers.sh ({e.Message})");
            throw;
        }
    }

    [GeneratedRegex("@[^/@]+/")]
    private static partial Regex Endpoint();
}
