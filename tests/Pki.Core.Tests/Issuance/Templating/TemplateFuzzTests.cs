using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Issuance.Templating;

/// <summary>
/// Random templates over random CSR subjects: parsing either succeeds or fails with a
/// <see cref="TemplateException"/>, and rendering either yields a certificate description or a
/// 400 — never another exception (which the host would turn into a 500). Seeded, so a failure
/// reproduces.
/// </summary>
public sealed class TemplateFuzzTests
{
    private static readonly string[] Pieces =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\"subject\"", "\"sans\"", "\"dnsNames\"", "\"keyUsage\"", "\"extensions\"", "\"serialNumber\"",
        "\"basicConstraints\"", "\"nameConstraints\"", "\"notAfter\"", "\"ipAddresses\"", "\"id\"", "\"value\"", "\"type\"", "1", "-1", "null", "true",
        "{{ toJson .Subject }}", "{{ toJson .SANs }}", "{{ .Insecure.CR.Subject.CommonName }}", "{{ toJson .Insecure.CR }}", "{{ toJson .Insecure.CR.DNSNames }}",
        "{{ range .SANs }}", "{{ end }}", "{{ if .Insecure.User }}", "{{ else }}", "{{ fail \"no\" }}", "{{ .Nope.Deeper }}", "{{ index .SANs 5 }}",
        "{{ asn1Enc \"int:x\" }}", "{{ printf \"%q\" .Subject }}", "\"digitalSignature\"", "\"2.5.29.17\"", "\"AAEC\"", "\"permanentIdentifier\"", "\"1.2.3\"",
    ];

    private static readonly string[] CommonNames =
        ["a.example", "x\", \"dnsNames\": [\"evil\"], \"y\": \"", "{{ fail \"x\" }}", "line\nbreak", "\\", "\u0000", "ü.example", "}]}", new string('a', 300)];

    [Test]
    public void Random_templates_and_csrs_only_ever_produce_a_description_or_a_400()
    {
        var random = new Random(20261122);
        var csrs = CommonNames.Select(cn => TemplateCsr.Create(cn)).ToArray();
        var input = new TemplateInput(DistinguishedName.FromCommonName("svc.example"), SubjectAlternativeNames.Split(["svc.example", "10.0.0.1"]));
        int rendered = 0, refused = 0, unparsable = 0;
        for (var i = 0; i < 3000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 14)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            if (random.Next(3) == 0)
            {
                text = "{\"subject\": {\"commonName\": \"" + text + "\"}}";
            }
            X509CertificateTemplate template;
            try
            {
                template = X509CertificateTemplate.Parse("fuzz", text);
            }
            catch (TemplateException)
            {
                unparsable++;
                continue;
            }
            try
            {
                template.Render(input, csrs[random.Next(csrs.Length)], null);
                rendered++;
            }
            catch (PkiException e) when (e.Kind == PkiErrorKind.BadRequest)
            {
                refused++;
            }
        }

        rendered.Should().BeGreaterThan(0, "some random templates are valid certificates");
        refused.Should().BeGreaterThan(0);
        unparsable.Should().BeGreaterThan(0);
    }
}
