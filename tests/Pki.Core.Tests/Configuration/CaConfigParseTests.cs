using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Parsing rules: Go's JSON semantics, defaults, and error reporting with field paths.</summary>
public class CaConfigParseTests
{
    [Test]
    public void Root_may_be_a_string_or_an_array()
    {
        CaConfig.Parse("""{"root":"a.crt"}""").Roots.Should().Equal("a.crt");
        CaConfig.Parse("""{"root":["a.crt","b.crt"]}""").Roots.Should().Equal("a.crt", "b.crt");
        CaConfig.Parse("""{}""").Roots.Should().BeEmpty();
    }

    [Test]
    public void Root_is_written_back_as_step_writes_a_multi_string()
    {
        Json(new CaConfig { Roots = ["a.crt"] }).Should().Contain("\"root\": \"a.crt\",");
        Json(new CaConfig { Roots = ["a.crt", "b.crt"] }).Should().Contain("\"root\": [\n\t\t\"a.crt\",\n\t\t\"b.crt\"\n\t],");
        Json(new CaConfig()).Should().Contain("\"root\": \"\",");
    }

    [Test]
    public void Dns_names_default_only_when_absent()
    {
        CaConfig.Parse("""{}""").DnsNames.Should().Equal("localhost", "127.0.0.1", "::1");
        CaConfig.Parse("""{"dnsNames":null}""").DnsNames.Should().Equal("localhost", "127.0.0.1", "::1");
        CaConfig.Parse("""{"dnsNames":[]}""").DnsNames.Should().BeEmpty();
    }

    [Test]
    public void Absent_blocks_stay_null_and_effective_members_apply_defaults()
    {
        var config = CaConfig.Parse("""{"commonName":""}""");

        config.Tls.Should().BeNull();
        config.EffectiveTls.Should().BeSameAs(TlsConfig.Default);
        config.EffectiveCommonName.Should().Be("Step Online CA");
        config.Authority.Provisioners.Should().BeEmpty();
        config.Authority.EffectiveClaims.Should().Be(ClaimSet.Global);
        config.Authority.EffectiveType.Should().Be("softcas");
    }

    [Test]
    public void Partial_tls_block_is_completed_with_defaults()
    {
        var tls = CaConfig.Parse("""{"tls":{"minVersion":1.3,"cipherSuites":[]}}""").Tls!;

        (tls.MinVersion, tls.MaxVersion, tls.Renegotiation).Should().Be((1.3, 1.3, false));
        tls.CipherSuites.Should().Equal(TlsConfig.DefaultCipherSuites);
    }

    [Test]
    public void Keys_match_case_insensitively_and_the_last_duplicate_wins_like_go()
    {
        var config = CaConfig.Parse("""{"Address":":1","ADDRESS":":2","DNSNames":["ca"],"Authority":{"Backdate":"2m"}}""");

        config.Address.Should().Be(":2");
        config.DnsNames.Should().Equal("ca");
        config.Authority.Backdate.Should().Be(TimeSpan.FromMinutes(2));
    }

    [Test]
    public void Bad_duration_names_the_field()
    {
        var error = ParseFails("""{"authority":{"claims":{"maxTLSCertDuration":"x"}}}""");

        error.Errors.Should().ContainSingle().Which.ToString().Should().Be("authority.claims.maxTLSCertDuration: invalid duration \"x\"");
        error.Message.Should().Be("ca.json: authority.claims.maxTLSCertDuration: invalid duration \"x\"");
    }

    [TestCase("\"\"")]
    [TestCase("\"24\"")]
    [TestCase("\"1d\"")]
    [TestCase("86400")]
    public void Invalid_durations_are_rejected(string value)
    {
        var error = ParseFails($$$"""{"authority":{"provisioners":[{"type":"JWK","name":"a","claims":{"defaultTLSCertDuration":{{{value}}}}}]}}""");

        error.Errors.Should().ContainSingle().Which.Field.Should().Be("authority.provisioners[0].claims.defaultTLSCertDuration");
    }

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var error = ParseFails("""
            {"address":9000,"root":{"a":1},"dnsNames":["ok",7],
             "authority":{"backdate":"soon","enableAdmin":"yes","provisioners":[{"type":"JWK"},"oops"]},
             "crl":{"cacheDuration":"1x"},"tls":{"minVersion":"1.2"}}
            """);

