using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.MySql;

/// <summary>Killed sessions, deadlocks and concurrent pools against MariaDB/MySQL (<c>PKI_TEST_MYSQL</c>).</summary>
[TestFixture]
public sealed class MySqlRecoveryTests : SqlRecoveryTests
{
    protected override SqlTestServer Server { get; } = new MySqlTestServer();
}
