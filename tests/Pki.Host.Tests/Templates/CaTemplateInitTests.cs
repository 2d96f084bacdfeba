using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Templates;

/// <summary>
/// <c>init</c> with CA templates: a root allowing a longer chain (path length 2) and an intermediate
/// with name constraints. openssl shows both, and the served CA enforces its own constraints.
/// </summary>
public sealed class CaTemplateInitTests : OpenSslServedPkiTests
{
    private const string RootTemplate = """
        {
          "subject": {{ toJson .Subject }},
          "issuer": {{ toJson .Subject }},
          "keyUsage": ["certSign", "crlSign"],
          "basicConstraints": {"isCA": true, "maxPathLen": 2}
        }
        """;

    private const string IntermediateTemplate = """
        {
          "subject": {"commonName": {{ toJson .Subject.CommonName }}, "organizationalUnit": "Constrained"},
          "keyUsage": ["certSign", "crlSign"],
          "basicConstraints": {"isCA": true, "maxPathLen": 0},
          "nameConstraints": {"critical": true, "permittedDNSDomains": ["internal.test", "localhost"], "permittedIPRanges": ["127.0.0.0/8"]}
        }
        """;

    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFreshAsync(
        X509CertificateTemplate.Parse("root", RootTemplate, isCustom: false), X509CertificateTemplate.Parse("intermediate", IntermediateTemplate, isCustom: false));

    [Test]
    public void The_ca_certificates_are_what_the_templates_describe()
    {
        var root = ExternalTool.Run("openssl", ["x509", "-noout", "-text", "-in", Pki.Path("certs", "root_ca.crt")]).Stdout;
        root.Should().Contain("CA:TRUE, pathlen:2");
        var intermediate = ExternalTool.Run("openssl", ["x509", "-noout", "-text", "-in", Pki.Path("certs", "intermediate_ca.crt")]).Stdout;
        intermediate.Should().Contain("Subject: OU = Constrained, CN = Fresh Intermediate CA");
        intermediate.Should().Contain("X509v3 Name Constraints: critical").And.Contain("DNS:internal.test").And.Contain("IP:127.0.0.0/255.0.0.0");
    }

    [Test]
    public async Task A_name_inside_the_constraints_is_issued_and_verifies()
    {
        const string name = "svc.internal.test";
        using var response = await SignAsync(name);
        var issued = await response.ShouldBeIssuedAsync();
        var verify = OpenSsl.Verify(Pki.Path("certs", "root_ca.crt"), Pki.Path("certs", "intermediate_ca.crt"), OpenSsl.Save(issued.CrtPem, "leaf.crt"));
        verify.ExitCode.Should().Be(0, verify.Stderr);
    }

    [Test]
    public async Task A_name_outside_the_constraints_is_a_403_with_step_cas_message()
    {
        const string name = "svc.example.com";
        using var response = await SignAsync(name);
        await response.ShouldBeStepErrorAsync(403, "DNS name \"svc.example.com\" is not permitted by any constraint");
    }
}
