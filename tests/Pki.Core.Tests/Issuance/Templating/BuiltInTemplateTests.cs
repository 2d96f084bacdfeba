using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Templating;

namespace Smallstep.Pki.Tests.Issuance.Templating;

/// <summary>step's other built-in X.509 templates (x509util templates.go), rendered by our engine.</summary>
public sealed class BuiltInTemplateTests
{
    private static readonly CertificationRequest Csr = TemplateCsr.Create("from-csr.example", "a.example", "b.example");
    private static readonly TemplateInput Vouched = new(DistinguishedName.FromCommonName("vouched.example"), SubjectAlternativeNames.Split(["vouched.example"]));

    private static X509CertificateDescription Render(string text, TemplateInput input) =>
        X509CertificateTemplate.Parse("builtin", text, isCustom: false).Render(input, Csr, null);

    [Test]
    public void Admin_leaf_takes_subject_and_names_from_the_csr()
    {
        var description = Render(DefaultX509Templates.AdminLeaf, Vouched);
        description.Subject.CommonName.Should().Be("from-csr.example");
        description.Sans.DnsNames.Should().Equal("a.example", "b.example");
        description.ExtendedKeyUsage.Should().Equal(Oids.ServerAuth, Oids.ClientAuth);
    }

    [Test]
    public void Iid_leaf_uses_the_vouched_sans_when_there_are_any_else_the_csr_names()
    {
        var vouched = Render(DefaultX509Templates.IidLeaf, Vouched);
        vouched.Subject.CommonName.Should().Be("from-csr.example", "the IID template always takes the CN from the CSR");
        vouched.Sans.DnsNames.Should().Equal("vouched.example");

        var fromCsr = Render(DefaultX509Templates.IidLeaf, Vouched with { Sans = SubjectAlternativeNames.Empty });
        fromCsr.Sans.DnsNames.Should().Equal("a.example", "b.example");
    }

    [Test]
    public void Attested_leaf_is_client_auth_only()
    {
        var description = Render(DefaultX509Templates.AttestedLeaf, Vouched);
        description.Subject.CommonName.Should().Be("vouched.example");
        description.ExtendedKeyUsage.Should().Equal(Oids.ClientAuth);
        description.KeyUsage.Should().Be(KeyUsageFlags.DigitalSignature);
    }

    [TestCase(true, 0)]
    [TestCase(false, 1)]
    public void Ca_templates_describe_step_cas_profiles(bool intermediate, int pathLength)
    {
        var description = Render(intermediate ? DefaultX509Templates.Intermediate : DefaultX509Templates.Root, Vouched);
        description.BasicConstraints.Should().Be(new BasicConstraints(true, pathLength));
        description.KeyUsage.Should().Be(KeyUsageFlags.CertSign | KeyUsageFlags.CrlSign);
        description.Sans.IsEmpty.Should().BeTrue();
    }
}
