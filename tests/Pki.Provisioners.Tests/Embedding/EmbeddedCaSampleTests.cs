using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Embedding;

/// <summary>The embedding registrations serve the fixture PKI in process and issue a certificate.</summary>
public sealed class EmbeddedCaSampleTests
{
    [Test]
    public async Task Embedded_app_issues_a_certificate_from_the_fixture_pki()
    {
        var dir = Directory.CreateTempSubdirectory("pki-embed-");
        try
        {
            await using var app = EmbeddedCaSample.Build(Fixtures.Path("pki", "config", "ca.json"), "fixture-test-password", Path.Combine(dir.FullName, "ca.db"));
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            var key = EncryptedKey.Decrypt(JsonDocument.Parse(Fixtures.Text("pki", "config", "ca.json")).RootElement
                .GetProperty("authority").GetProperty("provisioners")[0].GetProperty("encryptedKey").GetString()!, "fixture-test-password");
            var token = new TokenSigner(key).Sign(new TokenDescriptor { Issuer = "fixture-admin", Subject = "embedded.test", Audience = ["https://127.0.0.1/1.0/sign"] });
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var csr = new CertificateRequest("CN=embedded.test", ec, HashAlgorithmName.SHA256).CreateSigningRequestPem();

            var response = await http.PostAsJsonAsync("/1.0/sign", new { csr, ott = token });

            response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var leaf = X509Certificate2.CreateFromPem(body.GetProperty("crt").GetString());
            leaf.Subject.Should().Be("CN=embedded.test");
            leaf.Issuer.Should().Be("CN=Fixture Intermediate CA, O=Fixture");
            await app.StopAsync();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
