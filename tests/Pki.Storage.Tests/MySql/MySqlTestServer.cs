using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using MySqlConnector;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.MySql;

/// <summary>The MariaDB (or MySQL) server of <c>PKI_TEST_MYSQL</c> (a go-sql-driver DSN).</summary>
public sealed partial class MySqlTestServer : SqlTestServer
{
    public override string Variable => "PKI_TEST_MYSQL";

    public override string DbType => "mysql";

    public override IKeyValueStore CreateStore(string dsn, string database) => new MySqlKeyValueStore(dsn, database);

    public override string WithEndpoint(string host, int port) => Address().Replace(Dsn, $"tcp({host}:{port})", 1);

    public override string WithRequiredTls() => WithParameter(Dsn, "tls=true");

    public override string WithConnectTimeout(string dsn, int seconds) => WithParameter(dsn, $"timeout={seconds}s");

    public override async Task<DbConnection> OpenAsync(string? database = null)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder(MySqlDataSourceName.ToConnectionString(Dsn, database)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override async Task<IReadOnlyList<long>> SessionsAsync(DbConnection observer, string database, bool waitingForLockOnly = false)
    {
        var sessions = (await QueryAsync(observer, $"SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '{database}' AND ID <> CONNECTION_ID()")).Select(Convert.ToInt64).ToList();
        if (!waitingForLockOnly)
        {
            return sessions;
        }
        // information_schema.INNODB_TRX can miss a waiting transaction for seconds (MariaDB 10.11
        // serves it from a cache); the engine's own status report lists every lock wait.
        await using var command = observer.CreateCommand();
        command.CommandText = "SHOW ENGINE INNODB STATUS";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var waiting = LockWaitThread().Matches(reader.GetString(2)).Select(m => long.Parse(m.Groups[1].Value)).ToHashSet();
        return sessions.Where(waiting.Contains).ToList();
    }

    public override async Task KillAsync(DbConnection observer, long session)
    {
        try
        {
            await ExecuteAsync(observer, $"KILL CONNECTION {session}");
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.NoSuchThread)
        {
            // The session ended by itself meanwhile.
        }
    }

    public override string Quote(string table) => $"`{table}`";

    public override async Task MakeHeavyAsync(DbTransaction transaction, string table)
    {
        for (var i = 0; i < 20; i++)
        {
            await ExecuteAsync(transaction.Connection!, $"INSERT INTO {Quote(table)} (nkey, nvalue) VALUES ('weight {i}', '')", transaction);
        }
    }

    public override async Task<ServerChange> CreateUserWithoutCreateRightsAsync(string database)
    {
        var user = "nocreate_" + Guid.NewGuid().ToString("N")[..8];
        const string password = "nocreate-secret-1";
        await AdminAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO '{user}'@'127.0.0.1';");
        return new ServerChange(WithLogin(user, password), () => AdminAsync($"DROP USER IF EXISTS '{user}'@'127.0.0.1';"));
    }

    // read_only=ON binds only users without SUPER / READ_ONLY ADMIN; the DSN's user has ALL PRIVILEGES
    // ON *.*, so a plain user is made for the database. The setting is global: only these tests' own
    // plain users see it (every other test connects as the DSN's exempt user), and only briefly.
    public override async Task<ServerChange> MakeReadOnlyAsync(string database)
    {
        var user = "readonly_" + Guid.NewGuid().ToString("N")[..8];
        const string password = "readonly-secret-1";
        await AdminAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; GRANT ALL ON `{database}`.* TO '{user}'@'127.0.0.1'; SET GLOBAL read_only = ON;");
        return new ServerChange(WithLogin(user, password), () => AdminAsync($"SET GLOBAL read_only = OFF; DROP USER IF EXISTS '{user}'@'127.0.0.1';"));
    }

    private static string WithParameter(string dsn, string parameter) => dsn + (dsn.Contains('?', StringComparison.Ordinal) ? "&" : "?") + parameter;

    // scripts/db-servers.sh lets root in only through the server's Unix socket (unix_socket
    // authentication, as the OS user root), so admin statements go through the real mariadb client.
    private async Task AdminAsync(string sql)
    {
        string socket;
        await using (var connection = await OpenAsync())
        {
            socket = (string)(await QueryAsync(connection, "SELECT @@socket"))[0];
        }
        var start = new ProcessStartInfo("mariadb", ["--no-defaults", "-S", socket, "-u", "root", "-e", sql]) { RedirectStandardError = true };
        Process client;
        try
        {
            client = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Ignore($"needs the mariadb client ({e.Message})");
            throw;
        }
        using (client)
        {
            var errors = await client.StandardError.ReadToEndAsync();
            await client.WaitForExitAsync();
            // 2002: no socket; 1045/1698: root may not log in this way (not run as the OS user root).
            if (client.ExitCode != 0 && (errors.Contains("ERROR 2002", StringComparison.Ordinal) || errors.Contains("ERROR 1045", StringComparison.Ordinal) || errors.Contains("ERROR 1698", StringComparison.Ordinal)))
            {
                Assert.Ignore($"needs root on the local socket of scripts/db-servers.sh: {errors}");
            }
            client.ExitCode.Should().Be(0, errors);
        }
    }

    // "---TRANSACTION 82854, ACTIVE 3 sec inserting\n...\nLOCK WAIT 3 lock struct(s) ...\nMariaDB thread id 3641, ...".
    [GeneratedRegex(@"\nLOCK WAIT [^\n]*\n(?:MariaDB|MySQL) thread id (\d+)")]
    private static partial Regex LockWaitThread();

    [GeneratedRegex(@"tcp\([^)]*\)")]
    private static partial Regex Address();
}
