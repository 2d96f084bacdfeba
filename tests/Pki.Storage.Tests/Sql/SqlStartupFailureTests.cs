using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Sql;

/// <summary>
/// Opening a SQL store from ca.json's <c>db</c> block (<see cref="StorageFactory.Open"/>) against a
/// real server that cannot be used: each failure is one line naming the server, the database and the
/// cause, never the DSN's password, and comes within the connect timeout.
/// </summary>
public abstract class SqlStartupFailureTests
{
    private string _database = null!;

    /// <summary>The server under test.</summary>
    protected abstract SqlTestServer Server { get; }

    [SetUp]
    public void NewDatabase() => _database = SqlTestServer.NewDatabaseName();

    [Test]
    public void Nothing_listening_on_the_port_is_reported_as_refused()
    {
        var port = SilentServer.ClosedPort();

        var message = OpenShouldFail(Server.WithEndpoint("127.0.0.1", port), Server.Password);

        message.Should().Contain($"on 127.0.0.1:{port}").And.Contain("refused");
    }

    [Test]
    public void A_host_name_that_does_not_resolve_is_reported_as_such()
    {
        var message = OpenShouldFail(Server.WithEndpoint("no-such-host.invalid", 5432), Server.Password);

        message.Should().Contain("no-such-host.invalid").And.Contain("does not resolve");
    }

    [Test]
    public void A_wrong_password_is_a_refused_login_and_is_never_shown()
    {
        const string wrong = "wrong-hunter2-secret";

        var message = OpenShouldFail(Server.WithLogin(Server.User, wrong), wrong);

        message.Should().Contain("refused the login");
    }

    [Test]
    public void A_server_that_never_answers_is_given_up_after_the_dsn_connect_timeout()
    {
        using var silent = new SilentServer();
        var clock = Stopwatch.StartNew();

        var message = OpenShouldFail(Server.WithConnectTimeout(Server.WithEndpoint("127.0.0.1", silent.Port), 1), Server.Password);

        message.Should().Contain("did not answer within the connect timeout (1 s)");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "one attempt, bounded by the 1 s timeout, is not retried");
    }

    [Test]
    public void Tls_demanded_by_the_dsn_but_not_offered_by_the_server_is_reported()
    {
        var message = OpenShouldFail(Server.WithRequiredTls(), Server.Password);

        message.Should().Contain("TLS");
    }

    [Test]
    public async Task A_missing_database_the_user_may_not_create_is_reported_with_the_server_reason()
    {
        await using var user = await Server.CreateUserWithoutCreateRightsAsync(_database);

        var message = OpenShouldFail(user.Dsn, Server.Password);

        message.Should().Contain($"database \"{_database}\"").And.Contain("denied");
    }

    [Test]
    public async Task A_read_only_database_with_every_table_present_is_refused_rather_than_served()
    {
        await (await OpenAsync(Server.Dsn)).DisposeAsync();
        await using var readOnly = await Server.MakeReadOnlyAsync(_database);

        var message = OpenShouldFail(readOnly.Dsn, Server.Password);

        message.Should().Contain("read-only");
    }

    [Test]
    public async Task A_read_only_database_is_refused_before_any_table_is_created()
    {
        await using (var creator = Server.CreateStore(Server.Dsn, _database))
        {
            await creator.CreateTableAsync("placeholder");
        }
        await using var readOnly = await Server.MakeReadOnlyAsync(_database);

        var message = OpenShouldFail(readOnly.Dsn, Server.Password);

        message.Should().Contain("read-only");
        await using var connection = await Server.OpenAsync(_database);
        (await SqlTestServer.QueryAsync(connection, 
            // PostgreSQL names the database in table_catalog, MySQL in table_schema.
            $"SELECT table_name FROM information_schema.tables WHERE table_name = 'x509_certs' AND '{_database}' IN (table_catalog, table_schema)")).Should().BeEmpty();
    }

    private Task<IKeyValueStore> OpenAsync(string dsn) => Task.Run(() => StorageFactory.Open(Server.DbType, dsn, _database, Path.GetTempPath(), NullLogger.Instance));

    // The failure as the host reports it (PkiException BadRequest, one line), never with the password.
    private string OpenShouldFail(string dsn, string password)
    {
        var error = FluentActions.Invoking(() => StorageFactory.Open(Server.DbType, dsn, _database, Path.GetTempPath(), NullLogger.Instance))
            .Should().Throw<PkiException>().Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().NotContain("\n").And.StartWith($"{(Server.DbType == "mysql" ? "MySQL" : "PostgreSQL")} database \"{_database}\" on ");
        error.ToString().Should().NotContain(password);
        TestContext.Out.WriteLine(error.Message);
        return error.Message;
    }
}
