using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Debian's Pebble 2.4 (Let's Encrypt's ACME test server, <c>/usr/bin/pebble</c>) in <c>-strict</c>
/// mode on free 127.0.0.1 ports, with its artificial validation sleeps and bad-nonce injection
/// switched off (<c>PEBBLE_VA_NOSLEEP=1</c>, <c>PEBBLE_WFE_NONCEREJECT=0</c>) and authorization reuse
/// off (<c>PEBBLE_AUTHZREUSE=0</c>: every order is validated). Its validator uses the fixture's
/// ports and DNS server (<c>-dnsserver</c>). One EAB key is configured but not required, so clients
/// with and without a binding both work. Its issuing root is generated at start and read from its
/// management interface.
/// </summary>
internal sealed class PebbleAcmeServer : IAcmeServerUnderTest
{
    private const string Program = "/usr/bin/pebble";
    private BackgroundTool? _pebble;
    private int _managementPort;
    private HttpClient? _management;
    private X509Certificate2? _issuingRoot;

    public string Name => "pebble";

    public Uri DirectoryUrl { get; private set; } = null!;

    public string TlsTrustBundlePath { get; private set; } = null!;

    public ExternalAccountKey? ExternalAccount { get; } = new("kid-real-clients", "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W");

    public async Task StartAsync(AcmeServerSettings settings)
    {
        ExternalTool.Require(Program, "pebble");
        var tls = TestTlsCertificates.Write(settings.WorkDirectory);
        TlsTrustBundlePath = tls.RootPath;
        var port = FreePort.Next();
        _managementPort = FreePort.Next();
        var config = new JsonObject
        {
            ["pebble"] = new JsonObject
            {
                ["listenAddress"] = $"127.0.0.1:{port}",
                ["managementListenAddress"] = $"127.0.0.1:{_managementPort}",
                ["certificate"] = tls.CertificatePath,
                ["privateKey"] = tls.KeyPath,
                ["httpPort"] = settings.HttpChallengePort,
                ["tlsPort"] = settings.TlsAlpnChallengePort,
                ["ocspResponderURL"] = "",
                ["externalAccountBindingRequired"] = false,
                ["externalAccountMACKeys"] = new JsonObject { [ExternalAccount!.KeyId] = ExternalAccount.HmacKeyBase64Url },
            },
        };
        var configPath = Path.Combine(settings.WorkDirectory, "pebble-config.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        _pebble = BackgroundTool.Start(Program, ["-config", configPath, "-strict", "-dnsserver", settings.DnsResolver], PebbleEnvironment, settings.WorkDirectory);
        await _pebble.WaitForLineAsync("ACME directory available at");
        // Pebble logs its management interface from the goroutine that is about to bind it, so the
        // line can come before the port accepts: wait for the line, then for the port itself.
        await _pebble.WaitForLineAsync("Management interface listening on");
        await WaitUntilAcceptingAsync(_managementPort);
        DirectoryUrl = new Uri($"https://127.0.0.1:{port}/dir");
        _management = CreateClient(tls.RootPath);
    }

    /// <summary>The environment that switches Pebble's test-only slowness and faults off (also used by scripts/bench-acme.sh).</summary>
    public static IReadOnlyDictionary<string, string> PebbleEnvironment { get; } = new Dictionary<string, string>
    {
        ["PEBBLE_VA_NOSLEEP"] = "1",
        ["PEBBLE_WFE_NONCEREJECT"] = "0",
        ["PEBBLE_AUTHZREUSE"] = "0",
    };

    private static async Task WaitUntilAcceptingAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused && DateTime.UtcNow < deadline)
            {
                await Task.Yield();
            }
        }
    }

    public async Task<X509Certificate2> GetIssuingRootAsync()
    {
        if (_issuingRoot is null)
        {
            var pem = await Management.GetStringAsync(new Uri($"https://127.0.0.1:{_managementPort}/roots/0"));
            _issuingRoot = X509Certificate2.CreateFromPem(pem);
        }
        return _issuingRoot;
    }

    public async Task<bool?> IsRevokedAsync(X509Certificate2 certificate)
    {
        // Pebble's management interface: GET /cert-status-by-serial/<hex serial> -> {"Status": "Valid"|"Revoked", ...}.
        using var response = await Management.GetAsync(new Uri($"https://127.0.0.1:{_managementPort}/cert-status-by-serial/{certificate.SerialNumber.ToLowerInvariant()}"));
        response.EnsureSuccessStatusCode();
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        return string.Equals(status.GetProperty("Status").GetString(), "Revoked", StringComparison.OrdinalIgnoreCase);
    }

    public string LogTail() => _pebble?.Tail() ?? "(pebble not started)";

    public async ValueTask DisposeAsync()
    {
        _management?.Dispose();
        _issuingRoot?.Dispose();
        if (_pebble is not null)
        {
            await _pebble.DisposeAsync();
        }
    }

    private HttpClient Management => _management ?? throw new InvalidOperationException("pebble is not started");

    private static HttpClient CreateClient(string rootPath)
    {
        var root = X509CertificateLoader.LoadCertificateFromFile(rootPath);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(root);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
