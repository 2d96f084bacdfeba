using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Storage.Postgres;

namespace Smallstep.Pki.Tests.Storage.Migration;

/// <summary>SQLite to a real PostgreSQL (<c>PKI_TEST_POSTGRES</c>), a new database per test.</summary>
[TestFixture]
public sealed class SqliteToPostgresMigrationTests : MigrationContract
{
    private string _dsn = "";

    [OneTimeSetUp]
    public void RequireServer() => _dsn = Environment.GetEnvironmentVariable("PKI_TEST_POSTGRES") is { Length: > 0 } dsn ? dsn : Ignore("PKI_TEST_POSTGRES");

    protected override IKeyValueStore CreateDestination() => new PostgresKeyValueStore(_dsn, $"pki_m_{Guid.NewGuid():N}");

    internal static string Ignore(string variable)
    {
        Assert.Ignore($"set {variable} (scripts/db-servers.sh) to run");
        return "";
    }
}

/// <summary>SQLite to a real MariaDB/MySQL (<c>PKI_TEST_MYSQL</c>), a new database per test.</summary>
[TestFixture]
public sealed class SqliteToMySqlMigrationTests : MigrationContract
{
    private string _dsn = "";

    [OneTimeSetUp]
    public void RequireServer() => _dsn = Environment.GetEnvironmentVariable("PKI_TEST_MYSQL") is { Length: > 0 } dsn ? dsn : SqliteToPostgresMigrationTests.Ignore("PKI_TEST_MYSQL");

    protected override IKeyValueStore CreateDestination() => new MySqlKeyValueStore(_dsn, $"pki_m_{Guid.NewGuid():N}");
}