        error.Errors.Select(e => e.ToString()).Should().BeEquivalentTo(
            "address: expected a string, got a number",
            "root: expected a string or an array of strings",
            "dnsNames[1]: expected a string, got a number",
            "authority.backdate: invalid duration \"soon\"",
            "authority.enableAdmin: expected a boolean, got a string",
            "authority.provisioners[1]: expected an object, got a string",
            "crl.cacheDuration: invalid duration \"1x\"",
            "tls.minVersion: expected a number, got a string");
        error.Message.Should().StartWith("ca.json: 8 problems:\n  - ");
    }

    [Test]
    public void Malformed_json_gives_line_and_column_without_a_stack_trace()
    {
        var error = ParseFails("{\n\t\"root\": \"a\",\n\t\"crt\": \"b\"\n\t\"key\": \"c\"\n}");

        error.Errors.Should().ContainSingle();
        error.Message.Should().StartWith("ca.json: malformed JSON at line 4, column 2: ");
        error.Message.Should().NotContain("LineNumber").And.NotContain(" at System.");
    }

    [TestCase("{\"root\": \"a\",}")]
    [TestCase("{\"root\": \"a\" /* comment */}")]
    [TestCase("[]")]
    [TestCase("")]
    public void Json_that_go_rejects_is_rejected(string text)
    {
        ParseFails(text).Errors.Should().NotBeEmpty();
    }

    [Test]
    public void Unknown_fields_are_kept_reported_and_written_back()
    {
        var warnings = new List<ConfigDiagnostic>();

        var config = CaConfig.Parse("""{"address":":443","futureOption":{"a":1},"authority":{"newThing":true},"db":{"type":"bbolt","extra":"x"}}""", warnings);

        warnings.Select(w => w.ToString()).Should().BeEquivalentTo(
            "futureOption: unknown field; kept but not used",
            "authority.newThing: unknown field; kept but not used",
            "db.extra: unknown field; kept but not used");
        warnings.Should().OnlyContain(w => w.Severity == ConfigDiagnosticSeverity.Warning);
        config.ExtensionData["futureOption"].GetProperty("a").GetInt32().Should().Be(1);
        config.Authority.ExtensionData.Should().ContainKey("newThing");
        var written = CaConfig.Parse(config.ToJson());
        written.ExtensionData.Should().ContainKey("futureOption");
        written.Authority.ExtensionData.Should().ContainKey("newThing");
        written.Db!.ExtensionData.Should().ContainKey("extra");
    }

    [Test]
    public void Provisioner_type_specific_members_are_not_reported_as_unknown()
    {
        var warnings = new List<ConfigDiagnostic>();

        var provisioner = CaConfig.Parse("""{"authority":{"provisioners":[{"type":"ACME","name":"acme","forceCN":true,"challenges":["http-01"]}]}}""", warnings).Authority.Provisioners[0];

        warnings.Should().BeEmpty();
        provisioner.Json.GetProperty("forceCN").GetBoolean().Should().BeTrue();
    }

    [Test]
    public void Provisioner_can_be_built_from_json()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"type":"jwk","name":"ops","claims":{"enableSSHCA":true},"options":{"x509":{"templateData":{"a":1}}}}""");

        var provisioner = ProvisionerConfig.FromJson(document.RootElement);

        provisioner.IsType(ProvisionerTypeNames.Jwk).Should().BeTrue();
        provisioner.Claims!.EnableSshCa.Should().BeTrue();
        provisioner.Options!.X509!.TemplateData!.Value.GetProperty("a").GetInt32().Should().Be(1);
        provisioner.Options.X509.HasTemplate.Should().BeFalse();
        using var bad = System.Text.Json.JsonDocument.Parse("""{"type":"jwk","claims":{"maxTLSCertDuration":"?"}}""");
        FluentActions.Invoking(() => ProvisionerConfig.FromJson(bad.RootElement)).Should().Throw<CaConfigException>()
            .Which.Errors.Single().Field.Should().Be("claims.maxTLSCertDuration");
    }

    [Test]
    public void Registration_authority_fields_parse()
    {
        var authority = CaConfig.Parse("""
            {"authority":{"type":"StepCAS","certificateAuthority":"https://ca.example.com:9000",
             "certificateAuthorityFingerprint":"abc","certificateIssuer":{"type":"jwk","provisioner":"ra@example.com","crt":"c","key":"k","password":"p"},
             "credentialsFile":"creds.json","config":{"x":1}}}
            """).Authority;

        authority.IsRegistrationAuthority.Should().BeTrue();
        authority.EffectiveType.Should().Be("stepcas");
        authority.CertificateIssuer.Should().BeEquivalentTo(new { Type = "jwk", Provisioner = "ra@example.com", Certificate = "c", Key = "k", Password = "p" });
        authority.CredentialsFile.Should().Be("creds.json");
        authority.CasConfig!.Value.GetProperty("x").GetInt32().Should().Be(1);
    }

    private static CaConfigException ParseFails(string json) =>
        FluentActions.Invoking(() => CaConfig.Parse(json)).Should().Throw<CaConfigException>().Which;

    private static string Json(CaConfig config) => config.ToJson();
}
