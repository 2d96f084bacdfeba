using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Issuance.Templating;

/// <summary>
/// step's default leaf template, rendered through our Go template engine and certificate JSON
/// reader, reproduces the step-ca 0.19 fixture leaves byte for byte — and so does the direct
/// path the authority takes when a provisioner has no template.
/// </summary>
public sealed class DefaultTemplateParityTests
{
    private const string Kid = "RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw";

    [TestCase("ec-p256")]
    [TestCase("rsa-2048")]
    [TestCase("ed25519")]
    [TestCase("email-uri")]
    public void Rendered_default_template_matches_step_ca_byte_for_byte(string name)
    {
        var issued = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("issued", name + ".crt"));
        var intermediate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        var csr = CertificationRequest.Parse(LeafProfileTests.PemDer(Fixtures.Text("issued", name + ".csr")));
        var claims = LeafProfileTests.TokenClaims(name);
        var sans = claims.GetProperty("sans").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var input = new TemplateInput(DistinguishedName.FromCommonName(claims.GetProperty("sub").GetString()!), SubjectAlternativeNames.Split(sans));

        var description = X509CertificateTemplate.Leaf.Render(input, csr, userData: null);
        description.NotBefore = issued.NotBefore.ToUniversalTime();
        description.NotAfter = issued.NotAfter.ToUniversalTime();
        description.ExtraExtensions.Add(new CertificateExtension(ProvisionerExtension.Oid, false, ProvisionerExtension.Encode(1, "fixture-admin", Kid)));
        var serial = new BigInteger(issued.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);
        var issuerKeyId = intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();

        var tbs = TbsCertificateBuilder.Build(description, serial, intermediate.SubjectName.RawData, issuerKeyId, LeafProfileTests.SignatureAlgorithm(issued.RawData));

        Convert.ToHexString(tbs).Should().Be(Convert.ToHexString(LeafProfileTests.Tbs(issued.RawData)));
    }

    [Test]
    public void Insecure_CR_serializes_as_step_ca_certificate_request_json()
    {
        var csr = CertificationRequest.Parse(LeafProfileTests.PemDer(Fixtures.Text("issued", "ec-p256.csr")));
        var template = GoTemplate.Parse("cr", "{{ toJson .Insecure.CR }}");
        var json = template.Render(new Dictionary<string, object?> { ["Insecure"] = new Dictionary<string, object?> { ["CR"] = X509TemplateValues.CertificateRequest(csr) } });

        // Members in x509util.CertificateRequest declaration order; nil slices are null, and the
        // json:"-" members (PublicKey, ...) are absent.
        json.Should().StartWith("{\"version\":0,\"subject\":{\"commonName\":");
        json.Should().Contain("\"sans\":null,").And.Contain("\"keyUsage\":null,\"extKeyUsage\":[],\"unknownExtKeyUsage\":null,\"basicConstraints\":null,\"signatureAlgorithm\":\"ECDSA-SHA256\"}");
        json.Should().NotContain("PublicKey");
    }

    [Test]
    public void CSR_passthrough_template_signs_the_request_as_it_is()
    {
        var csr = CertificationRequest.Parse(LeafProfileTests.PemDer(Fixtures.Text("issued", "email-uri.csr")));
        var description = X509CertificateTemplate.Parse("cr", DefaultX509Templates.CertificateRequest).Render(new TemplateInput(new DistinguishedName(), SubjectAlternativeNames.Empty), csr, null);

        description.Subject.Should().BeEquivalentTo(csr.Subject);
        description.Sans.Should().BeEquivalentTo(csr.Sans);
    }
}
