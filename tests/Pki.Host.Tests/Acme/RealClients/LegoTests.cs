using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Debian's lego 4.9 against the server under test: http-01 and tls-alpn-01 with lego's own
/// challenge servers on the validator's ports, dns-01 through RFC 2136 updates to the private bind9
/// (a single name and a wildcard), renewal, revocation by the account key, and EAB. lego 4.9 has no
/// key-change (RFC 8555 §7.3.5) command and revokes only with the account key; revocation by the
/// certificate key is covered with certbot (<see cref="CertbotTests"/>).
/// </summary>
[TestFixture(typeof(PebbleAcmeServer))]
[TestFixture(typeof(PkiHostAcmeServer))]
public sealed class LegoTests(Type serverType) : RealClientFixture(serverType)
{
    private const string Lego = "lego";

    protected override IEnumerable<(string Program, string Package)> Clients => [(Lego, "lego")];

    [Test]
    public async Task Http01IssuesACertificate()
    {
        var name = NewName("lego-http");
        await RunClientAsync(Lego, [.. Common(name), "--http", "--http.port", $"127.0.0.1:{HttpChallengePort}", "run"]);
        using var chain = Saved(name);
        chain.ShouldBeIssuedFor(IssuingRoot, name);
    }

    [Test]
    public async Task TlsAlpn01IssuesACertificate()
    {
        var name = NewName("lego-tls");
        await RunClientAsync(Lego, [.. Common(name), "--tls", "--tls.port", $"127.0.0.1:{TlsAlpnChallengePort}", "run"]);
        using var chain = Saved(name);
        chain.ShouldBeIssuedFor(IssuingRoot, name);
    }

    [Test]
    public async Task Dns01ThroughRfc2136UpdatesIssuesACertificate()
    {
        var name = NewName("lego-dns");
        await RunClientAsync(Lego, [.. Common(name), .. Dns01Arguments, "run"], Rfc2136Environment());
        using var chain = Saved(name);
        chain.ShouldBeIssuedFor(IssuingRoot, name);
    }

    [Test]
    public async Task AWildcardOrderIsValidatedByDns01()
    {
        // The zone apex plus a wildcard: two authorizations for the same _acme-challenge name.
        const string Wildcard = "*." + Bind9.Zone;
        await RunClientAsync(Lego, [.. Common(Wildcard), "--domains", Bind9.Zone, .. Dns01Arguments, "run"], Rfc2136Environment());
        using var chain = IssuedChain.Load(Path.Combine(WorkDirectory, "lego", "certificates", "_." + Bind9.Zone + ".crt"));
        chain.ShouldBeIssuedFor(IssuingRoot, Wildcard, Bind9.Zone);
    }

    [Test]
    public async Task RenewIssuesANewCertificateForTheSameName()
    {
        var name = NewName("lego-renew");
        string[] http = ["--http", "--http.port", $"127.0.0.1:{HttpChallengePort}"];
        await RunClientAsync(Lego, [.. Common(name), .. http, "run"]);
        string first;
        using (var chain = Saved(name))
        {
            first = chain.Leaf.SerialNumber;
        }
        // --days beyond the validity forces the renewal now.
        await RunClientAsync(Lego, [.. Common(name), .. http, "renew", "--days", "100000", "--no-random-sleep"]);
        using var renewed = Saved(name);
        renewed.ShouldBeIssuedFor(IssuingRoot, name);
        renewed.Leaf.SerialNumber.Should().NotBe(first);
    }

