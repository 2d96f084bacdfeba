using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.MySql;

/// <summary>Start-up failures against MariaDB/MySQL (<c>PKI_TEST_MYSQL</c>).</summary>
[TestFixture]
public sealed class MySqlStartupFailureTests : SqlStartupFailureTests
{
    protected override SqlTestServer Server { get; } = new MySqlTestServer();
}
