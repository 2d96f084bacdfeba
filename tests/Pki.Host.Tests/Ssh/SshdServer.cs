using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// A real OpenSSH <c>sshd</c> on 127.0.0.1 and a free port, run in the foreground (<c>-D -e</c>) with
/// a test's configuration lines; disposed by killing exactly the process it started.
/// </summary>
internal sealed class SshdServer : IDisposable
{
    private readonly Process _process;

    private SshdServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port sshd listens on.</summary>
    public int Port { get; }

    /// <summary>A free loopback port for the configuration to use.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Ignores the test when sshd is not installed (the test script installs openssh-server).</summary>
    public static void Require()
    {
        if (!File.Exists("/usr/sbin/sshd"))
        {
            Assert.Ignore("OpenSSH's sshd is not installed (Debian package openssh-server)");
        }
    }

    /// <summary>Starts sshd with <paramref name="configFile"/> listening on <paramref name="port"/>; returns once it listens.</summary>
    public static async Task<SshdServer> StartAsync(string configFile, int port)
    {
        Directory.CreateDirectory("/run/sshd");
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", configFile })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var log = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // sshd -e logs to stderr; "Server listening" means the port is open.
        while (await process.StandardError.ReadLineAsync(deadline.Token) is { } line)
        {
            log.Add(line);
            if (line.Contains("Server listening", StringComparison.Ordinal))
            {
                _ = process.StandardError.ReadToEndAsync();
                return new SshdServer(process, port);
            }
        }
        process.Dispose();
        Assert.Fail("sshd exited before listening:\n" + string.Join('\n', log));
        throw new InvalidOperationException();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
