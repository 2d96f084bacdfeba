using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Postgres;
using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.Postgres;

/// <summary>The contract against PostgreSQL (<c>PKI_TEST_POSTGRES</c>, a postgresql:// URL).</summary>
[TestFixture]
public sealed class PostgresKeyValueStoreContractTests : SqlKeyValueStoreContract
{
    protected override string Variable => "PKI_TEST_POSTGRES";

    protected override IKeyValueStore CreateStore(string dataSourceName, string database) => new PostgresKeyValueStore(dataSourceName, database);
}
