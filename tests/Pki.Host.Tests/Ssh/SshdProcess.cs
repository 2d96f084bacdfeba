using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// A real OpenSSH <c>sshd</c> on 127.0.0.1 and a free port, presenting <c>hostKey</c> with its host
/// certificate and trusting a user CA key file (<c>TrustedUserCAKeys</c>), no passwords, no PAM;
/// and the <c>ssh</c> client that logs in to it with a user certificate, trusting only an
/// <c>@cert-authority</c> line for the host CA, with strict host key checking. Ignores the test
/// (with the reason) when sshd is not installed. Disposing stops sshd.
/// </summary>
internal sealed class SshdProcess : IDisposable
{
    private readonly Process _sshd;
    private readonly string _directory;

    private SshdProcess(Process sshd, string directory, int port)
    {
        _sshd = sshd;
        _directory = directory;
        Port = port;
    }

    /// <summary>The port sshd listens on.</summary>
    public int Port { get; }

    /// <summary>Ignores the test unless sshd is installed.</summary>
    public static void Require()
    {
        if (!File.Exists("/usr/sbin/sshd"))
        {
            Assert.Ignore("OpenSSH's sshd is not installed (Debian package openssh-server)");
        }
    }

    /// <summary>Starts sshd in <paramref name="directory"/> (its config, pid file and known_hosts go there) and waits until it listens.</summary>
    /// <param name="directory">A scratch directory.</param>
    /// <param name="hostKey">The host private key file; the host certificate is <c>hostKey-cert.pub</c> unless <paramref name="hostCertificate"/> is given.</param>
    /// <param name="userCaKeyFile">An <c>authorized_keys</c>-style file with the user CA key.</param>
    /// <param name="hostCertificate">The host certificate file.</param>
    public static async Task<SshdProcess> StartAsync(string directory, string hostKey, string userCaKeyFile, string? hostCertificate = null)
    {
        Require();
        var port = FreePort();
        var name = Guid.NewGuid().ToString("N");
        var config = Path.Combine(directory, $"sshd_config-{name}");
        File.WriteAllLines(config,
        [
            $"Port {port}", "ListenAddress 127.0.0.1", $"HostKey {hostKey}", $"HostCertificate {hostCertificate ?? hostKey + "-cert.pub"}",
            $"TrustedUserCAKeys {userCaKeyFile}", "AuthorizedKeysFile none", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password",
            $"PidFile {Path.Combine(directory, $"sshd-{name}.pid")}",
        ]);
        return await StartAsync(config, port, directory);
    }

    /// <summary>Starts sshd with a test's own <paramref name="configFile"/> (which must listen on 127.0.0.1:<paramref name="port"/>) and waits until it listens.</summary>
    public static async Task<SshdProcess> StartAsync(string configFile, int port, string directory)
    {
        Require();
        Directory.CreateDirectory("/run/sshd");
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", configFile })
        {
            start.ArgumentList.Add(argument);
        }
        var sshd = Process.Start(start)!;
        var log = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // sshd -e logs to stderr; "Server listening" means the port is open.
        while (await sshd.StandardError.ReadLineAsync(deadline.Token) is { } line)
        {
            log.Add(line);
            if (line.Contains("Server listening", StringComparison.Ordinal))
            {
                _ = sshd.StandardError.ReadToEndAsync();
                return new SshdProcess(sshd, directory, port);
            }
        }
        sshd.Dispose();
        Assert.Fail("sshd exited before listening:\n" + string.Join('\n', log));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>
    /// Runs <paramref name="command"/> over <c>ssh</c> as the current user with <paramref name="userKey"/>
    /// and its <c>-cert.pub</c>, trusting only <c>@cert-authority [127.0.0.1]:port hostCa</c>
    /// (<c>StrictHostKeyChecking=yes</c>, no other known hosts, no config file).
    /// </summary>
    public ExternalTool.Result Ssh(string userKey, string hostCaAuthorizedKey, string command)
    {
        var knownHosts = Path.Combine(_directory, $"known_hosts-{Guid.NewGuid():N}");
        File.WriteAllText(knownHosts, $"@cert-authority [127.0.0.1]:{Port} {hostCaAuthorizedKey}\n");
        return ExternalTool.Run("ssh",
        [
            "-i", userKey, "-o", $"CertificateFile={userKey}-cert.pub", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", $"UserKnownHostsFile={knownHosts}", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
            "-F", "/dev/null", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{Environment.UserName}@127.0.0.1", command,
        ], timeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>The key (or certificate) type of a base64 wire blob: its first string (RFC 4253 §6.6).</summary>
    public static string KeyType(string base64)
    {
        var blob = Convert.FromBase64String(base64);
        var length = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
        return System.Text.Encoding.ASCII.GetString(blob, 4, length);
    }

    public void Dispose()
    {
        if (!_sshd.HasExited)
        {
            _sshd.Kill();
            _sshd.WaitForExit();
        }
        _sshd.Dispose();
    }

    /// <summary>A free loopback port for a configuration to listen on.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
