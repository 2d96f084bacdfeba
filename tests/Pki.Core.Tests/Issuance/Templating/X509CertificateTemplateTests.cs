using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Templating;

namespace Smallstep.Pki.Tests.Issuance.Templating;

/// <summary>Custom X.509 templates: data as step-ca provides it, fail, injection safety, options.</summary>
public sealed class X509CertificateTemplateTests
{
    private static readonly TemplateInput Input = new(DistinguishedName.FromCommonName("svc.example.com"), SubjectAlternativeNames.Split(["svc.example.com", "10.1.2.3"]));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Test]
    public void Custom_sans_and_extensions_from_step_documentation_render()
    {
        var template = X509CertificateTemplate.Parse("custom", """
            {
              "subject": {{ toJson .Subject }},
              "sans": {{ toJson .SANs }},
              "dnsNames": [{{ toJson .Insecure.User.extra }}],
              "keyUsage": ["digitalSignature"],
              "extKeyUsage": ["clientAuth"],
              "extensions": [{"id": "1.2.3.4", "critical": false, "value": {{ asn1Enc "utf8:team-a" | toJson }}}]
            }
            """);
        var description = template.Render(Input, TemplateCsr.Create("ignored"), Json("""{"extra": "extra.example.com"}"""));

        description.Subject.CommonName.Should().Be("svc.example.com");
        description.Sans.DnsNames.Should().Equal("extra.example.com", "svc.example.com");
        description.Sans.IpAddresses.Select(i => i.ToString()).Should().Equal("10.1.2.3");
        description.ExtendedKeyUsage.Should().Equal("1.3.6.1.5.5.7.3.2");
        description.ExtraExtensions.Should().ContainSingle().Which.Value.Should().Equal([0x0C, 0x06, .. "team-a"u8.ToArray()]);
    }

    [Test]
    public void Fail_answers_400_with_the_template_message()
    {
        var template = X509CertificateTemplate.Parse("fail", """
            {{- if not (hasSuffix ".internal" .Subject.CommonName) }}{{ fail "only .internal names" }}{{ end -}}
            {"subject": {{ toJson .Subject }}}
            """);
        var act = () => template.Render(Input, TemplateCsr.Create("x"), null);
        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest && e.Message == "only .internal names");
    }

    [Test]
    public void A_runtime_error_is_a_400_without_template_internals()
    {
        var template = X509CertificateTemplate.Parse("bad", """{"subject": {{ index .Insecure.User "a" "b" }}}""");
        var act = () => template.Render(Input, TemplateCsr.Create("x"), Json("""{"a": 1}"""));
        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest && e.Message == "error applying certificate template");
    }

    [Test]
    public void Token_and_request_data_are_where_step_puts_them()
    {
        var token = new Smallstep.Pki.Templates.TemplateStruct("*provisioner.jwtPayload", [new("Subject", "sub-1", "sub")]);
        var template = X509CertificateTemplate.Parse("data", """
            {"subject": {"commonName": {{ toJson .Token.Subject }}, "organization": {{ toJson .team }}, "organizationalUnit": {{ toJson .Insecure.User.ou }}}}
            """, templateData: Json("""{"team": "platform"}"""));
        var description = template.Render(Input with { Token = token }, TemplateCsr.Create("x"), Json("""{"ou": "dev"}"""));

        description.Subject.CommonName.Should().Be("sub-1");
        description.Subject.Organization.Should().Equal("platform");
        description.Subject.OrganizationalUnit.Should().Equal("dev");
    }

    [TestCase(true, "sneaky")]
    [TestCase(false, "")]
    public void Only_custom_templates_see_request_template_data(bool isCustom, string expected)
    {
        var template = X509CertificateTemplate.Parse("user", """{"subject": {"commonName": {{ toJson .Insecure.User.cn }}}}""", isCustom: isCustom);
        template.Render(Input, TemplateCsr.Create("x"), Json("""{"cn": "sneaky"}""")).Subject.CommonName.Should().Be(expected);
    }

    [TestCase("x\", \"dnsNames\": [\"evil.example\"], \"o\": \"")]
    [TestCase("{{ .Subject }}")]
    [TestCase("line\nbreak\\\"")]
    [TestCase("}], \"basicConstraints\": {\"isCA\": true}, \"x\": [{\"")]
    public void Csr_values_printed_inside_json_strings_cannot_change_the_structure(string commonName)
    {
        var template = X509CertificateTemplate.Parse("careless", """
            {"subject": {"commonName": "{{ .Insecure.CR.Subject.CommonName }}"}, "dnsNames": ["{{ .Insecure.CR.Subject.CommonName }}.example"]}
            """);
        var description = template.Render(Input, TemplateCsr.Create(commonName), null);

        description.Subject.CommonName.Should().Be(commonName);
        description.Sans.DnsNames.Should().Equal(commonName + ".example");
        description.BasicConstraints.Should().BeNull();
    }

    [Test]
    public void Options_read_inline_json_base64_and_files_resolved_by_the_caller()
    {
        const string text = """{"subject": {{ toJson .Subject }}}""";
        X509CertificateTemplate.FromOptions(new TemplateOptionsConfig { Template = "  " + text }, "p", Path.GetFullPath)!
            .Render(Input, TemplateCsr.Create("x"), null).Subject.CommonName.Should().Be("svc.example.com");
        X509CertificateTemplate.FromOptions(new TemplateOptionsConfig { Template = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)) }, "p", Path.GetFullPath)!
            .Render(Input, TemplateCsr.Create("x"), null).Subject.CommonName.Should().Be("svc.example.com");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, text);
            X509CertificateTemplate.FromOptions(new TemplateOptionsConfig { TemplateFile = "leaf.tpl" }, "p", _ => file)!.Name.Should().Be("p.templateFile");
        }
        finally
        {
            File.Delete(file);
        }
        X509CertificateTemplate.FromOptions(new TemplateOptionsConfig(), "p", Path.GetFullPath).Should().BeNull();
    }

    [TestCase("{\"template\": \"{{ nope }}\"}", "authority.provisioners[0].options.x509.template")]
    [TestCase("{\"template\": \"%%% not base64\"}", "authority.provisioners[0].options.x509.template")]
    [TestCase("{\"templateFile\": \"/nonexistent/leaf.tpl\"}", "authority.provisioners[0].options.x509.templateFile")]
    public void Bad_templates_stop_the_start_naming_the_field(string options, string field)
    {
        var config = new TemplateOptionsConfig
        {
            Template = Json(options).TryGetProperty("template", out var t) ? t.GetString() : null,
            TemplateFile = Json(options).TryGetProperty("templateFile", out var f) ? f.GetString() : null,
        };
        var act = () => X509CertificateTemplate.FromOptions(config, "authority.provisioners[0].options.x509", Path.GetFullPath);
        act.Should().Throw<CaConfigException>().Which.Errors.Should().ContainSingle().Which.Field.Should().Be(field);
    }
}
