namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// The real step CLI against <c>/ssh/config</c>, <c>/ssh/hosts</c> and <c>/ssh/check-host</c>:
/// <c>step ssh config --dry-run</c> and <c>step ssh config --host --dry-run</c> print the client and
/// server files rendered from the CA's templates (with a private ssh-agent, which step asks),
/// <c>step ssh hosts</c> and <c>step ssh check-host</c> see a host certificate step just got.
/// </summary>
public sealed class StepSshConfigTests : StepCliTests
{
    private System.Diagnostics.Process? _agent;

    [OneTimeSetUp]
    public async Task StartAnAgentAndSignAHostCertificate()
    {
        // step ssh config reads the user's certificate from the ssh-agent; a private agent in the foreground.
        Infrastructure.ExternalTool.Require("ssh-agent", "openssh-client");
        var socket = Step.NewPath("agent.sock");
        _agent = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ssh-agent", ["-D", "-a", socket]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        _ = await _agent.StandardOutput.ReadLineAsync(); // "SSH_AUTH_SOCK=...": the socket exists
        Step.ExtraEnvironment["SSH_AUTH_SOCK"] = socket;
        // A user certificate in the agent (step ssh certificate adds it), as after `step ssh login`.
        Step.Run("ssh", "certificate", "alice", Step.NewPath("id_alice"), "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();
        Step.Run("ssh", "certificate", "web-1.internal", Step.NewPath("ssh_host_key"), "--host", "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();
    }

    [OneTimeTearDown]
    public void StopTheAgent()
    {
        if (_agent is { HasExited: false })
        {
            _agent.Kill();
            _agent.WaitForExit();
        }
        _agent?.Dispose();
    }

    [Test]
    public void Ssh_config_renders_known_hosts_the_step_ssh_config_and_the_includes()
    {
        var hostCa = Step.Run("ssh", "config", "--host", "--roots").ShouldSucceed().Stdout.Trim();

        var result = Step.Run("ssh", "config", "--dry-run").ShouldSucceed();

        result.Stdout.Should().Contain($"@cert-authority * {hostCa}")
            .And.Contain("Match exec \"step ssh check-host %h\"").And.Contain($"UserKnownHostsFile \"{Step.StepPath}/ssh/known_hosts\"")
            .And.Contain($"Include \"{Step.StepPath}/ssh/config\"").And.Contain($"Include \"{Step.StepPath}/ssh/includes\"");
    }

    [Test]
    public void Ssh_config_for_a_host_prints_the_sshd_snippet_and_the_user_ca()
    {
        var userCa = Step.Run("ssh", "config", "--roots").ShouldSucceed().Stdout.Trim();

        var result = Step.Run("ssh", "config", "--host", "--set", "Certificate=ssh_host_ecdsa_key-cert.pub", "--set", "Key=ssh_host_ecdsa_key", "--dry-run").ShouldSucceed();

        result.Stdout.Should().Contain("TrustedUserCAKeys /etc/ssh/ca.pub").And.Contain("HostCertificate /etc/ssh/ssh_host_ecdsa_key-cert.pub")
            .And.Contain("HostKey /etc/ssh/ssh_host_ecdsa_key").And.Contain(userCa);
    }

    [Test]
    public void Ssh_config_for_a_host_without_the_required_data_fails_with_the_cas_message()
    {
        var result = Step.Run("ssh", "config", "--host", "--dry-run").ShouldFail();

        result.Stderr.Should().Contain("required variable 'Certificate' is missing");
    }

    [Test]
    public void Ssh_hosts_lists_the_certified_host()
    {
        Step.Run("ssh", "hosts").ShouldSucceed().Stdout.Should().Contain("web-1.internal");
    }

    [TestCase("web-1.internal", "true")]
    [TestCase("web-2.internal", "false")]
    public void Ssh_check_host_answers_from_the_ca(string host, string expected)
    {
        var result = Step.Run("ssh", "check-host", "--verbose", host);

        result.Stdout.Trim().Should().Be(expected, result.Stderr);
        result.ExitCode.Should().Be(expected == "true" ? 0 : 1);
    }
}
