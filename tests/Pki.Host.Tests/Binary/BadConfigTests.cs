using System.Text.Json.Nodes;

namespace Smallstep.Pki.Tests.Host.Binary;

/// <summary>A ca.json the host cannot use stops it before it listens: non-zero exit, the field named, no stack trace.</summary>
public class BadConfigTests
{
    [Test]
    public async Task A_bad_duration_exits_non_zero_and_names_the_field()
    {
        using var pki = await WrittenPki.CreateAsync();
        Edit(pki, config => config["authority"]!["claims"] = new JsonObject { ["defaultTLSCertDuration"] = "24x" });

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, pki.ConfigPath, "--password-file", pki.PasswordFile);

        exitCode.Should().NotBe(0);
        output.Should().Contain("defaultTLSCertDuration");
        ShouldHaveNoStackTrace(output);
    }

    [Test]
    public async Task A_missing_key_file_exits_non_zero_and_names_the_field()
    {
        using var pki = await WrittenPki.CreateAsync();
        Edit(pki, config => config["key"] = Path.Combine(pki.StepPath, "secrets", "no-such-key"));

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, pki.ConfigPath, "--password-file", pki.PasswordFile);

        exitCode.Should().NotBe(0);
        output.Should().Contain("key").And.Contain("no-such-key");
        ShouldHaveNoStackTrace(output);
    }

    [Test]
    public async Task A_busy_address_exits_non_zero_and_names_the_field()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var busy = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;
        using var pki = await WrittenPki.CreateAsync($"127.0.0.1:{busy}");

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, pki.ConfigPath, "--password-file", pki.PasswordFile);

        exitCode.Should().Be(1, output);
        output.Should().Contain("address");
        ShouldHaveNoStackTrace(output);
    }

    [Test]
    public async Task A_bad_retention_schedule_exits_non_zero_and_names_the_field()
    {
        using var pki = await WrittenPki.CreateAsync();
        Edit(pki, config => config["db"]!["retention"] = new JsonObject { ["schedule"] = "5s" });

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, pki.ConfigPath, "--password-file", pki.PasswordFile);

        exitCode.Should().Be(1, output);
        output.Should().Contain("db.retention.schedule: must be at least 1m");
        ShouldHaveNoStackTrace(output);
    }

    [Test]
    public async Task A_db_data_source_that_cannot_be_opened_exits_non_zero_and_names_the_field()
    {
        using var pki = await WrittenPki.CreateAsync();
        Edit(pki, config => config["db"]!["dataSource"] = "/proc/no-such-dir/pki.sqlite");

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, pki.ConfigPath, "--password-file", pki.PasswordFile);

        exitCode.Should().Be(1, output);
        output.Should().Contain("db.dataSource");
        ShouldHaveNoStackTrace(output);
    }

    private static void Edit(WrittenPki pki, Action<JsonNode> edit)
    {
        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        edit(config);
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());
    }

    private static void ShouldHaveNoStackTrace(string output)
    {
        output.Should().NotContain("   at ").And.NotContain("Unhandled exception").And.NotContain("Exception:");
    }
}
