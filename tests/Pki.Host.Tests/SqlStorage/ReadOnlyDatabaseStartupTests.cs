using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Host.SqlStorage;

/// <summary>
/// The host refuses to start on a read-only PostgreSQL database even when every table exists: a CA
/// that cannot burn tokens must not sign. (MariaDB's <c>read_only</c> binds only users without SUPER,
/// which the test DSN's user has; tests/Pki.Storage.Tests covers it with a plain user.)
/// </summary>
public sealed class ReadOnlyDatabaseStartupTests
{
    [Test]
    public async Task A_read_only_database_whose_tables_all_exist_is_refused()
    {
        var server = DatabaseServer.Require(SqlServerKind.PostgreSql);
        var database = DatabaseServer.NewDatabaseName();
        await StorageFactory.Open(server.DbType, server.Dsn, database, Path.GetTempPath(), NullLogger.Instance).DisposeAsync();
        await using var owner = await server.OpenAsync(null);
        // As on a standby, every new session of this database is read-only.
        await DatabaseServer.ScalarAsync(owner, $"ALTER DATABASE \"{database}\" SET default_transaction_read_only = on");
        try
        {
            var line = await SqlStartupErrorTests.ShouldRefuseToStartAsync(server, server.DbBlock(database));

            line.Should().Contain("read-only").And.Contain("default_transaction_read_only");
        }
        finally
        {
            await DatabaseServer.ScalarAsync(owner, $"ALTER DATABASE \"{database}\" RESET default_transaction_read_only");
        }
    }
}
