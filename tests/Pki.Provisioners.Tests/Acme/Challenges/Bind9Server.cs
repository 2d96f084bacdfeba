using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>
/// A real bind9 (<c>/usr/sbin/named</c>) authoritative for <see cref="Zone"/> on a free 127.0.0.1
/// port, from a temporary directory; dynamic updates (nsupdate) are allowed from 127.0.0.1. When
/// named is not installed, <see cref="Start"/> ignores the calling test.
/// </summary>
internal sealed class Bind9Server : IDisposable
{
    public const string Zone = "example.test";

    private const string Named = "/usr/sbin/named";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory;
    private readonly Process _process;

    private Bind9Server(TempDirectory directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    /// <summary>The UDP and TCP port named listens on.</summary>
    public int Port { get; }

    /// <summary>The server as <c>AcmeChallengeOptions.Resolver</c> takes it.</summary>
    public string Resolver => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Starts named serving <paramref name="records"/> (zone file lines, names relative to <see cref="Zone"/>).</summary>
    public static Bind9Server Start(string records)
    {
        if (!File.Exists(Named))
        {
            Assert.Ignore($"bind9 is not installed ({Named} is missing)");
        }
        var directory = new TempDirectory();
        var port = FreePort();
        File.WriteAllText(directory.File("zone.db"), $"""
            $ORIGIN {Zone}.
            $TTL 60
            @ IN SOA ns.{Zone}. hostmaster.{Zone}. 1 60 60 600 60
            @ IN NS ns
            ns IN A 127.0.0.1
            {records}

            """);
        File.WriteAllText(directory.File("named.conf"), $$"""
            options {
                directory "{{directory.Path}}";
                pid-file "{{directory.File("named.pid")}}";
                session-keyfile "{{directory.File("session.key")}}";
                managed-keys-directory "{{directory.Path}}";
                listen-on port {{port}} { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
                notify no;
                allow-query { any; };
            };
            controls { };
            zone "{{Zone}}" { type primary; file "{{directory.File("zone.db")}}"; allow-update { 127.0.0.1; }; };

            """);
        var start = new ProcessStartInfo(Named) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-g", "-4", "-c", directory.File("named.conf") })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("named did not start");
        var log = new StringBuilder();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                running.TrySetException(new InvalidOperationException("named exited:\n" + log));
                return;
            }
            lock (log)
            {
                log.AppendLine(e.Data);
            }
            // named -g logs "running" once every zone is loaded and it answers queries.
            if (e.Data.EndsWith(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new Bind9Server(directory, process, port);
        try
        {
            running.Task.WaitAsync(StartTimeout).GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Applies nsupdate commands (e.g. <c>update add name 60 TXT "v"</c>) to the zone.</summary>
    public void Update(params string[] commands)
    {
        var script = $"server 127.0.0.1 {Port}\nzone {Zone}\n{string.Join('\n', commands)}\nsend\n";
        ExternalCommand.Run("nsupdate", Encoding.ASCII.GetBytes(script));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        _directory.Dispose();
    }

    private static int FreePort()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)udp.LocalEndPoint!).Port;
    }
}
