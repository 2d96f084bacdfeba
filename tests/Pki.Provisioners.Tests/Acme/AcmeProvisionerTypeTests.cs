using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Acme;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Tests.Pending;

namespace Smallstep.Pki.Tests.Acme;

/// <summary>The ACME provisioner type: its ca.json members, start-up refusals of what this build does not run, its listing, and tokens refused (CVE-2025-44005).</summary>
public sealed class AcmeProvisionerTypeTests
{
    private static ProvisionerConfig Entry(string json) => ProvisionerConfig.FromJson(JsonDocument.Parse(json).RootElement.Clone());

    private static AcmeProvisioner Build(string json, List<ConfigDiagnostic>? diagnostics = null) =>
        (AcmeProvisioner)StepCatalog.Build([Entry(json)], diagnostics: diagnostics).All.Single();

    [Test]
    public void Every_seed_field_is_bound()
    {
        var provisioner = Build("""
            {"type":"ACME","name":"acme","forceCN":true,"requireEAB":true,"challenges":["DNS-01","http-01"],"termsOfService":"https://t","website":"https://w",
             "caaIdentities":["ca.example"],"claims":{"defaultTLSCertDuration":"2h","maxTLSCertDuration":"4h"}}
            """);
        provisioner.Options.Should().BeEquivalentTo(new AcmeProvisionerOptions
        {
            ForceCn = true, RequireEab = true, Challenges = ["dns-01", "http-01"], TermsOfService = "https://t", Website = "https://w", CaaIdentities = ["ca.example"],
        });
        provisioner.Claims.DefaultTlsCertDuration.Should().Be(TimeSpan.FromHours(2));
        provisioner.Id.Should().Be("acme/acme");
        provisioner.Type.Should().Be("ACME");
        provisioner.ExtensionInfo.TypeCode.Should().Be(6);
        Build("""{"type":"acme","name":"plain"}""").Options.Challenges.Should().Equal("http-01", "dns-01", "tls-alpn-01");
    }

    [TestCase("""{"type":"ACME","name":"a","challenges":["device-attest-01"]}""", "challenges")]
    [TestCase("""{"type":"ACME","name":"a","attestationFormats":["apple"]}""", "attestationFormats")]
    [TestCase("""{"type":"ACME","name":"a","attestationRoots":"x"}""", "attestationRoots")]
    [TestCase("""{"type":"ACME","name":"a","options":{"wire":{}}}""", "options.wire")]
    [TestCase("""{"type":"ACME","name":"a","forceCN":"yes"}""", "forceCN")]
    public void What_this_build_does_not_run_stops_start_up_naming_the_field(string json, string field)
    {
        var act = () => StepCatalog.Build([Entry(json)]);
        act.Should().Throw<CaConfigException>().Which.Errors.Should().ContainSingle(e => e.Field == "authority.provisioners[0]." + field);
    }

    [Test]
    public void The_listing_is_step_cas()
    {
        var catalog = StepCatalog.Build([Entry("""{"type":"ACME","name":"acme","forceCN":true,"challenges":["dns-01"],"claims":{"enableSSHCA":false}}""")]);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            catalog.WriteListing(catalog.All.Single(), writer);
        }
        System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Should().Be("""{"type":"ACME","name":"acme","forceCN":true,"challenges":["dns-01"],"claims":{"enableSSHCA":false}}""");
    }

    [Test]
    public async Task Tokens_naming_the_acme_provisioner_are_refused_for_sign_and_revoke()
    {
        var catalog = StepCatalog.Build([Entry("""{"type":"ACME","name":"acme"}""")]);
        var provisioner = catalog.All.Single();
        var token = UnverifiedToken.Parse(new TokenSigner(JsonWebKey.Generate()).Sign(new TokenDescriptor
        {
            Issuer = "acme", Subject = "a.example.com", Audience = ["https://ca/1.0/sign#acme/acme"], NotBefore = DateTimeOffset.UtcNow,
        }));
        catalog.FindByToken(token, new Audiences(["ca"])).Should().BeNull("ACME is routed by path only");
        var context = new AuthorizationContext { Token = token, Audiences = new Audiences(["ca"]).Sign };
        (await provisioner.Awaiting(p => p.AuthorizeSignAsync(context).AsTask()).Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
        (await provisioner.Awaiting(p => p.AuthorizeRevokeAsync(context).AsTask()).Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
    }
}