    [Test]
    public async Task AnAcmeCertificateRenewsOverMutualTlsWithStepRenew()
    {
        if (Server is not IStepRenewEndpoint step)
        {
            Assert.Ignore($"{Server.Name} has no step-ca /1.0/renew endpoint");
            return;
        }
        var name = NewName("lego-step-renew");
        await RunClientAsync(Lego, [.. Common(name), "--http", "--http.port", $"127.0.0.1:{HttpChallengePort}", "run"]);
        var certificates = Path.Combine(WorkDirectory, "lego", "certificates");
        using var issued = X509Certificate2.CreateFromPemFile(Path.Combine(certificates, name + ".crt"), Path.Combine(certificates, name + ".key"));
        using var mtls = CaHttpClient.Create(step.StepBaseAddress, IssuingRoot, issued);

        using var response = await mtls.PostAsync("/1.0/renew", null);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, body);
        var pem = Path.Combine(WorkDirectory, "renewed.pem");
        await File.WriteAllTextAsync(pem, JsonDocument.Parse(body).RootElement.GetProperty("crt").GetString());
        using var renewed = IssuedChain.Load(pem, Path.Combine(certificates, name + ".issuer.crt"));
        renewed.ShouldBeIssuedFor(IssuingRoot, name);
        renewed.Leaf.SerialNumber.Should().NotBe(issued.SerialNumber);
    }

    [Test]
    public async Task RevokeWithTheAccountKey()
    {
        var name = NewName("lego-revoke");
        await RunClientAsync(Lego, [.. Common(name), "--http", "--http.port", $"127.0.0.1:{HttpChallengePort}", "run"]);
        using var chain = Saved(name);
        (await Server.IsRevokedAsync(chain.Leaf)).Should().NotBe(true);
        await RunClientAsync(Lego, [.. Common(name), "revoke", "--reason", "1", "--keep"]);
        await ShouldBeRevokedAsync(chain.Leaf);
    }

    [Test]
    public async Task ExternalAccountBindingRegistersAndIssues()
    {
        var eab = Server.ExternalAccount;
        if (eab is null)
        {
            Assert.Ignore($"{Server.Name} has no EAB key configured for the tests");
        }
        var name = NewName("lego-eab");
        await RunClientAsync(Lego, [.. Common(name), "--eab", "--kid", eab.KeyId, "--hmac", eab.HmacKeyBase64Url, "--http", "--http.port", $"127.0.0.1:{HttpChallengePort}", "run"]);
        using var chain = Saved(name);
        chain.ShouldBeIssuedFor(IssuingRoot, name);
    }

    [Test]
    public async Task ABindingWithTheWrongHmacKeyIsRefused()
    {
        var eab = Server.ExternalAccount;
        if (eab is null)
        {
            Assert.Ignore($"{Server.Name} has no EAB key configured for the tests");
        }
        var name = NewName("lego-eab-bad");
        var wrongKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var result = await AcmeClientRun.RunAsync(Lego, [.. Common(name), "--eab", "--kid", eab.KeyId, "--hmac", wrongKey, "--http", "--http.port", $"127.0.0.1:{HttpChallengePort}", "run"], ClientEnvironment(), WorkDirectory);
        result.ExitCode.Should().NotBe(0, $"a binding signed with another key must not register an account:\n{result.Output}");
        File.Exists(Path.Combine(WorkDirectory, "lego", "certificates", name + ".crt")).Should().BeFalse();
    }

    private string[] Common(string name) =>
        ["--accept-tos", "--email", "lego@" + Bind9.Zone, "--server", Server.DirectoryUrl.ToString(), "--path", Path.Combine(WorkDirectory, "lego"), "--domains", name];

    // lego checks that the TXT record is visible at the zone's authoritative servers before it asks for
    // validation; the private zone's NS name is not resolvable from here, so that check is switched off
    // (the server's own dns-01 lookup through bind9 is what the test is about).
    private string[] Dns01Arguments => ["--dns", "rfc2136", "--dns.resolvers", Dns.Address, "--dns.disable-cp"];

    private Dictionary<string, string> Rfc2136Environment()
    {
        var environment = ClientEnvironment();
        environment["RFC2136_NAMESERVER"] = Dns.Address;
        environment["RFC2136_TSIG_KEY"] = DnsTsig.Name;
        environment["RFC2136_TSIG_SECRET"] = DnsTsig.Secret;
        environment["RFC2136_TSIG_ALGORITHM"] = DnsTsig.Algorithm + ".";
        environment["RFC2136_PROPAGATION_TIMEOUT"] = "20";
        environment["RFC2136_POLLING_INTERVAL"] = "1";
        environment["RFC2136_TTL"] = "1";
        // The apex and the wildcard share one _acme-challenge name; lego solves them one after the
        // other and waits RFC2136_SEQUENCE_INTERVAL (60 s by default) in between.
        environment["RFC2136_SEQUENCE_INTERVAL"] = "1";
        return environment;
    }

    private IssuedChain Saved(string name) => IssuedChain.Load(Path.Combine(WorkDirectory, "lego", "certificates", name + ".crt"));
}
