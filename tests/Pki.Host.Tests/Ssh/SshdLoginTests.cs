using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// The real peers: OpenSSH's <c>sshd</c> trusts the CA's SSH user key (<c>TrustedUserCAKeys</c>) and
/// presents a host certificate from <c>POST /ssh/sign</c>; the <c>ssh</c> client trusts the host CA
/// (<c>@cert-authority</c>) and logs in with a user certificate whose principal is the login name.
/// </summary>
public sealed class SshdLoginTests : ServedPkiTests
{
    private TemporaryDirectory _work = null!;
    private SshKeygenTool _keygen = null!;
    private SshdServer? _sshd;
    private int _port;

    [OneTimeSetUp]
    public async Task StartSshd()
    {
        SshdServer.Require();
        _work = new TemporaryDirectory();
        _keygen = new SshKeygenTool(_work.Path);
        using var roots = JsonDocument.Parse(await Client.GetStringAsync("/1.0/ssh/roots"));
        var userCa = roots.RootElement.GetProperty("userKey")[0].GetString()!;
        var hostCa = roots.RootElement.GetProperty("hostKey")[0].GetString()!;
        File.WriteAllText(Path.Combine(_work.Path, "user_ca.pub"), $"{KeyType(userCa)} {userCa}\n");

        var hostKey = _keygen.NewKey();
        File.WriteAllText(hostKey + "-cert.pub", await SignAsync(hostKey, "host", "127.0.0.1"));
        _port = SshdServer.FreePort();
        File.WriteAllText(Path.Combine(_work.Path, "known_hosts"), $"@cert-authority [127.0.0.1]:{_port} {KeyType(hostCa)} {hostCa}\n");
        var config = Path.Combine(_work.Path, "sshd_config");
        File.WriteAllLines(config,
        [
            $"Port {_port}", "ListenAddress 127.0.0.1", $"HostKey {hostKey}", $"HostCertificate {hostKey}-cert.pub",
            $"TrustedUserCAKeys {Path.Combine(_work.Path, "user_ca.pub")}", "AuthorizedKeysFile none", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password",
            $"PidFile {Path.Combine(_work.Path, "sshd.pid")}",
        ]);
        _sshd = await SshdServer.StartAsync(config, _port);
    }

    [OneTimeTearDown]
    public void StopSshd()
    {
        _sshd?.Dispose();
        _work?.Dispose();
    }

    [Test]
    public async Task A_user_certificate_for_the_login_name_logs_in_to_a_host_with_a_ca_signed_host_certificate()
    {
        var userKey = _keygen.NewKey();
        File.WriteAllText(userKey + "-cert.pub", await SignAsync(userKey, "user", Environment.UserName));

        var login = Ssh(userKey, "echo logged-in-with-a-certificate");

        login.ExitCode.Should().Be(0, login.Stderr);
        login.Stdout.Trim().Should().Be("logged-in-with-a-certificate");
    }

    [Test]
    public async Task A_user_certificate_for_another_principal_is_refused_by_sshd()
    {
        var userKey = _keygen.NewKey();
        File.WriteAllText(userKey + "-cert.pub", await SignAsync(userKey, "user", "someone-else"));

        var login = Ssh(userKey, "true");

        login.ExitCode.Should().Be(255);
        login.Stderr.Should().Contain("Permission denied");
    }

    private async Task<string> SignAsync(string keyPath, string certType, string principal)
    {
        var token = SshTokens.Sign(Pki.Provisioner, principal, new { certType, keyID = principal, principals = new[] { principal } });
        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(keyPath), ott = token, certType, principals = new[] { principal } });
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(201, body);
        var crt = JsonDocument.Parse(body).RootElement.GetProperty("crt").GetString()!;
        return $"{KeyType(crt)} {crt}\n";
    }

    private ExternalTool.Result Ssh(string userKey, string command) => ExternalTool.Run("ssh",
    [
        "-i", userKey, "-o", $"CertificateFile={userKey}-cert.pub", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-o", $"UserKnownHostsFile={Path.Combine(_work.Path, "known_hosts")}", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
        "-F", "/dev/null", "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{Environment.UserName}@127.0.0.1", command,
    ], timeout: TimeSpan.FromSeconds(30));

    // The key (or certificate) type is the first string of the wire blob (RFC 4253 §6.6).
    private static string KeyType(string base64)
    {
        var blob = Convert.FromBase64String(base64);
        var length = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
        return System.Text.Encoding.ASCII.GetString(blob, 4, length);
    }
}
