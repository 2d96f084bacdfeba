using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Backends;

namespace Smallstep.Pki.Tests.Options;

/// <summary>
/// Provisioner options from code (named options) and from <see cref="IConfiguration"/> are bound
/// and validated by their type exactly as ca.json entries are, and messages name where they came from.
/// </summary>
public sealed class ProvisionerOptionsSourcesTests
{
    private static PkiBuilder Backends(PkiBuilder builder) =>
        builder.AddSoftKms(o => o.PasswordProvider = _ => PkiCopy.Password).AddSqliteStorage().AddStepProvisioners();

    [Test]
    public async Task A_jwk_provisioner_added_in_code_issues_and_is_listed()
    {
        using var pki = new PkiCopy();
        var key = JsonWebKey.Generate("ES256");
        await using var app = EmbeddedApp.Build(pki, b => Backends(b).AddJwkProvisioner("ops", o =>
        {
            o.Key = key.ToPublic();
            o.Claims = ClaimsConfig.Parse("""{"maxTLSCertDuration":"1h","defaultTLSCertDuration":"1h"}""");
        }));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var signed = await SignAsync(http, key, "ops");
        signed.StatusCode.Should().Be(HttpStatusCode.Created, await signed.Content.ReadAsStringAsync());
        var leaf = await EmbeddedApp.VerifiedLeafAsync(signed, pki);
        (leaf.NotAfter - leaf.NotBefore).Should().Be(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1), "the code options' claims apply");

        var listing = await http.GetFromJsonAsync<JsonElement>("/provisioners?limit=100");
        var ops = listing.GetProperty("provisioners").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "ops");
        ops.EnumerateObject().Select(p => p.Name).Should().Equal("type", "name", "key", "claims");
        await app.StopAsync();
    }

    [Test]
    public async Task Invalid_code_options_stop_the_start_naming_the_registration()
    {
        using var pki = new PkiCopy();
        await using var app = EmbeddedApp.Build(pki, b => Backends(b).AddJwkProvisioner("ops", o => o.Claims = ClaimsConfig.Parse("""{"maxTLSCertDuration":"1h","minTLSCertDuration":"2h"}""")));

        var error = await FluentActions.Awaiting(() => app.StartAsync()).Should().ThrowAsync<CaConfigException>();

        error.Which.Message.Should().Contain("AddJwkProvisioner(\"ops\").key").And.Contain("AddJwkProvisioner(\"ops\").claims");
    }

    [Test]
    public async Task Provisioners_from_configuration_are_validated_as_ca_json_entries_are()
    {
        using var pki = new PkiCopy();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pki:Provisioners:0:type"] = "JWK",
            ["Pki:Provisioners:0:name"] = "from-config",
            ["Pki:Provisioners:0:claims:maxTLSCertDuration"] = "forever",
        }).Build();
        await using var app = EmbeddedApp.Build(pki, b => Backends(b).AddProvisioners(configuration.GetSection("Pki:Provisioners")));

        var error = await FluentActions.Awaiting(() => app.StartAsync()).Should().ThrowAsync<CaConfigException>();

        error.Which.Message.Should().Contain("configuration Pki:Provisioners:0.claims.maxTLSCertDuration");
    }

    [Test]
    public async Task A_provisioner_from_configuration_runs()
    {
        using var pki = new PkiCopy();
        var key = JsonWebKey.Generate("ES256");
        var values = new Dictionary<string, string?> { ["Pki:Provisioners:0:type"] = "JWK", ["Pki:Provisioners:0:name"] = "cfg" };
        foreach (var member in JsonDocument.Parse(key.ToPublic().ToJson()).RootElement.EnumerateObject())
        {
            values[$"Pki:Provisioners:0:key:{member.Name}"] = member.Value.GetString();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        await using var app = EmbeddedApp.Build(pki, b => Backends(b).AddProvisioners(configuration.GetSection("Pki:Provisioners")));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var signed = await SignAsync(http, key, "cfg");

        signed.StatusCode.Should().Be(HttpStatusCode.Created, await signed.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    // POST /1.0/sign for NAME.example with a token of provisioner NAME signed by key.
    private static async Task<HttpResponseMessage> SignAsync(HttpClient http, JsonWebKey key, string provisioner)
    {
        var subject = provisioner + ".example";
        var token = new TokenSigner(key).Sign(new TokenDescriptor { Issuer = provisioner, Subject = subject, Audience = ["https://127.0.0.1/1.0/sign"] });
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=" + subject, ec, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem();
        return await http.PostAsJsonAsync("/1.0/sign", new { csr, ott = token });
    }
}
