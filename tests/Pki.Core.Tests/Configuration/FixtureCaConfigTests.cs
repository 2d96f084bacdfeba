using System.Text.Json;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>The ca.json and defaults.json written by step 0.19's <c>ca init</c> (fixture pki/).</summary>
public class FixtureCaConfigTests
{
    private static string CaJsonText => Fixtures.Text("pki", "config", "ca.json");

    [Test]
    public void Fixture_top_level_fields_parse()
    {
        var warnings = new List<ConfigDiagnostic>();
        var config = CaConfig.Parse(CaJsonText, warnings);

        warnings.Should().BeEmpty();
        config.Roots.Should().Equal("certs/root_ca.crt");
        config.FederatedRoots.Should().BeNull();
        config.IntermediateCertificate.Should().Be("certs/intermediate_ca.crt");
        config.IntermediateKey.Should().Be("secrets/intermediate_ca_key");
        config.Address.Should().Be("127.0.0.1:9444");
        config.InsecureAddress.Should().BeEmpty();
        config.DnsNames.Should().Equal("localhost", "127.0.0.1");
        config.Kms.Should().BeNull();
        config.Ssh!.HostKey.Should().Be("secrets/ssh_host_ca_key");
        config.Ssh.UserKey.Should().Be("secrets/ssh_user_ca_key");
        config.Ssh.Keys.Should().BeNull();
        config.Logger!.Format.Should().Be("text");
        config.Db!.Type.Should().Be("badgerv2");
        config.Db.DataSource.Should().Be("db");
        config.Db.BadgerFileLoadingMode.Should().BeEmpty();
        config.Db.ValueDir.Should().BeNull();
        config.Password.Should().BeNull();
        config.CommonName.Should().BeNull();
        config.EffectiveCommonName.Should().Be("Step Online CA");
        config.Crl.Should().BeNull();
        config.MetricsAddress.Should().BeNull();
        config.ExtensionData.Should().BeEmpty();
    }

    [Test]
    public void Fixture_tls_and_templates_parse()
    {
        var config = CaConfig.Parse(CaJsonText);

        config.Tls!.CipherSuites.Should().Equal("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        config.Tls.MinVersion.Should().Be(1.2);
        config.Tls.MaxVersion.Should().Be(1.3);
        config.Tls.Renegotiation.Should().BeFalse();

        var user = config.Templates!.Ssh!.User!;
        user.Select(t => t.Name).Should().Equal("config.tpl", "step_includes.tpl", "step_config.tpl", "known_hosts.tpl");
        user[1].Type.Should().Be("prepend-line");
        user[1].Template.Should().Be("templates/ssh/step_includes.tpl");
        user[1].Path.Should().Be("${STEPPATH}/ssh/includes");
        user[1].Comment.Should().Be("#");
        var host = config.Templates.Ssh.Host!;
        host.Select(t => t.Name).Should().Equal("sshd_config.tpl", "ca.tpl");
        host[0].Requires.Should().Equal("Certificate", "Key");
        host[1].Requires.Should().BeNull();
        config.Templates.Data.Should().BeNull();
    }

    [Test]
    public void Fixture_authority_and_provisioners_parse()
    {
        var authority = CaConfig.Parse(CaJsonText).Authority;

        authority.Provisioners.Select(p => (p.Type, p.Name)).Should().Equal(("JWK", "fixture-admin"), ("ACME", "acme"), ("SSHPOP", "sshpop"));
        var jwk = authority.Provisioners[0];
        jwk.IsType("jwk").Should().BeTrue();
        jwk.Claims.Should().Be(new ClaimsConfig { EnableSshCa = true });
        jwk.Options.Should().BeNull();
        jwk.Json.GetProperty("key").GetProperty("kid").GetString().Should().Be("RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw");
        jwk.Json.GetProperty("encryptedKey").GetString().Should().StartWith("eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ci");
        authority.Provisioners[1].Claims.Should().BeNull();
        authority.Provisioners[2].Claims!.EnableSshCa.Should().BeTrue();

        authority.Type.Should().BeNull();
        authority.IsRegistrationAuthority.Should().BeFalse();
        authority.Claims.Should().BeNull();
        authority.Template.Should().BeNull();
        authority.Policy.Should().BeNull();
        authority.Backdate.Should().BeNull();
        authority.EffectiveBackdate.Should().Be(TimeSpan.FromMinutes(1));
        authority.EnableAdmin.Should().BeFalse();
        authority.DisableIssuedAtCheck.Should().BeFalse();
        authority.ClaimsFor(jwk).EnableSshCa.Should().BeTrue();
        authority.ClaimsFor(authority.Provisioners[1]).Should().Be(ClaimSet.Global);
    }

    [Test]
    public void Writing_the_fixture_back_reproduces_it_byte_for_byte()
    {
        CaConfig.Parse(CaJsonText).ToJson().Should().Be(CaJsonText);
    }

    [Test]
    public void Provisioner_claims_are_echoed_as_step_ca_serves_them()
    {
        // GET /provisioners re-marshals each provisioner; its claims object is the canonical form.
        using var served = JsonDocument.Parse(Fixtures.Text("http", "07-get-provisioners.body.json"));
        var servedClaims = served.RootElement.GetProperty("provisioners").EnumerateArray()
            .Select(p => p.TryGetProperty("claims", out var c) ? c.GetRawText() : null)
            .ToList();

        var ours = CaConfig.Parse(CaJsonText).Authority.Provisioners.Select(p => p.Claims?.ToJson()).ToList();

        ours.Should().Equal(servedClaims);
        ours[0].Should().Be("""{"enableSSHCA":true}""");
    }

    [Test]
    public void Defaults_json_parses_and_is_written_back_identically()
    {
        var text = Fixtures.Text("pki", "config", "defaults.json");

        var defaults = DefaultsConfig.Parse(text);

        defaults.CaUrl.Should().Be("https://localhost:9444");
        defaults.CaConfig.Should().Be("config/ca.json");
        defaults.Fingerprint.Should().Be("d75281f45c11362c31c5d6e96c7b8802d9f68a8470a43876740f67925d080f3f");
        defaults.Root.Should().Be("certs/root_ca.crt");
        defaults.ToJson().Should().Be(text);
    }

    [Test]
    public void Defaults_json_keeps_other_step_client_settings()
    {
        var defaults = DefaultsConfig.Parse("""{"ca-url":"https://ca:443","redirect-url":"https://x"}""");

        defaults.ExtensionData.Should().ContainKey("redirect-url");
        defaults.ToJson().Should().Be("{\n\t\"ca-url\": \"https://ca:443\",\n\t\"ca-config\": \"\",\n\t\"fingerprint\": \"\",\n\t\"root\": \"\",\n\t\"redirect-url\": \"https://x\"\n}");
    }
}
