using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Templates;

/// <summary>
/// A provisioner with an inline <c>options.x509.template</c> (custom SANs from the request's
/// templateData, AIA, CRL distribution point, policies, a custom extension, and <c>fail</c> logic),
/// served by the host: what <c>openssl x509 -text</c> shows is what the template asked for.
/// </summary>
public sealed class TemplateIssuanceTests : OpenSslServedPkiTests
{
    private const string Template = """
        {{- if hasPrefix "forbidden" .Subject.CommonName }}{{ fail "names starting with forbidden are not issued" }}{{ end -}}
        {
          "subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": {{ toJson .organization }}},
          "sans": {{ toJson .SANs }},
          "dnsNames": {{ toJson .Insecure.User.extraNames }},
          "keyUsage": ["digitalSignature", "keyEncipherment"],
          "extKeyUsage": ["serverAuth"],
          "ocspServer": "http://ocsp.template.test",
          "issuingCertificateURL": "http://ca.template.test/intermediate.crt",
          "crlDistributionPoints": ["http://ca.template.test/crl"],
          "policyIdentifiers": ["2.23.140.1.2.1"],
          "extensions": [{"id": "1.3.6.1.4.1.55555.1", "value": {{ asn1Enc (printf "utf8:%s" .Token.Subject) | toJson }}}]
        }
        """;

    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
    {
        var provisioner = config["authority"]!["provisioners"]![0]!.AsObject();
        provisioner["options"] = new JsonObject { ["x509"] = new JsonObject { ["template"] = Template, ["templateData"] = new JsonObject { ["organization"] = "Template Org" } } };
    });

    [Test]
    public async Task The_certificate_is_what_the_template_asks_for()
    {
        const string name = "tpl.host.test";
        using var response = await SignAsync(name, templateData: new { extraNames = new[] { "extra.host.test" } });
        var issued = await response.ShouldBeIssuedAsync();

        var text = ExternalTool.Run("openssl", ["x509", "-noout", "-text"], stdin: issued.CrtPem).Stdout;
        text.Should().Contain("Subject: O = Template Org, CN = tpl.host.test");
        text.Should().Contain("DNS:extra.host.test, DNS:tpl.host.test");
        text.Should().Contain("Digital Signature, Key Encipherment");
        text.Should().Contain("TLS Web Server Authentication").And.NotContain("TLS Web Client Authentication");
        text.Should().Contain("OCSP - URI:http://ocsp.template.test").And.Contain("CA Issuers - URI:http://ca.template.test/intermediate.crt");
        text.Should().Contain("URI:http://ca.template.test/crl");
        text.Should().Contain("Policy: 2.23.140.1.2.1");
        text.Should().Contain("1.3.6.1.4.1.55555.1:").And.Contain("tpl.host.test");
        text.Should().Contain("1.3.6.1.4.1.37476.9000.64.1:", "the provisioner extension is added after templating");
        var verify = OpenSsl.Verify(Fixtures.Path("pki", "certs", "root_ca.crt"), Fixtures.Path("pki", "certs", "intermediate_ca.crt"), OpenSsl.Save(issued.CrtPem, "leaf.crt"));
        verify.ExitCode.Should().Be(0, verify.Stderr);
    }

    [Test]
    public async Task Fail_answers_400_with_its_message_and_burns_nothing()
    {
        var certificates = Pki.CountRows("x509_certs");
        var usedTokens = Pki.CountRows("used_ott");

        using var response = await SignAsync("forbidden.host.test");

        await response.ShouldBeStepErrorAsync(400, "The request could not be completed: names starting with forbidden are not issued.");
        Pki.CountRows("x509_certs").Should().Be(certificates);
        Pki.CountRows("used_ott").Should().Be(usedTokens, "a refused request leaves the token unused");
    }
}
