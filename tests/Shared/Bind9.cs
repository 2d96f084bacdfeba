using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Smallstep.Pki.Tests;

/// <summary>A TSIG key that may send RFC 2136 updates to <see cref="Bind9"/>'s zone.</summary>
/// <param name="Name">The key name.</param>
/// <param name="Algorithm">The algorithm, e.g. <c>hmac-sha256</c>.</param>
/// <param name="Secret">The secret, base64.</param>
internal sealed record Bind9Tsig(string Name, string Algorithm, string Secret);

/// <summary>
/// A real, authoritative-only bind9 (<c>/usr/sbin/named -g</c>) on a free 127.0.0.1 port (UDP and TCP)
/// serving one dynamic zone, <see cref="Zone"/>, from a temporary directory. RFC 2136 updates are
/// allowed from 127.0.0.1, or only with the TSIG key when one is given. When named is not installed,
/// <see cref="Start"/> ignores the calling test with the reason. Shared by the ACME challenge tests
/// and the real-client tests.
/// </summary>
internal sealed class Bind9 : IDisposable, IAsyncDisposable
{
    public const string Zone = "example.test";

    private const string Named = "/usr/sbin/named";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory;
    private readonly Process _process;
    private readonly List<string> _log;

    private Bind9(TempDirectory directory, Process process, int port, List<string> log)
    {
        _directory = directory;
        _process = process;
        _log = log;
        Port = port;
    }

    /// <summary>The UDP and TCP port named listens on.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as resolvers (<c>AcmeChallengeOptions.Resolver</c>) and RFC 2136 clients take it.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Starts named serving <paramref name="records"/> (zone file lines, names relative to <see cref="Zone"/>).</summary>
    /// <param name="records">The zone's records besides SOA and NS.</param>
    /// <param name="tsig">The key updates must be signed with, or null to allow unsigned updates from 127.0.0.1.</param>
    /// <param name="ttl">The zone's TTL and negative-caching time, in seconds.</param>
    public static Bind9 Start(string records, Bind9Tsig? tsig = null, int ttl = 60)
    {
        if (!File.Exists(Named))
        {
            Assert.Ignore($"bind9 is not installed ({Named} is missing; Debian package bind9)");
        }
        var directory = new TempDirectory();
        var port = FreePort();
        var zoneFile = directory.File("zone.db");
        File.WriteAllText(zoneFile, $"""
            $ORIGIN {Zone}.
            $TTL {ttl}
            @ IN SOA ns.{Zone}. hostmaster.{Zone}. 1 60 60 600 {ttl}
            @ IN NS ns
            ns IN A 127.0.0.1
            {records}

            """);
        var key = tsig is null ? "" : $$"""key "{{tsig.Name}}" { algorithm {{tsig.Algorithm}}; secret "{{tsig.Secret}}"; };""";
        var updaters = tsig is null ? "127.0.0.1;" : $"key \"{tsig.Name}\";";
        File.WriteAllText(directory.File("named.conf"), $$"""
            {{key}}
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
            zone "{{Zone}}" { type primary; file "{{zoneFile}}"; allow-update { {{updaters}} }; };

            """);
        var start = new ProcessStartInfo(Named) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-g", "-4", "-n", "1", "-c", directory.File("named.conf") })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("named did not start");
        var log = new List<string>();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lock (log)
                {
                    running.TrySetException(new InvalidOperationException("named exited:\n" + string.Join('\n', log)));
                }
                return;
            }
            lock (log)
            {
                log.Add(e.Data);
            }
            // named -g logs "running" once every zone is loaded and it answers queries.
            if (e.Data.EndsWith(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new Bind9(directory, process, port, log);
        try
        {
            running.Task.WaitAsync(StartTimeout).GetAwaiter().GetResult();
            server.LogTail().Should().Contain($"zone {Zone}/IN: loaded serial", "named must load the test zone");
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Applies unsigned nsupdate commands (e.g. <c>update add name 60 TXT "v"</c>) to the zone.</summary>
    public void Update(params string[] commands)
    {
        var script = $"server 127.0.0.1 {Port}\nzone {Zone}\n{string.Join('\n', commands)}\nsend\n";
        ExternalCommand.Run("nsupdate", Encoding.ASCII.GetBytes(script));
    }

    /// <summary>The last lines named logged, for failure messages.</summary>
    public string LogTail(int count = 40)
    {
        lock (_log)
        {
            return string.Join('\n', _log.TakeLast(count));
        }
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

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        // The same number must be free for TCP too; try until one is.
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: next one.
            }
        }
    }
}
