using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Issuance;

/// <summary>
/// A PKI written by <c>PkiWriter</c> (what <c>pki-host init</c> and the first run create) served by
/// the host: its own root is served and trusted, its JWK provisioner's encrypted key decrypts, and
/// the leaves it signs pass <c>openssl verify</c> against its own root.
/// </summary>
public class FreshPkiTests : ServedPkiTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFreshAsync();

    [Test]
    public async Task Serves_its_own_root_and_provisioner()
    {
        using var roots = await Client.GetAsync("/roots");
        ((int)roots.StatusCode).Should().Be(201);
        using (var json = JsonDocument.Parse(await roots.Content.ReadAsStringAsync()))
        {
            json.RootElement.GetProperty("crts").EnumerateArray().Select(c => c.GetString())
                .Should().Equal(Pki.Root.ExportCertificatePem() + "\n");
        }
        Pki.Root.Subject.Should().Be("CN=Fresh Root CA, O=Fresh");
        Pki.Intermediate.Subject.Should().Be("CN=Fresh Intermediate CA, O=Fresh");

        using var provisioners = await Client.GetAsync("/provisioners");
        using var list = JsonDocument.Parse(await provisioners.Content.ReadAsStringAsync());
        var entry = list.RootElement.GetProperty("provisioners").EnumerateArray().Single();
        entry.GetProperty("name").GetString().Should().Be("fresh-admin");
        entry.GetProperty("key").GetProperty("kid").GetString().Should().Be(Pki.Provisioner.KeyId);

        using var encrypted = await Client.GetAsync($"/provisioners/{Pki.Provisioner.KeyId}/encrypted-key");
        ((int)encrypted.StatusCode).Should().Be(200);
    }

    [Test]
    public async Task Signs_a_leaf_that_openssl_verifies_against_the_fresh_root()
    {
        using var work = new TemporaryDirectory();
        var openssl = new OpenSsl(work.Path);
        var csr = openssl.Csr(openssl.NewKey(OpenSslKeyType.EcP256), "fresh.host.test", "DNS:fresh.host.test");
        var requestedFrom = DateTimeOffset.UtcNow;

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = Pki.Provisioner.SignToken("fresh.host.test") });

        var issued = await response.ShouldBeIssuedAsync();
        var verify = OpenSsl.Verify(Pki.Path("certs", "root_ca.crt"), Pki.Path("certs", "intermediate_ca.crt"), openssl.Save(issued.CrtPem, "leaf.crt"));
        verify.ExitCode.Should().Be(0, verify.Stderr + verify.Stdout);
        using var leaf = issued.Leaf;
        LeafProfile.ShouldBeStepLeaf(leaf, Pki.Intermediate, "fresh.host.test", ["fresh.host.test"], X509KeyUsageFlags.DigitalSignature,
            "fresh-admin", Pki.Provisioner.KeyId, requestedFrom, DateTimeOffset.UtcNow);
        Pki.CountRows("x509_certs").Should().BeGreaterThan(0);
    }
}
