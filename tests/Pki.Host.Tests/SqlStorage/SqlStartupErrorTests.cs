using System.Diagnostics;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Binary;

namespace Smallstep.Pki.Tests.Host.SqlStorage;

/// <summary>
/// The host binary with a <c>db</c> block it cannot use exits 1 before listening, with one line that
/// names <c>db.dataSource</c> and the cause, no stack trace, and the DSN's password nowhere in its
/// output; with a usable one it starts and still never prints the password.
/// </summary>
[TestFixture(SqlServerKind.PostgreSql)]
[TestFixture(SqlServerKind.MySql)]
public sealed class SqlStartupErrorTests(SqlServerKind kind)
{
    private DatabaseServer _server = null!;

    [OneTimeSetUp]
    public void RequireServer() => _server = DatabaseServer.Require(kind);

    [Test]
    public async Task Nothing_listening_on_the_port()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var closed = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var line = await ShouldRefuseToStartAsync(_server.DbBlock(DatabaseServer.NewDatabaseName(), _server.WithPort(closed)));

        line.Should().Contain($"127.0.0.1:{closed}").And.Contain("refused");
    }

    [Test]
    public async Task A_host_name_that_does_not_resolve()
    {
        var line = await ShouldRefuseToStartAsync(_server.DbBlock(DatabaseServer.NewDatabaseName(), _server.WithUnknownHost()));

        line.Should().Contain("no-such-host.invalid").And.Contain("does not resolve");
    }

    [Test]
    public async Task A_wrong_password()
    {
        const string wrong = "wrong-hunter2-secret";

        var line = await ShouldRefuseToStartAsync(_server.DbBlock(DatabaseServer.NewDatabaseName(), _server.WithPassword(wrong)), wrong);

        line.Should().Contain("refused the login");
    }

    [Test]
    public async Task A_server_that_never_answers_within_the_dsn_connect_timeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // accepts into its backlog and never answers
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var dsn = DatabaseServer.WithParameter(_server.WithPort(port), kind == SqlServerKind.PostgreSql ? "connect_timeout=1" : "timeout=1s");
        var clock = Stopwatch.StartNew();

        var line = await ShouldRefuseToStartAsync(_server.DbBlock(DatabaseServer.NewDatabaseName(), dsn));

        line.Should().Contain("did not answer within the connect timeout (1 s)");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "start-up gives up after the timeout instead of hanging");
    }

    [Test]
    public async Task Tls_required_by_the_dsn_but_not_offered()
    {
        var dsn = kind == SqlServerKind.PostgreSql
            ? _server.Dsn.Replace("sslmode=disable", "sslmode=require", StringComparison.Ordinal)
            : DatabaseServer.WithParameter(_server.Dsn, "tls=true");

        var line = await ShouldRefuseToStartAsync(_server.DbBlock(DatabaseServer.NewDatabaseName(), dsn));

        line.Should().Contain("TLS");
    }

    [Test]
    public async Task A_usable_database_starts_the_host_and_its_password_is_never_printed()
    {
        using var pki = await WrittenPki.CreateAsync();
        EditDb(pki, _server.DbBlock(DatabaseServer.NewDatabaseName()));
        await using var host = pki.Serve();

        await host.WaitUntilServingAsync();

        host.Output.Lines.Should().Contain(l => l.Contains($"Opened the {_server.DbType} database", StringComparison.Ordinal));
        host.Output.Lines.Should().NotContain(l => l.Contains(_server.Password, StringComparison.Ordinal));
    }

    /// <summary>Runs the host with <paramref name="db"/> to its exit and returns the one line naming db.dataSource.</summary>
    internal static async Task<string> ShouldRefuseToStartAsync(DatabaseServer server, JsonObject db, string? secret = null)
    {
        using var pki = await WrittenPki.CreateAsync();
        EditDb(pki, db);

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, pki.ConfigPath, "--password-file", pki.PasswordFile);

        TestContext.Out.WriteLine(output);
        exitCode.Should().Be(1, output);
        var line = output.Split('\n').Should().ContainSingle(l => l.Contains("db.dataSource", StringComparison.Ordinal)).Subject;
        output.Should().NotContain("   at ").And.NotContain("Exception").And.NotContain(server.Password);
        if (secret is not null)
        {
            output.Should().NotContain(secret);
        }
        return line;
    }

    private Task<string> ShouldRefuseToStartAsync(JsonObject db, string? secret = null) => ShouldRefuseToStartAsync(_server, db, secret);

    private static void EditDb(WrittenPki pki, JsonObject db)
    {
        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        config["db"] = db;
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());
    }
}
