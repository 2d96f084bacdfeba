using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Db;

/// <summary><c>pki-host db migrate</c> through the real binary: SQLite to SQLite always, to PostgreSQL and MariaDB when the test servers run.</summary>
public sealed class DbMigrateTests
{
    private DbPki _pki = null!;

    [OneTimeSetUp]
    public async Task Create() => _pki = await DbPki.CreateAsync(1200);

    [OneTimeTearDown]
    public void Delete() => _pki.Dispose();

    [Test]
    public async Task From_ca_json_to_a_SQLite_file_then_verify_only_detects_a_changed_row()
    {
        var destination = Path.Combine(_pki.Pki.StepPath, $"copy-{Guid.NewGuid():N}.sqlite");

        var (exitCode, text) = await _pki.RunAsync("db", "migrate", "--from", _pki.Pki.ConfigPath, "--to", "sqlite:" + destination);

        exitCode.Should().Be(0, text);
        text.Should().MatchRegex(@"x509_certs\s+1,200\s+1,200\s+\w{16} / \w{16}\s+ok").And.Contain("verified: ");
        SqliteRows.Count(destination, "x509_certs").Should().Be(1200);

        ExternalTool.RunChecked("sqlite3", destination, $"UPDATE x509_certs_data SET nvalue = x'7b7d' WHERE nkey = CAST('{DbPki.Serial(5)}' AS BLOB);");
        var (verifyExit, verify) = await _pki.RunAsync("db", "migrate", "--from", _pki.Pki.ConfigPath, "--to", "sqlite:" + destination, "--verify-only");

        verifyExit.Should().Be(1, verify);
        verify.Should().MatchRegex(@"x509_certs_data\s+1,200\s+1,200\s+\w{16} / \w{16}\s+MISMATCH").And.Contain("verification failed for x509_certs_data");
    }

    [Test]
    public async Task A_different_row_in_the_destination_needs_force()
    {
        var destination = Path.Combine(_pki.Pki.StepPath, $"copy-{Guid.NewGuid():N}.sqlite");
        ExternalTool.RunChecked("sqlite3", destination, $"CREATE TABLE x509_certs (nkey BLOB NOT NULL PRIMARY KEY, nvalue BLOB); INSERT INTO x509_certs VALUES (CAST('{DbPki.Serial(3)}' AS BLOB), x'00');");

        var (exitCode, text) = await _pki.RunAsync("db", "migrate", "--from", _pki.Pki.ConfigPath, "--to", "sqlite:" + destination);
        exitCode.Should().Be(1, text);
        text.Should().Contain(DbPki.Serial(3)).And.Contain("--force");

        var (forcedExit, forced) = await _pki.RunAsync("db", "migrate", "--from", _pki.Pki.ConfigPath, "--to", "sqlite:" + destination, "--force");
        forcedExit.Should().Be(0, forced);
    }

    [Test]
    public async Task Passwords_never_appear_in_the_output_even_when_the_server_cannot_be_reached()
    {
        var (exitCode, text) = await _pki.RunAsync("db", "migrate", "--from", _pki.Pki.ConfigPath, "--to", "postgresql://pki:hunter2secret@127.0.0.1:1/pki?sslmode=disable");

        exitCode.Should().Be(1, text);
        text.Should().Contain("127.0.0.1:1").And.NotContain("hunter2secret").And.NotContain("   at ");
    }

    [TestCase("PKI_TEST_POSTGRES")]
    [TestCase("PKI_TEST_MYSQL")]
    public async Task To_a_real_SQL_server_and_export_reads_the_same_from_there(string variable)
    {
        var dsn = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(dsn))
        {
            Assert.Ignore($"set {variable} (scripts/db-servers.sh) to run");
        }
        var database = $"pki_h_{Guid.NewGuid():N}";
        // A fresh database on the same server: the last path segment of either DSN form is the database name.
        var address = variable == "PKI_TEST_MYSQL"
            ? "mysql://" + dsn[..(dsn.LastIndexOf('/') + 1)] + database
            : dsn[..(dsn.LastIndexOf('/') + 1)] + database + (dsn.Contains('?', StringComparison.Ordinal) ? dsn[dsn.IndexOf('?', StringComparison.Ordinal)..] : "");
        var password = System.Text.RegularExpressions.Regex.Match(dsn, ":([^:@/]+)@").Groups[1].Value;

        var (exitCode, text) = await _pki.RunAsync("db", "migrate", "--from", _pki.Pki.ConfigPath, "--to", address, "--batch-size", "250");

        exitCode.Should().Be(0, text);
        text.Should().Contain("verified: ").And.NotContain(password);
        var (fromServer, serverCsv) = await _pki.RunAsync("db", "export", address, "--format", "csv", "--kind", "x509");
        var (fromFile, fileCsv) = await _pki.RunAsync("db", "export", _pki.Pki.ConfigPath, "--format", "csv", "--kind", "x509");
        (fromServer, fromFile).Should().Be((0, 0));
        Rows(serverCsv).Should().HaveCount(1200).And.Equal(Rows(fileCsv));
    }

    private static List<string> Rows(string output) => output.Split('\n').Where(l => l.StartsWith("x509,", StringComparison.Ordinal)).ToList();
}
