using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// SSH set up from step's output alone, as the smallstep docs do it: OpenSSH's <c>sshd</c> trusts the
/// user CA key <c>step ssh config --roots</c> prints and presents a host certificate from
/// <c>step ssh certificate 127.0.0.1 KEY --host</c>; the <c>ssh</c> client trusts the host CA key from
/// <c>step ssh config --host --roots</c> (<c>@cert-authority</c>) and logs in with a user certificate
/// from <c>step ssh certificate LOGIN KEY</c>.
/// </summary>
public sealed class StepSshLoginTests : StepCliTests
{
    private Process? _sshd;
    private int _port;
    private string _knownHosts = "";

    [OneTimeSetUp]
    public async Task StartSshd()
    {
        if (!File.Exists("/usr/sbin/sshd"))
        {
            Assert.Ignore("OpenSSH's sshd is not installed (Debian package openssh-server)");
        }
        ExternalTool.Require("ssh", "openssh-client");
        var userCa = Step.File("user_ca.pub", Step.Run("ssh", "config", "--roots").ShouldSucceed().Stdout);
        var hostCa = Step.Run("ssh", "config", "--host", "--roots").ShouldSucceed().Stdout.Trim();
        var hostKey = Step.NewPath("ssh_host_key");
        Step.Run("ssh", "certificate", "127.0.0.1", hostKey, "--host", "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();

        _port = FreePort();
        _knownHosts = Step.File("known_hosts", $"@cert-authority [127.0.0.1]:{_port} {hostCa}\n");
        var config = Step.File("sshd_config", string.Join('\n',
            $"Port {_port}", "ListenAddress 127.0.0.1", $"HostKey {hostKey}", $"HostCertificate {hostKey}-cert.pub",
            $"TrustedUserCAKeys {userCa}", "AuthorizedKeysFile none", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password",
            $"PidFile {Step.NewPath("sshd.pid")}") + "\n");
        Directory.CreateDirectory("/run/sshd");
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", config })
        {
            start.ArgumentList.Add(argument);
        }
        _sshd = Process.Start(start)!;
        // sshd -e logs to stderr; "Server listening" means the port is open (bounded by the test's own timeout).
        var log = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _sshd.StandardError.ReadLineAsync(deadline.Token) is { } line)
        {
            log.Add(line);
            if (line.Contains("Server listening", StringComparison.Ordinal))
            {
                _ = _sshd.StandardError.ReadToEndAsync();
                return;
            }
        }
        Assert.Fail("sshd exited before listening:\n" + string.Join('\n', log));
    }

    [OneTimeTearDown]
    public void StopSshd()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill();
            _sshd.WaitForExit();
        }
        _sshd?.Dispose();
    }

    [Test]
    public void A_user_certificate_from_step_for_the_login_name_logs_in()
    {
        var userKey = Step.NewPath("id_login");
        Step.Run("ssh", "certificate", Environment.UserName, userKey, "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();

        var login = Ssh(userKey, "echo logged-in-with-a-step-certificate");

        login.ExitCode.Should().Be(0, login.Stderr);
        login.Stdout.Trim().Should().Be("logged-in-with-a-step-certificate");
    }

    [Test]
    public void A_user_certificate_from_step_for_another_principal_is_refused_by_sshd()
    {
        var userKey = Step.NewPath("id_other");
        Step.Run("ssh", "certificate", "someone-else", userKey, "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();

        var login = Ssh(userKey, "true");

        login.ExitCode.Should().Be(255);
        login.Stderr.Should().Contain("Permission denied");
    }

    private ExternalTool.Result Ssh(string userKey, string command) => ExternalTool.Run("ssh",
    [
        "-i", userKey, "-o", $"CertificateFile={userKey}-cert.pub", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-o", $"UserKnownHostsFile={_knownHosts}", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
        "-F", "/dev/null", "-p", _port.ToString(CultureInfo.InvariantCulture), $"{Environment.UserName}@127.0.0.1", command,
    ], timeout: TimeSpan.FromSeconds(30));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
