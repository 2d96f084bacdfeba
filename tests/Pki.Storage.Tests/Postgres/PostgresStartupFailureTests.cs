using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.Postgres;

/// <summary>Start-up failures against PostgreSQL (<c>PKI_TEST_POSTGRES</c>).</summary>
[TestFixture]
public sealed class PostgresStartupFailureTests : SqlStartupFailureTests
{
    protected override SqlTestServer Server { get; } = new PostgresTestServer();
}
