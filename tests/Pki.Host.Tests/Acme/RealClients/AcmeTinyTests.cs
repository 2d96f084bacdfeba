using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Debian's acme-tiny 5.0: it only writes the http-01 file into <c>--acme-dir</c>; the test
/// publishes that directory on the validator's port with <see cref="ChallengeFileServer"/>. Its
/// own pre-check fetches port 80, so it runs with <c>--disable-check</c>. Python's urllib trusts
/// the ACME endpoint through <c>SSL_CERT_FILE</c>.
/// </summary>
[TestFixture(typeof(PebbleAcmeServer))]
[TestFixture(typeof(PkiHostAcmeServer))]
public sealed class AcmeTinyTests(Type serverType) : RealClientFixture(serverType)
{
    protected override IEnumerable<(string Program, string Package)> Clients => [("acme-tiny", "acme-tiny"), ("openssl", "openssl")];

    [Test]
    public async Task Http01FromAWebrootIssuesACertificate()
    {
        var name = NewName("acme-tiny");
        var openssl = new OpenSsl(WorkDirectory);
        var accountKey = openssl.NewKey(OpenSslKeyType.Rsa2048); // acme-tiny signs with RS256 only
        var csr = openssl.Save(openssl.Csr(openssl.NewKey(OpenSslKeyType.EcP256), name, "DNS:" + name), "domain.csr");
        var webroot = Directory.CreateDirectory(Path.Combine(WorkDirectory, "acme-challenge")).FullName;
        await using var web = new ChallengeFileServer(HttpChallengePort, webroot);

        var chainPem = await RunClientAsync("acme-tiny", ["--account-key", accountKey, "--csr", csr, "--acme-dir", webroot, "--directory-url", Server.DirectoryUrl.ToString(), "--disable-check"]);

        web.Served.Should().BeGreaterThan(0, "the validator should have fetched the challenge file");
        var chainPath = openssl.Save(chainPem[chainPem.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..], "chain.pem");
        using var chain = IssuedChain.Load(chainPath);
        chain.ShouldBeIssuedFor(IssuingRoot, name);
    }
}
