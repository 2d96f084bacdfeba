using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.MySql;

/// <summary>The contract against MySQL or MariaDB (<c>PKI_TEST_MYSQL</c>, a go-sql-driver DSN).</summary>
[TestFixture]
public sealed class MySqlKeyValueStoreContractTests : SqlKeyValueStoreContract
{
    protected override string Variable => "PKI_TEST_MYSQL";

    protected override IKeyValueStore CreateStore(string dataSourceName, string database) => new MySqlKeyValueStore(dataSourceName, database);
}
