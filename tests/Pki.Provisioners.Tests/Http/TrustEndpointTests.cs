using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Tests.Http;

public class TrustEndpointTests : StepApiTestBase
{
    [TestCase("D75281F45C11362C31C5D6E96C7B8802D9F68A8470A43876740F67925D080F3F")]
    [TestCase("d75281f4-5c11362c-31c5d6e9-6c7b8802-d9f68a84-70a43876-740f6792-5d080f3f")]
    public async Task Root_fingerprints_ignore_case_and_dashes(string sha)
    {
        var response = await Client.GetAsync("/1.0/root/" + sha);

        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Fixtures.Bytes("http", "13-get-root-by-sha.body.json"));
    }

    [Test]
    public async Task Federated_roots_are_found_and_listed_once()
    {
        using var federated = SelfSigned("CN=Other Root");
        var root = FixturePki.Root();
        Server.Authority.Trust = new TrustBundle([root], [federated, root], [FixturePki.Intermediate()]);

        var byFingerprint = await Client.GetAsync("/root/" + Convert.ToHexString(SHA256.HashData(federated.RawData)));
        using var federation = JsonDocument.Parse(await Client.GetStringAsync("/federation"));
        using var roots = JsonDocument.Parse(await Client.GetStringAsync("/roots"));

        ((int)byFingerprint.StatusCode).Should().Be(200);
        federation.RootElement.GetProperty("crts").EnumerateArray().Select(c => X509Certificate2.CreateFromPem(c.GetString()).Subject)
            .Should().Equal(root.Subject, "CN=Other Root");
        roots.RootElement.GetProperty("crts").GetArrayLength().Should().Be(1);
    }

    [Test]
    public async Task Intermediates_are_served_as_json_and_pem()
    {
        var json = await Client.GetAsync("/intermediates");
        var pem = await Client.GetAsync("/1.0/intermediates.pem");

        ((int)json.StatusCode).Should().Be(201);
        using var body = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("crts")[0].GetString().Should().Be(Fixtures.Text("pki", "certs", "intermediate_ca.crt"));
        ((int)pem.StatusCode).Should().Be(200);
        pem.Content.Headers.ContentType!.ToString().Should().Be("application/x-pem-file");
        (await pem.Content.ReadAsStringAsync()).Should().Be(Fixtures.Text("pki", "certs", "intermediate_ca.crt"));
    }

    [TestCase("/intermediates")]
    [TestCase("/intermediates.pem")]
    public async Task Without_intermediates_the_endpoints_are_not_implemented(string path)
    {
        Server.Authority.Trust = new TrustBundle([FixturePki.Root()], [], []);

        await ShouldBeStepError(await Client.GetAsync(path), 501, NotImplementedMessage);
    }

    [Test]
    public async Task Version_reports_require_client_authentication_only_when_set()
    {
        Server.Options.Version = "1.2.3";
        Server.Options.RequireClientAuthentication = true;

        (await Client.GetStringAsync("/version")).Should().Be("{\"version\":\"1.2.3\",\"requireClientAuthentication\":true}\n");
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
