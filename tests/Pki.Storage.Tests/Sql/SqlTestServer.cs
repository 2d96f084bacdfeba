using System.Data.Common;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Sql;

/// <summary>
/// A real SQL server named by an environment variable (scripts/db-servers.sh starts throwaway ones):
/// its DSN and variants of it, raw connections that bypass the store, and the server-side levers the
/// failure tests pull (killing sessions, read-only mode, users without rights).
/// </summary>
public abstract class SqlTestServer
{
    /// <summary>The environment variable holding the DSN.</summary>
    public abstract string Variable { get; }

    /// <summary>ca.json <c>db.type</c>.</summary>
    public abstract string DbType { get; }

    /// <summary>The DSN; the fixture is ignored, with the reason printed, when the variable is unset.</summary>
    public string Dsn
    {
        get
        {
            var dsn = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(dsn))
            {
                Assert.Ignore($"set {Variable} (scripts/db-servers.sh) to run");
            }
            return dsn!;
        }
    }

    /// <summary>The user name in <see cref="Dsn"/>.</summary>
    public string User => Login[..Login.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>The password in <see cref="Dsn"/>.</summary>
    public string Password => Login[(Login.IndexOf(':', StringComparison.Ordinal) + 1)..];

    /// <summary>A database name no other test uses.</summary>
    public static string NewDatabaseName() => $"pki_t_{Guid.NewGuid():N}";

    /// <summary>The store for <paramref name="database"/> on the server of <paramref name="dsn"/>.</summary>
    public abstract IKeyValueStore CreateStore(string dsn, string database);

    /// <summary>The DSN with another user and password.</summary>
    public string WithLogin(string user, string password) => Dsn[..UserStart] + $"{user}:{password}" + Dsn[Dsn.LastIndexOf('@')..];

    /// <summary>The DSN pointing at another host and port.</summary>
    public abstract string WithEndpoint(string host, int port);

    /// <summary>The DSN demanding TLS (the test servers offer none).</summary>
    public abstract string WithRequiredTls();

    /// <summary><paramref name="dsn"/> with the driver's connect timeout parameter.</summary>
    public abstract string WithConnectTimeout(string dsn, int seconds);

    /// <summary>A connection as the DSN's user to <paramref name="database"/> (default: the DSN's), not through the store.</summary>
    public abstract Task<DbConnection> OpenAsync(string? database = null);

    /// <summary>Server session ids of other connections to <paramref name="database"/>.</summary>
    public abstract Task<IReadOnlyList<long>> SessionsAsync(DbConnection observer, string database, bool waitingForLockOnly = false);

    /// <summary>Ends a session from the server side (<c>pg_terminate_backend</c>, <c>KILL CONNECTION</c>).</summary>
    public abstract Task KillAsync(DbConnection observer, long session);

    /// <summary>Locks the row <paramref name="key"/> of <paramref name="table"/> inside <paramref name="transaction"/> (<c>SELECT ... FOR UPDATE</c>); waits while another transaction holds it.</summary>
    public async Task LockRowAsync(DbTransaction transaction, string table, string key)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT nvalue FROM {Quote(table)} WHERE nkey = @key FOR UPDATE";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.DbType = System.Data.DbType.Binary;
        parameter.Value = System.Text.Encoding.UTF8.GetBytes(key);
        command.Parameters.Add(parameter);
        await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// A connection to <paramref name="database"/> for a client that a deadlock with the store must
    /// not pick as its victim (see <see cref="MakeHeavyAsync"/>).
    /// </summary>
    public virtual Task<DbConnection> OpenDeadlockSurvivorAsync(string database) => OpenAsync(database);

    /// <summary>
    /// Makes <paramref name="transaction"/> the one a deadlock should not pick as its victim. InnoDB
    /// rolls back the transaction that wrote and locked the fewest rows; PostgreSQL aborts the session
    /// whose deadlock check (deadlock_timeout after it began to wait) runs first, which
    /// <see cref="OpenDeadlockSurvivorAsync"/> arranges instead.
    /// </summary>
    public virtual Task MakeHeavyAsync(DbTransaction transaction, string table) => Task.CompletedTask;

    /// <summary><paramref name="table"/> as an SQL identifier.</summary>
    public abstract string Quote(string table);

    /// <summary>
    /// A new login (made through the admin connection) that may use <paramref name="database"/>, which
    /// need not exist, but may not create databases; dropped on dispose.
    /// </summary>
    public abstract Task<ServerChange> CreateUserWithoutCreateRightsAsync(string database);

    /// <summary>
    /// Makes the existing <paramref name="database"/> read-only for the returned DSN's user, as a
    /// standby would be, until disposed.
    /// </summary>
    public abstract Task<ServerChange> MakeReadOnlyAsync(string database);

    // Both DSN forms hold "user:password@": after "scheme://" in a URL, at the start of a go-sql-driver DSN.
    private int UserStart => Dsn.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? scheme + 3 : 0;

    private string Login => Dsn[UserStart..Dsn.LastIndexOf('@')];

    /// <summary>Runs one statement on <paramref name="connection"/>.</summary>
    public static async Task ExecuteAsync(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query on <paramref name="connection"/> and returns its first column.</summary>
    public static async Task<List<object>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0));
        }
        return values;
    }

    /// <summary>
    /// Waits, polling the server every 20 ms for at most 20 s, until <paramref name="condition"/> holds:
    /// the tests wait for a session to reach a state on the server, which no event announces.
    /// </summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }
            await Task.Delay(20);
        }
    }
}
