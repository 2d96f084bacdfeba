using Smallstep.Pki.Tests.Storage.Sql;

namespace Smallstep.Pki.Tests.Storage.Postgres;

/// <summary>Killed sessions, deadlocks and concurrent pools against PostgreSQL (<c>PKI_TEST_POSTGRES</c>).</summary>
[TestFixture]
public sealed class PostgresRecoveryTests : SqlRecoveryTests
{
    protected override SqlTestServer Server { get; } = new PostgresTestServer();
}
