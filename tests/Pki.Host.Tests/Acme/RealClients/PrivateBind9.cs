using System.Security.Cryptography;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// A private, authoritative-only bind9 (<c>/usr/sbin/named -g</c>) on a free 127.0.0.1 port (TCP and
/// UDP) serving one dynamic zone, <see cref="Zone"/>, in which every name (<c>*</c> and the apex)
/// has an A record for 127.0.0.1, so http-01 and tls-alpn-01 validators that resolve through it
/// connect back to the test. RFC 2136 updates signed with the TSIG key <see cref="TsigKeyName"/>
/// (hmac-sha256) may change the zone: dns-01 clients add their <c>_acme-challenge</c> TXT records.
/// </summary>
internal sealed class PrivateBind9 : IAsyncDisposable
{
    public const string Program = "/usr/sbin/named";

    /// <summary>The zone every test name lives under.</summary>
    public const string Zone = "example.test";

    public const string TsigKeyName = "real-clients-tsig";

    public const string TsigAlgorithm = "hmac-sha256";

    private readonly BackgroundTool _named;

    private PrivateBind9(BackgroundTool named, int port, string secret)
    {
        _named = named;
        Port = port;
        TsigSecret = secret;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as resolvers and RFC 2136 clients take it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The TSIG key's secret (base64).</summary>
    public string TsigSecret { get; }

    /// <summary>Writes the configuration and zone into <paramref name="directory"/> and starts named; fails the test if it does not load the zone.</summary>
    public static async Task<PrivateBind9> StartAsync(string directory)
    {
        ExternalTool.Require(Program, "bind9");
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var port = FreePort.NextForTcpAndUdp();
        var zoneFile = Path.Combine(directory, Zone + ".zone");
        await File.WriteAllTextAsync(zoneFile, $"""
            $TTL 1
            @ IN SOA ns.{Zone}. hostmaster.{Zone}. 1 60 60 600 1
            @ IN NS ns.{Zone}.
            @ IN A 127.0.0.1
            * IN A 127.0.0.1

            """);
        var config = Path.Combine(directory, "named.conf");
        await File.WriteAllTextAsync(config, $$"""
            key "{{TsigKeyName}}" { algorithm {{TsigAlgorithm}}; secret "{{secret}}"; };
            options {
                directory "{{directory}}";
                pid-file "{{Path.Combine(directory, "named.pid")}}";
                session-keyfile "{{Path.Combine(directory, "session.key")}}";
                listen-on port {{port}} { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
                notify no;
                allow-query { any; };
            };
            controls { };
            zone "{{Zone}}" {
                type primary;
                file "{{zoneFile}}";
                journal "{{zoneFile}}.jnl";
                allow-update { key "{{TsigKeyName}}"; };
            };

            """);
        var named = BackgroundTool.Start(Program, ["-g", "-4", "-n", "1", "-c", config], workingDirectory: directory);
        var server = new PrivateBind9(named, port, secret);
        try
        {
            await named.WaitForLineAsync("all zones loaded");
            named.Output.Lines.Should().Contain(l => l.Contains($"zone {Zone}/IN: loaded serial", StringComparison.Ordinal), "named must load the test zone:\n" + named.Tail());
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public string LogTail() => _named.Tail();

    public ValueTask DisposeAsync() => _named.DisposeAsync();
}
