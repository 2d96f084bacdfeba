using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Storage.Postgres;

namespace Smallstep.Pki.Tests.Storage.Acme;

/// <summary>
/// The ACME contract on a real SQL server (scripts/db-servers.sh), each test on a new database; a
/// second store on the same database is a second node with its own connection pool.
/// </summary>
public abstract class SqlAcmeStoreContract : AcmeStoreContract
{
    private string _dataSourceName = "";
    private string _database = "";

    /// <summary>The environment variable holding the server's DSN.</summary>
    protected abstract string Variable { get; }

    /// <summary>A store on <paramref name="database"/>.</summary>
    protected abstract IKeyValueStore Open(string dataSourceName, string database);

    [OneTimeSetUp]
    public void RequireServer()
    {
        var dsn = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(dsn))
        {
            Assert.Ignore($"set {Variable} (scripts/db-servers.sh) to run");
        }
        _dataSourceName = dsn;
    }

    protected override IKeyValueStore CreateStore()
    {
        _database = $"pki_a_{Guid.NewGuid():N}";
        return Open(_dataSourceName, _database);
    }

    [Test]
    public async Task Two_nodes_on_one_database_lose_no_order_and_accept_a_nonce_once()
    {
        await using var otherNode = Open(_dataSourceName, _database);
        await TwoNodesLoseNoOrderAndAcceptANonceOnce(otherNode);
    }
}

/// <summary>The ACME contract on PostgreSQL (<c>PKI_TEST_POSTGRES</c>).</summary>
[TestFixture]
public sealed class PostgresAcmeStoreTests : SqlAcmeStoreContract
{
    protected override string Variable => "PKI_TEST_POSTGRES";

    protected override IKeyValueStore Open(string dataSourceName, string database) => new PostgresKeyValueStore(dataSourceName, database);
}

/// <summary>The ACME contract on MariaDB (<c>PKI_TEST_MYSQL</c>).</summary>
[TestFixture]
public sealed class MySqlAcmeStoreTests : SqlAcmeStoreContract
{
    protected override string Variable => "PKI_TEST_MYSQL";

    protected override IKeyValueStore Open(string dataSourceName, string database) => new MySqlKeyValueStore(dataSourceName, database);
}
