using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Base of every real-client fixture: starts a private bind9 (the test names resolve to 127.0.0.1;
/// dns-01 TXT records go there by RFC 2136) and one ACME server under test (the type the fixture is
/// parameterised with, e.g. <c>[TestFixture(typeof(PebbleAcmeServer))]</c>) whose validator
/// contacts <see cref="HttpChallengePort"/> and <see cref="TlsAlpnChallengePort"/> on 127.0.0.1 and
/// resolves through that bind9. Each test gets its own work directory and unique names, so tests do
/// not depend on one another. The tests of a fixture share the validation ports and run one at a time;
/// fixtures have their own servers and ports and run in parallel with each other (the real-client set
/// is mostly waiting on clients' poll intervals).
/// </summary>
[Parallelizable(ParallelScope.Self)]
public abstract class RealClientFixture
{
    private readonly Type _serverType;
    private TemporaryDirectory? _directory;
    private Bind9? _dns;
    private IAcmeServerUnderTest? _server;
    private int _names;

    protected RealClientFixture(Type serverType)
    {
        typeof(IAcmeServerUnderTest).IsAssignableFrom(serverType).Should().BeTrue();
        _serverType = serverType;
    }

    /// <summary>The programs this fixture's tests drive: (program, Debian package). Missing ones skip the fixture with a reason.</summary>
    protected abstract IEnumerable<(string Program, string Package)> Clients { get; }

    internal IAcmeServerUnderTest Server => _server ?? throw new InvalidOperationException("the server is not started");

    /// <summary>
    /// The private bind9 every test name resolves through: every name (<c>*</c> and the apex) has an A
    /// record for 127.0.0.1, so http-01 and tls-alpn-01 validators connect back to the test, and
    /// dns-01 clients add their <c>_acme-challenge</c> TXT records with RFC 2136 updates signed by <see cref="DnsTsig"/>.
    /// </summary>
    internal Bind9 Dns => _dns ?? throw new InvalidOperationException("bind9 is not started");

    /// <summary>The TSIG key RFC 2136 clients sign their updates with.</summary>
    internal Bind9Tsig DnsTsig { get; } = new("real-clients-tsig", "hmac-sha256", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    protected int HttpChallengePort { get; private set; }

    protected int TlsAlpnChallengePort { get; private set; }

    /// <summary>The root issued certificates must chain to.</summary>
    protected X509Certificate2 IssuingRoot { get; private set; } = null!;

    /// <summary>This test's own empty directory (client state, keys, webroots).</summary>
    protected string WorkDirectory { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        foreach (var (program, package) in Clients)
        {
            ExternalTool.Require(program, package);
        }
        _directory = new TemporaryDirectory();
        // TTL 1: a record lego adds is visible at once.
        _dns = Bind9.Start("@ IN A 127.0.0.1\n* IN A 127.0.0.1", DnsTsig, ttl: 1);
        HttpChallengePort = FreePort.Next();
        TlsAlpnChallengePort = FreePort.Next();
        _server = (IAcmeServerUnderTest)Activator.CreateInstance(_serverType)!;
        var serverDirectory = Directory.CreateDirectory(Path.Combine(_directory.Path, "server")).FullName;
        await _server.StartAsync(new AcmeServerSettings(serverDirectory, HttpChallengePort, TlsAlpnChallengePort, _dns.Address));
        IssuingRoot = await _server.GetIssuingRootAsync();
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
        _directory?.Dispose();
    }

    [SetUp]
    public void CreateWorkDirectory() =>
        WorkDirectory = Directory.CreateDirectory(Path.Combine(_directory!.Path, "tests", TestContext.CurrentContext.Test.ID)).FullName;

    /// <summary>A name no other test of this run uses, under the bind9 zone (so it resolves to 127.0.0.1).</summary>
    protected string NewName(string label) => $"{label}-{Interlocked.Increment(ref _names)}.{Bind9.Zone}";

    /// <summary>
    /// The environment every client runs with: trust for the ACME endpoint's TLS in each client's
    /// own variable (Python requests and urllib, curl, Go/lego), and HOME inside the work directory
    /// so nothing is written to the real one.
    /// </summary>
    protected Dictionary<string, string> ClientEnvironment() => new()
    {
        ["HOME"] = WorkDirectory,
        ["REQUESTS_CA_BUNDLE"] = Server.TlsTrustBundlePath,
        ["SSL_CERT_FILE"] = Server.TlsTrustBundlePath,
        ["CURL_CA_BUNDLE"] = Server.TlsTrustBundlePath,
        ["LEGO_CA_CERTIFICATES"] = Server.TlsTrustBundlePath,
    };

    /// <summary>Runs a client; fails with its output and the server's log tail unless it exits 0.</summary>
    protected Task<string> RunClientAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        AcmeClientRun.RunCheckedAsync(Server, program, arguments, environment ?? ClientEnvironment(), WorkDirectory);

    /// <summary>Asserts the server records <paramref name="certificate"/> as revoked (when it can tell).</summary>
    protected async Task ShouldBeRevokedAsync(X509Certificate2 certificate)
    {
        var revoked = await Server.IsRevokedAsync(certificate);
        if (revoked is null)
        {
            TestContext.Out.WriteLine($"{Server.Name} cannot report revocation status; relying on the client's exit code");
            return;
        }
        revoked.Should().BeTrue($"{Server.Name} should record serial {certificate.SerialNumber} as revoked");
    }
}
