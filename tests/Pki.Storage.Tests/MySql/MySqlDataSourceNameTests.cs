using MySqlConnector;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.MySql;

namespace Smallstep.Pki.Tests.Storage.MySql;

[TestFixture]
public sealed class MySqlDataSourceNameTests
{
    private static MySqlConnectionStringBuilder Convert(string dsn, string? database = null) =>
        new(MySqlDataSourceName.ToConnectionString(dsn, database));

    [Test]
    public void A_tcp_dsn_gives_every_part()
    {
        var builder = Convert("step:p@ss:w/rd@tcp(db.example.com:3307)/step%2Dca?tls=true&timeout=1500ms&parseTime=true&charset=utf8mb4");
        builder.Server.Should().Be("db.example.com");
        builder.Port.Should().Be(3307u);
        builder.UserID.Should().Be("step");
        builder.Password.Should().Be("p@ss:w/rd", "the last '/' ends the address part and the last '@' before it the user part");
        builder.Database.Should().Be("step-ca");
        builder.SslMode.Should().Be(MySqlSslMode.VerifyFull);
        builder.ConnectionTimeout.Should().Be(2u);
        builder.UseAffectedRows.Should().BeTrue("insert-if-absent counts changed rows");
    }

    [Test]
    public void Without_timeout_a_connection_attempt_gives_up_after_15_seconds()
    {
        Convert("u@tcp(h)/d").ConnectionTimeout.Should().Be(15u, "go-sql-driver would wait for the operating system, and start-up would hang");
    }

    [Test]
    public void Defaults_match_go_sql_driver()
    {
        var builder = Convert("root@/ca");
        builder.Server.Should().Be("127.0.0.1");
        builder.Port.Should().Be(3306u);
        builder.UserID.Should().Be("root");
        builder.Password.Should().BeEmpty();
        Convert("u:p@tcp([::1])/ca").Server.Should().Be("::1");
        Convert("u:p@tcp([::1]:3310)/ca").Port.Should().Be(3310u);
    }

    [Test]
    public void A_unix_socket_dsn_uses_the_socket()
    {
        var builder = Convert("u:p@unix(/run/mysqld/mysqld.sock)/ca?tls=false");
        builder.ConnectionProtocol.Should().Be(MySqlConnectionProtocol.UnixSocket);
        builder.Server.Should().Be("/run/mysqld/mysqld.sock");
        builder.SslMode.Should().Be(MySqlSslMode.Disabled);
    }

    [Test]
    public void The_database_option_overrides_the_dsn()
    {
        Convert("u:p@tcp(h:3306)/fromdsn", "override").Database.Should().Be("override");
        Convert("u:p@tcp(h:3306)/", "only_option").Database.Should().Be("only_option");
    }

    [TestCase("u:hunter2@tcp(h:3306)")]
    [TestCase("u:hunter2@tcp(h:3306)/")]
    [TestCase("u:hunter2@tcp(h:70000)/d")]
    [TestCase("u:hunter2@udp(h)/d")]
    [TestCase("u:hunter2@tcp(h/d")]
    [TestCase("u:hunter2@tcp(h)/d?tls=custom")]
    [TestCase("u:hunter2@tcp(h)/d?sql_mode=x")]
    [TestCase("u:hunter2@tcp(h)/d?timeout=soon")]
    [TestCase("u:hunter2@tcp(h)/d?charset")]
    public void Malformed_or_unsupported_dsns_are_bad_requests_that_do_not_reveal_the_password(string dsn)
    {
        var error = FluentActions.Invoking(() => MySqlDataSourceName.ToConnectionString(dsn)).Should().Throw<PkiException>().Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().NotContain("hunter2");
    }
}
