using Npgsql;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.Postgres;

namespace Smallstep.Pki.Tests.Storage.Postgres;

[TestFixture]
public sealed class PostgresDataSourceNameTests
{
    private static NpgsqlConnectionStringBuilder Convert(string dsn, string? database = null) =>
        new(PostgresDataSourceName.ToConnectionString(dsn, database));

    [Test]
    public void A_url_gives_every_part_with_percent_decoding()
    {
        var builder = Convert("postgresql://step%40ca:p%40ss:w0rd@db.example.com:6543/step%20ca?sslmode=verify-full&sslrootcert=/etc/root.crt&connect_timeout=7&application_name=ca");
        builder.Host.Should().Be("db.example.com");
        builder.Port.Should().Be(6543);
        builder.Username.Should().Be("step@ca");
        builder.Password.Should().Be("p@ss:w0rd");
        builder.Database.Should().Be("step ca");
        builder.SslMode.Should().Be(SslMode.VerifyFull);
        builder.RootCertificate.Should().Be("/etc/root.crt");
        builder.Timeout.Should().Be(7);
        builder.ApplicationName.Should().Be("ca");
    }

    [Test]
    public void Without_connect_timeout_a_connection_attempt_gives_up_after_15_seconds_and_0_means_forever_as_in_libpq()
    {
        Convert("postgresql://u@h/d").Timeout.Should().Be(15, "pgx would wait for the operating system, and start-up would hang");
        Convert("postgresql://u@h/d?connect_timeout=0").Timeout.Should().Be(0);
    }

    [Test]
    public void The_postgres_scheme_ipv6_hosts_and_default_port_work()
    {
        var builder = Convert("postgres://u@[::1]/db");
        builder.Host.Should().Be("::1");
        builder.Port.Should().Be(5432);
        builder.Password.Should().BeNull();
    }

    [Test]
    public void A_keyword_string_with_quoted_and_escaped_values_is_understood()
    {
        var builder = Convert(@"host=127.0.0.1 port = 5433 user=step password=s3cret dbname=ca sslmode=disable pool_max_conns=10");
        builder.Host.Should().Be("127.0.0.1");
        builder.Port.Should().Be(5433);
        builder.Username.Should().Be("step");
        builder.Database.Should().Be("ca");
        builder.SslMode.Should().Be(SslMode.Disable);
        builder.Password.Should().Be("s3cret");
        builder.MaxPoolSize.Should().Be(10, "pgx's pool size becomes Npgsql's");
    }

    [Test]
    public void A_quoted_keyword_value_keeps_spaces_and_escaped_quotes()
    {
        Convert(@"host=h user=u dbname=d password='a b\'c'").Password.Should().Be("a b'c");
    }

    [Test]
    public void The_database_option_overrides_the_dsn_and_the_user_is_the_default_database()
    {
        Convert("postgresql://u:p@h/fromdsn", "override").Database.Should().Be("override");
        Convert("postgresql://step:p@h").Database.Should().Be("step");
    }

    [TestCase("postgresql://u:hunter2@h/d?sslmode=bogus")]
    [TestCase("postgresql://u:hunter2@h/d?statement_timeout=5")]
    [TestCase("postgresql://u:hunter2@h:99999/d")]
    [TestCase("postgresql://u:hunter2@h/d?sslmode")]
    [TestCase("host=h password=hunter2 dbname=d user")]
    [TestCase("host=h password='hunter2")]
    [TestCase("postgresql://u:hunter2@/d")]
    [TestCase("postgresql://u:hunter2@h/d?pool_max_conns=0")]
    public void Malformed_or_unsupported_dsns_are_bad_requests_that_do_not_reveal_the_password(string dsn)
    {
        var error = FluentActions.Invoking(() => PostgresDataSourceName.ToConnectionString(dsn)).Should().Throw<PkiException>().Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().NotContain("hunter2");
    }

    [Test]
    public void Libpq_default_tls_files_fill_in_what_the_dsn_leaves_out()
    {
        var home = Directory.CreateTempSubdirectory("pg-home");
        try
        {
            var directory = Directory.CreateDirectory(Path.Combine(home.FullName, ".postgresql")).FullName;
            foreach (var name in new[] { "postgresql.crt", "postgresql.key", "root.crt" })
            {
                File.WriteAllText(Path.Combine(directory, name), "x");
            }

            var verify = PostgresDataSourceName.Parse("host=db user=ca dbname=ca sslmode=verify-full", null, home.FullName);
            verify.SslCertificate.Should().Be(Path.Combine(directory, "postgresql.crt"));
            verify.SslKey.Should().Be(Path.Combine(directory, "postgresql.key"));
            verify.RootCertificate.Should().Be(Path.Combine(directory, "root.crt"));

            var explicitFiles = PostgresDataSourceName.Parse("host=db user=ca sslmode=verify-ca sslcert=/etc/c.crt sslkey=/etc/c.key sslrootcert=/etc/r.crt", null, home.FullName);
            explicitFiles.SslCertificate.Should().Be("/etc/c.crt");
            explicitFiles.RootCertificate.Should().Be("/etc/r.crt");

            var prefer = PostgresDataSourceName.Parse("host=db user=ca", null, home.FullName);
            prefer.RootCertificate.Should().BeNullOrEmpty("only verify-ca and verify-full check the server against root.crt");
            PostgresDataSourceName.Parse("host=db user=ca sslmode=disable", null, home.FullName).SslCertificate.Should().BeNullOrEmpty();
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
