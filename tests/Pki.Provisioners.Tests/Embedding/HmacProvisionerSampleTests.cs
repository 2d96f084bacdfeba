using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Http;

namespace Smallstep.Pki.Tests.Embedding;

/// <summary>
/// A third-party provisioner type written against Core's public API alone (docs/writing-a-provisioner.md)
/// and plugged in without any edit to Core: routed by its own audience fragment, listed by its own
/// listing, and held by the authority to what no provisioner may skip.
/// </summary>
public sealed class HmacProvisionerSampleTests
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private DirectoryInfo _dir = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _dir = Directory.CreateTempSubdirectory("pki-hmac-");
        var builder = WebApplication.CreateSlimBuilder();
        using var entry = JsonDocument.Parse($$"""
            {"type":"Hmac","name":"corp","domain":"corp.example","secret":"{{Convert.ToBase64String(Secret)}}",
             "claims":{"maxTLSCertDuration":"2000000h","defaultTLSCertDuration":"24h"}
            }
            """);
        builder.Services.AddPki()
            .AddSoftKms(o => o.PasswordProvider = _ => "fixture-test-password")
            .AddSqliteStorage(Path.Combine(_dir.FullName, "ca.db"))
            .AddStepProvisioners()
            .AddProvisionerType(HmacProvisioner.Registration)
            .AddProvisioner(ProvisionerConfig.FromJson(entry.RootElement.Clone()))
            .FromCaJson(Fixtures.Path("pki", "config", "ca.json"));
        builder.Services.AddStepApi();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapStepApi();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    [Test]
    public async Task Issues_inside_its_domain_and_refuses_outside()
    {
        var inside = await SignAsync(Token("app.corp.example"), Csr("app.corp.example"));
        inside.StatusCode.Should().Be(HttpStatusCode.Created, await inside.Content.ReadAsStringAsync());
        var leaf = X509Certificate2.CreateFromPem((await inside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("crt").GetString());
        leaf.Subject.Should().Be("CN=app.corp.example");
        leaf.Extensions.Should().Contain(e => e.Oid!.Value == "1.3.6.1.4.1.37476.9000.64.1", "the authority adds the provisioner extension");
        (leaf.NotAfter - leaf.NotBefore).Should().Be(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1), "the authority applies the default duration and backdate");

        (await SignAsync(Token("app.elsewhere.example"), Csr("app.elsewhere.example"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_token_is_used_once()
    {
        var token = Token("once.corp.example");
        (await SignAsync(token, Csr("once.corp.example"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await SignAsync(token, Csr("once.corp.example"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Cannot_issue_past_the_issuers_notAfter()
    {
        var response = await SignAsync(Token("long.corp.example"), Csr("long.corp.example"), notAfter: "1500000h");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("issuing certificate's notAfter");
    }

    [Test]
    public async Task Cannot_issue_past_the_claims_maximum()
    {
        var response = await SignAsync(Token("max.corp.example"), Csr("max.corp.example"), notAfter: "2000001h");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("more than the authorized maximum certificate duration of 2000000h1m0s");
    }

    [Test]
    public async Task Cannot_issue_for_a_weak_key()
    {
        using var rsa = RSA.Create(1024);
        var request = new CertificateRequest("CN=weak.corp.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var response = await SignAsync(Token("weak.corp.example"), request.CreateSigningRequestPem());
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("at least 2048 bits");
    }

    [Test]
    public async Task Lists_only_the_members_its_type_declares_public()
    {
        var listing = await _http.GetFromJsonAsync<JsonElement>("/provisioners?limit=100");
        var corp = listing.GetProperty("provisioners").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "corp");
        corp.GetRawText().Should().NotContain(Convert.ToBase64String(Secret));
        corp.EnumerateObject().Select(p => p.Name).Should().Equal("type", "name", "domain", "claims");
    }

    private Task<HttpResponseMessage> SignAsync(string token, string csr, string? notAfter = null) =>
        _http.PostAsJsonAsync("/1.0/sign", new Dictionary<string, string?> { ["csr"] = csr, ["ott"] = token, ["notAfter"] = notAfter }
            .Where(p => p.Value is not null).ToDictionary());

    private static string Csr(string subject)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + subject, ec, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName(subject);
        request.CertificateExtensions.Add(sans.Build());
        return request.CreateSigningRequestPem();
    }

    // An HS256 JWS (RFC 7515 §A.1) with the claims the sample reads.
    private static string Token(string subject)
    {
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var input = B64("""{"alg":"HS256","typ":"JWT"}""") + "." + B64(JsonSerializer.Serialize(new
        {
            sub = subject, aud = "https://127.0.0.1/1.0/sign#hmac/corp", exp = now + 300, iat = now, jti = Guid.NewGuid().ToString("N"),
        }));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Secret, Encoding.ASCII.GetBytes(input))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return input + "." + signature;
    }
}
