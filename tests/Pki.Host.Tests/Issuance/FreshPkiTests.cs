using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Issuance;

/// <summary>
/// A PKI written by <c>PkiWriter</c> (what <c>pki-host init</c> and the first run create) served by
/// the host: its own root is served and trusted, its JWK provisioner's encrypted key decrypts, and
/// the leaves it signs pass <c>openssl verify</c> against its own root.
/// </summary>
public class FreshPkiTests
{
    private ServedPki _pki = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _pki = await ServedPki.StartFreshAsync();
        _client = _pki.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _pki.DisposeAsync();
    }

    [Test]
    public async Task Serves_its_own_root_and_provisioner()
    {
        using var roots = await _client.GetAsync("/roots");
        ((int)roots.StatusCode).Should().Be(201);
        using (var json = JsonDocument.Parse(await roots.Content.ReadAsStringAsync()))
        {
            json.RootElement.GetProperty("crts").EnumerateArray().Select(c => c.GetString())
                .Should().Equal(_pki.Root.ExportCertificatePem() + "\n");
        }
        _pki.Root.Subject.Should().Be("CN=Fresh Root CA, O=Fresh");
        _pki.Intermediate.Subject.Should().Be("CN=Fresh Intermediate CA, O=Fresh");

        using var provisioners = await _client.GetAsync("/provisioners");
        using var list = JsonDocument.Parse(await provisioners.Content.ReadAsStringAsync());
        var entry = list.RootElement.GetProperty("provisioners").EnumerateArray().Single();
        entry.GetProperty("name").GetString().Should().Be("fresh-admin");
        entry.GetProperty("key").GetProperty("kid").GetString().Should().Be(_pki.Provisioner.KeyId);

        using var encrypted = await _client.GetAsync($"/provisioners/{_pki.Provisioner.KeyId}/encrypted-key");
        ((int)encrypted.StatusCode).Should().Be(200);
    }

    [Test]
    public async Task Signs_a_leaf_that_openssl_verifies_against_the_fresh_root()
    {
        using var work = new TemporaryDirectory();
        var openssl = new OpenSsl(work.Path);
        var csr = openssl.Csr(openssl.NewKey(OpenSslKeyType.EcP256), "fresh.host.test", "DNS:fresh.host.test");
        var requestedFrom = DateTimeOffset.UtcNow;

        using var response = await _client.PostJsonAsync("/1.0/sign", new { csr, ott = _pki.Provisioner.SignToken("fresh.host.test") });

        var issued = await response.ShouldBeIssuedAsync();
        var verify = OpenSsl.Verify(_pki.Path("certs", "root_ca.crt"), _pki.Path("certs", "intermediate_ca.crt"), openssl.Save(issued.CrtPem, "leaf.crt"));
        verify.ExitCode.Should().Be(0, verify.Stderr + verify.Stdout);
        using var leaf = issued.Leaf;
        LeafProfile.ShouldBeStepLeaf(leaf, _pki.Intermediate, "fresh.host.test", ["fresh.host.test"], X509KeyUsageFlags.DigitalSignature,
            "fresh-admin", _pki.Provisioner.KeyId, requestedFrom, DateTimeOffset.UtcNow);
        _pki.CountRows("x509_certs").Should().BeGreaterThan(0);
    }
}
