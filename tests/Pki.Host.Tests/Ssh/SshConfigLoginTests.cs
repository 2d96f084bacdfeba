using System.Globalization;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// Trust set up only from <c>POST /ssh/config</c>: <c>sshd</c> runs with the host templates'
/// <c>sshd_config</c> snippet (<c>TrustedUserCAKeys</c>, <c>HostCertificate</c>, <c>HostKey</c>) and
/// <c>ca.pub</c>, the <c>ssh</c> client with the user templates' <c>known_hosts</c> as its only known
/// hosts; a user certificate and a host certificate from <c>/ssh/sign</c> then log in with strict host
/// key checking. The templates are the ones <c>step ca init --ssh</c> wrote into the fixture PKI; the
/// snippet's <c>/etc/ssh/</c> is relocated into a scratch folder (the only edit to what the CA sent).
/// </summary>
public sealed class SshConfigLoginTests : ServedPkiTests
{
    private TemporaryDirectory _work = null!;
    private SshKeygenTool _keygen = null!;
    private SshdProcess? _sshd;
    private string _knownHosts = "";

    [OneTimeSetUp]
    public async Task StartSshdFromTheCaConfiguration()
    {
        SshdProcess.Require();
        _work = new TemporaryDirectory();
        _keygen = new SshKeygenTool(_work.Path);
        var hostKey = _keygen.NewKey();
        File.WriteAllText(hostKey + "-cert.pub", await SignAsync(hostKey, "host", "127.0.0.1"));

        var host = await ConfigAsync("host", new Dictionary<string, string> { ["Certificate"] = Path.GetFileName(hostKey) + "-cert.pub", ["Key"] = Path.GetFileName(hostKey) });
        host.Select(t => (t.Name, t.Path)).Should().Equal(("sshd_config.tpl", "/etc/ssh/sshd_config"), ("ca.tpl", "/etc/ssh/ca.pub"));
        var etc = _work.Path + "/";
        File.WriteAllText(Path.Combine(_work.Path, "ca.pub"), host[1].Content);
        var port = SshdProcess.FreePort();
        var config = Path.Combine(_work.Path, "sshd_config");
        File.WriteAllText(config, string.Join('\n',
            $"Port {port}", "ListenAddress 127.0.0.1", "AuthorizedKeysFile none", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
            "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password", $"PidFile {Path.Combine(_work.Path, "sshd.pid")}") + "\n"
            + host[0].Content.Replace("/etc/ssh/", etc, StringComparison.Ordinal) + "\n");
        _sshd = await SshdProcess.StartAsync(config, port, _work.Path);

        var user = await ConfigAsync("user", new Dictionary<string, string> { ["StepPath"] = _work.Path, ["GOOS"] = "linux", ["StepSSHTemplateVersion"] = "v2" });
        var knownHosts = user.Single(t => t.Name == "known_hosts.tpl");
        knownHosts.Path.Should().Be("ssh/known_hosts");
        _knownHosts = Path.Combine(_work.Path, "known_hosts");
        File.WriteAllText(_knownHosts, knownHosts.Content);
    }

    [OneTimeTearDown]
    public void StopSshd()
    {
        _sshd?.Dispose();
        _work?.Dispose();
    }

    [Test]
    public async Task A_user_certificate_logs_in_to_an_sshd_configured_from_the_host_templates_trusted_through_the_user_known_hosts()
    {
        var userKey = _keygen.NewKey();
        File.WriteAllText(userKey + "-cert.pub", await SignAsync(userKey, "user", Environment.UserName));

        var login = Ssh(userKey, "echo configured-by-the-ca");

        login.ExitCode.Should().Be(0, login.Stderr);
        login.Stdout.Trim().Should().Be("configured-by-the-ca");
    }

    [Test]
    public async Task Without_the_known_hosts_from_the_ca_strict_host_key_checking_refuses_the_host()
    {
        var userKey = _keygen.NewKey();
        File.WriteAllText(userKey + "-cert.pub", await SignAsync(userKey, "user", Environment.UserName));

        var login = Ssh(userKey, "true", knownHosts: "/dev/null");

        login.ExitCode.Should().Be(255);
        login.Stderr.Should().Contain("Host key verification failed");
    }

    [Test]
    public async Task The_user_templates_write_the_step_client_configuration()
    {
        var user = await ConfigAsync("user", new Dictionary<string, string> { ["StepPath"] = "/home/a/.step", ["GOOS"] = "linux", ["User"] = "alice", ["StepSSHTemplateVersion"] = "v2" });

        user.Select(t => (t.Name, t.Type, t.Path)).Should().Equal(
            ("config.tpl", "snippet", "~/.ssh/config"), ("step_includes.tpl", "prepend-line", "${STEPPATH}/ssh/includes"),
            ("step_config.tpl", "file", "ssh/config"), ("known_hosts.tpl", "file", "ssh/known_hosts"));
        user[0].Content.Should().Be("Host *\n\tInclude \"/home/a/.step/ssh/includes\"");
        user[2].Content.Should().Contain("Match exec \"step ssh check-host %h\"\n\tUser alice\n\tUserKnownHostsFile \"/home/a/.step/ssh/known_hosts\"\n");
    }

    private async Task<List<(string Name, string Type, string Path, string Content)>> ConfigAsync(string type, Dictionary<string, string> data)
    {
        using var response = await Client.PostJsonAsync($"/1.0/ssh/config/{type}", new { type, data });
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(200, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty(type + "Templates").EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("type").GetString()!, t.GetProperty("path").GetString()!,
                Encoding.UTF8.GetString(t.GetProperty("content").GetBytesFromBase64())))
            .ToList();
    }

    private async Task<string> SignAsync(string keyPath, string certType, string principal)
    {
        var token = SshTokens.Sign(Pki.Provisioner, principal, new { certType, keyID = principal, principals = new[] { principal } });
        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(keyPath), ott = token, certType });
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(201, body);
        var crt = JsonDocument.Parse(body).RootElement.GetProperty("crt").GetString()!;
        // The subject keys are ssh-keygen's ed25519 keys; the certificate type follows the subject key.
        return $"ssh-ed25519-cert-v01@openssh.com {crt}\n";
    }

    private ExternalTool.Result Ssh(string userKey, string command, string? knownHosts = null) => ExternalTool.Run("ssh",
    [
        "-i", userKey, "-o", $"CertificateFile={userKey}-cert.pub", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-o", $"UserKnownHostsFile={knownHosts ?? _knownHosts}", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
        "-F", "/dev/null", "-p", _sshd!.Port.ToString(CultureInfo.InvariantCulture), $"{Environment.UserName}@127.0.0.1", command,
    ], timeout: TimeSpan.FromSeconds(30));
}
