using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Embedding;

/// <summary>A third-party provisioner type plugged in through the public contracts only.</summary>
public sealed class DomainProvisionerSampleTests
{
    [Test]
    public async Task A_custom_provisioner_type_issues_inside_its_domain_and_refuses_outside()
    {
        var key = JsonWebKey.Generate("EdDSA");
        var dir = Directory.CreateTempSubdirectory("pki-custom-");
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            using var entry = JsonDocument.Parse($$"""{"type":"Domain","name":"corp","domain":"corp.example","key":{{key.ToPublic().ToJson()}}}""");
            builder.Services.AddPki()
                .AddSoftKms(o => o.PasswordProvider = _ => "fixture-test-password")
                .AddSqliteStorage(Path.Combine(dir.FullName, "ca.db"))
                .AddJwkProvisioners()                             // the fixture ca.json has a JWK provisioner; without its factory the start fails
                .AddProvisionerFactory<DomainProvisionerFactory>()
                .AddProvisioner(ProvisionerConfig.FromJson(entry.RootElement.Clone()))
                .FromCaJson(Fixtures.Path("pki", "config", "ca.json"));
            builder.Services.AddStepApi();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            await using var app = builder.Build();
            app.MapStepApi();
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            async Task<HttpResponseMessage> SignAsync(string subject)
            {
                var token = new TokenSigner(key).Sign(new TokenDescriptor { Issuer = "corp", Subject = subject, Audience = ["https://127.0.0.1/1.0/sign#domain/corp"] });
                using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest("CN=" + subject, ec, HashAlgorithmName.SHA256);
                var sans = new SubjectAlternativeNameBuilder();
                sans.AddDnsName(subject);
                request.CertificateExtensions.Add(sans.Build());
                return await http.PostAsJsonAsync("/1.0/sign", new { csr = request.CreateSigningRequestPem(), ott = token });
            }

            var inside = await SignAsync("app.corp.example");
            inside.StatusCode.Should().Be(HttpStatusCode.Created, await inside.Content.ReadAsStringAsync());
            var leaf = X509Certificate2.CreateFromPem((await inside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("crt").GetString());
            leaf.Subject.Should().Be("CN=app.corp.example");

            (await SignAsync("app.elsewhere.example")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
            await app.StopAsync();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
