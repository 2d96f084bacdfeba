namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Debian's certbot 2.1: <c>certonly --standalone</c> (its own http-01 server on the validator's
/// port), <c>renew --force-renewal</c> (from the renewal configuration it saved), and
/// <c>revoke</c> both with the account key and with the certificate's own key (<c>--key-path</c>,
/// RFC 8555 §7.6 "signed with the certificate's key"). Trust for the ACME endpoint comes from
/// <c>REQUESTS_CA_BUNDLE</c>; TLS is never switched off.
/// </summary>
[TestFixture(typeof(PebbleAcmeServer))]
[TestFixture(typeof(PkiHostAcmeServer))]
public sealed class CertbotTests(Type serverType) : RealClientFixture(serverType)
{
    private const string Certbot = "certbot";

    protected override IEnumerable<(string Program, string Package)> Clients => [(Certbot, "certbot")];

    [Test]
    public async Task StandaloneHttp01IssuesThenRenewsThenRevokesWithTheAccountKey()
    {
        var name = NewName("certbot");
        await Obtain(name);
        string first;
        using (var issued = IssuedChain.Load(Live(name, "fullchain.pem")))
        {
            issued.ShouldBeIssuedFor(IssuingRoot, name);
            first = issued.Leaf.SerialNumber;
        }

        // The renewal reads server, authenticator and ports from the renewal configuration certbot saved.
        await RunClientAsync(Certbot, ["renew", .. Common(), "--force-renewal", "--no-random-sleep-on-renew", "--cert-name", name]);
        using var renewed = IssuedChain.Load(Live(name, "fullchain.pem"));
        renewed.ShouldBeIssuedFor(IssuingRoot, name);
        renewed.Leaf.SerialNumber.Should().NotBe(first, "a forced renewal issues a new certificate");
        File.Exists(Path.Combine(ConfigDirectory, "archive", name, "cert2.pem")).Should().BeTrue();

        await RunClientAsync(Certbot, ["revoke", .. Common(), "--cert-path", Live(name, "cert.pem"), "--reason", "keycompromise", "--no-delete-after-revoke"]);
        await ShouldBeRevokedAsync(renewed.Leaf);
    }

    [Test]
    public async Task RevokeWithTheCertificateKey()
    {
        var name = NewName("certbot-certkey");
        await Obtain(name);
        using var issued = IssuedChain.Load(Live(name, "fullchain.pem"));
        issued.ShouldBeIssuedFor(IssuingRoot, name);
        // Without the account: a fresh configuration directory has none, so the request can only be
        // authorised by the certificate's key.
        var stranger = Path.Combine(WorkDirectory, "stranger");
        await RunClientAsync(Certbot, ["revoke", .. Common(stranger), "--cert-path", Live(name, "cert.pem"), "--key-path", Live(name, "privkey.pem"), "--no-delete-after-revoke"]);
        await ShouldBeRevokedAsync(issued.Leaf);
    }

    private Task<string> Obtain(string name) =>
        RunClientAsync(Certbot, ["certonly", .. Common(), "--standalone", "--preferred-challenges", "http-01", "--http-01-port", HttpChallengePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--http-01-address", "127.0.0.1", "--agree-tos", "--register-unsafely-without-email", "-d", name]);

    private string ConfigDirectory => Path.Combine(WorkDirectory, "certbot", "config");

    private string Live(string name, string file) => Path.Combine(ConfigDirectory, "live", name, file);

    private string[] Common(string? root = null)
    {
        var directory = root ?? Path.Combine(WorkDirectory, "certbot");
        return ["--non-interactive", "--server", Server.DirectoryUrl.ToString(), "--config-dir", Path.Combine(directory, "config"),
            "--work-dir", Path.Combine(directory, "work"), "--logs-dir", Path.Combine(directory, "logs")];
    }
}
