using System.Text.Json;

namespace Smallstep.Pki.Tests.Host.Db;

/// <summary><c>pki-host db export</c> through the real binary against the SQLite database of an init-written PKI.</summary>
public sealed class DbExportTests
{
    private DbPki _pki = null!;

    [OneTimeSetUp]
    public async Task Create() => _pki = await DbPki.CreateAsync(3000);

    [OneTimeTearDown]
    public void Delete() => _pki.Dispose();

    [Test]
    public async Task JSON_lines_of_every_certificate_go_to_the_output_file()
    {
        var output = Path.Combine(_pki.Pki.StepPath, "all.jsonl");

        var (exitCode, text) = await _pki.RunAsync("db", "export", _pki.Pki.ConfigPath, "--output", output);

        exitCode.Should().Be(0, text);
        text.Should().Contain($"exported {_pki.Count} certificates");
        var lines = File.ReadAllLines(output);
        lines.Should().HaveCount(_pki.Count);
        var first = JsonDocument.Parse(lines.Single(l => l.Contains($"\"serial\":\"{DbPki.Serial(10)}\"", StringComparison.Ordinal))).RootElement;
        first.GetProperty("subject").GetString().Should().Be("CN=host-10.example");
        first.GetProperty("sans")[0].GetString().Should().Be("host-10.example");
        first.GetProperty("provisioner").GetProperty("name").GetString().Should().Be("ops");
        first.GetProperty("revoked").GetBoolean().Should().BeTrue();
    }

    [Test]
    public async Task Filters_select_on_stdout_as_CSV_with_the_default_ca_json()
    {
        // No CONFIG: $STEPPATH/config/ca.json, as for serve.
        var (exitCode, text) = await _pki.RunAsync("db", "export", "--format", "csv", "--revoked", "yes", "--provisioner", "ops", "--serial-prefix", "10020",
            "--expires-after", DbPki.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        exitCode.Should().Be(0, text);
        var rows = text.Split('\n').Where(l => l.StartsWith("x509,", StringComparison.Ordinal)).ToList();
        // Serials 10020xx: i = 2000..2099, none expired; revoked: every 10th, all even, so all "ops".
        rows.Should().HaveCount(10);
        rows.Should().OnlyContain(r => r.Contains(",ops,ops:kid,JWK,true,1,keyCompromise,", StringComparison.Ordinal));
        text.Should().Contain("kind,serial,subject,sans,issuer,");
    }

    [Test]
    public async Task Exactly_one_serial_in_hex_as_step_prints_it()
    {
        var hex = "0x" + System.Numerics.BigInteger.Parse(DbPki.Serial(2999), System.Globalization.CultureInfo.InvariantCulture).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, text) = await _pki.RunAsync("db", "export", _pki.Pki.ConfigPath, "--serial", hex, "--pem");

        exitCode.Should().Be(0, text);
        var line = text.Split('\n').Single(l => l.StartsWith('{'));
        JsonDocument.Parse(line).RootElement.GetProperty("pem").GetString().Should().StartWith("-----BEGIN CERTIFICATE-----");
        text.Should().Contain("exported 1 certificates");
    }

    [TestCase("--format", "xml")]
    [TestCase("--revoked", "maybe")]
    [TestCase("--expires-before", "yesterday")]
    [TestCase("--serial-prefix", "0xAB")]
    [TestCase("--colour", "red")]
    public async Task A_bad_flag_is_a_usage_error_with_exit_code_2(string flag, string value)
    {
        var (exitCode, text) = await _pki.RunAsync("db", "export", _pki.Pki.ConfigPath, flag, value);

        exitCode.Should().Be(2, text);
        text.Should().Contain(flag).And.Contain("Usage:");
    }

    [Test]
    public async Task A_db_command_that_does_not_exist_and_a_missing_config_are_told_apart()
    {
        (await _pki.RunAsync("db")).ExitCode.Should().Be(2);
        (await _pki.RunAsync("db", "vacuum")).ExitCode.Should().Be(2);
        var (exitCode, text) = await _pki.RunAsync("db", "export", Path.Combine(_pki.Pki.StepPath, "no-such.json"));
        exitCode.Should().Be(1, text);
        text.Should().NotContain("   at ");
    }
}
