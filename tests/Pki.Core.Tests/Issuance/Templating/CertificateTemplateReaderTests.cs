using System.Formats.Asn1;
using System.Numerics;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Templating;

namespace Smallstep.Pki.Tests.Issuance.Templating;

/// <summary>step's certificate JSON model (x509util Certificate) read into a description.</summary>
public sealed class CertificateTemplateReaderTests
{
    private static readonly CertificationRequest Csr = TemplateCsr.Create("req.example.com");

    private static X509CertificateDescription Read(string json) => CertificateTemplateReader.Read(json, Csr.SubjectPublicKeyInfo, Csr.PublicKey);

    [Test]
    public void Subject_accepts_a_string_or_an_object_with_multi_strings_and_extra_names()
    {
        Read("""{"subject": "plain"}""").Subject.CommonName.Should().Be("plain");
        var subject = Read("""
            {"subject": {"commonName": "cn", "organization": "Org", "organizationalUnit": ["A", "B"], "country": ["US"], "serialNumber": "42",
             "extraNames": [{"type": "1.2.840.113549.1.9.1", "value": "ops@example.com"}]}}
            """).Subject;
        subject.CommonName.Should().Be("cn");
        subject.Organization.Should().Equal("Org");
        subject.OrganizationalUnit.Should().Equal("A", "B");
        subject.SerialNumber.Should().Be("42");
        subject.ExtraNames.Should().ContainSingle().Which.Should().Be(new NameAttribute("1.2.840.113549.1.9.1", "ops@example.com"));
    }

    [Test]
    public void Members_match_case_insensitively_and_the_last_duplicate_wins_as_in_go()
    {
        var description = Read("""{"DNSNames": ["a.example"], "dnsnames": "b.example", "KEYUSAGE": "digital_signature"}""");
        description.Sans.DnsNames.Should().Equal("b.example");
        description.KeyUsage.Should().Be(KeyUsageFlags.DigitalSignature);
    }

    [Test]
    public void Names_come_from_the_lists_then_the_typed_sans()
    {
        var description = Read("""
            {"dnsNames": "a.example", "ipAddresses": ["10.0.0.1", "::1"], "emailAddresses": "x@example.com", "uris": "spiffe://example/a",
             "sans": [{"type": "dns", "value": "b.example"}, {"type": "ip", "value": "not-an-ip"}, {"type": "auto", "value": "192.168.0.1"}, {"type": "dns", "value": ""}]}
            """);
        description.Sans.DnsNames.Should().Equal("a.example", "b.example");
        description.Sans.IpAddresses.Select(ip => ip.ToString()).Should().Equal("10.0.0.1", "::1", "192.168.0.1");
        description.Sans.EmailAddresses.Should().Equal("x@example.com");
        description.Sans.Uris.Should().Equal("spiffe://example/a");
        description.ExtraExtensions.Should().BeEmpty("basic SAN types are written by the standard SAN extension");
    }

    [Test]
    public void Extended_san_types_build_the_whole_san_extension_first()
    {
        var description = Read("""
            {"subject": {"commonName": "x"}, "dnsNames": "a.example",
             "sans": [{"type": "permanentIdentifier", "value": "device-1"}, {"type": "1.3.6.1.4.1.99999.1", "value": "utf8:hello"},
                      {"type": "registeredID", "value": "1.2.3.4"}, {"type": "userPrincipalName", "value": "u@corp"}],
             "extensions": [{"id": "1.2.3.4.5", "value": "BQA="}]}
            """);
        description.ExtraExtensions.Select(e => e.Oid).Should().Equal("2.5.29.17", "1.2.3.4.5");
        var san = description.ExtraExtensions[0];
        san.Critical.Should().BeFalse();
        var names = new AsnReader(san.Value, AsnEncodingRules.DER).ReadSequence();
        names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 2)).Should().Be("a.example");
        var permanent = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
        permanent.ReadObjectIdentifier().Should().Be("1.3.6.1.5.5.7.8.3");
        permanent.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)).ReadSequence().ReadCharacterString(UniversalTagNumber.UTF8String).Should().Be("device-1");
        var custom = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
        custom.ReadObjectIdentifier().Should().Be("1.3.6.1.4.1.99999.1");
        custom.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)).ReadCharacterString(UniversalTagNumber.UTF8String).Should().Be("hello");
        names.ReadObjectIdentifier(new Asn1Tag(TagClass.ContextSpecific, 8)).Should().Be("1.2.3.4");
        var upn = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
        upn.ReadObjectIdentifier().Should().Be("1.3.6.1.4.1.311.20.2.3");
        names.HasData.Should().BeFalse();
    }

    [TestCase("{\"serialNumber\": 12345}", "12345")]
    [TestCase("{\"serialNumber\": \"0x10\"}", "16")]
    [TestCase("{\"serialNumber\": \"0b101\"}", "5")]
    [TestCase("{\"serialNumber\": \"340282366920938463463374607431768211455\"}", "340282366920938463463374607431768211455")]
    public void Serial_numbers_take_go_big_int_forms(string json, string expected) =>
        Read(json).SerialNumber.Should().Be(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [TestCase("""{"basicConstraints": {"isCA": true}}""", true, 0)]
    [TestCase("""{"basicConstraints": {"isCA": true, "maxPathLen": -1}}""", true, null)]
    [TestCase("""{"basicConstraints": {"isCA": true, "maxPathLen": 2}}""", true, 2)]
    [TestCase("""{"basicConstraints": {"isCA": false, "maxPathLen": 2}}""", false, null)]
    public void Basic_constraints_follow_x509util(string json, bool isCa, int? pathLength) =>
        Read(json).BasicConstraints.Should().Be(new BasicConstraints(isCa, pathLength));

    [Test]
    public void Usages_urls_policies_and_name_constraints_are_read()
    {
        var description = Read("""
            {"keyUsage": ["certSign", "CRLSign", "nonRepudiation"], "extKeyUsage": ["serverAuth", "ocsp_signing"], "unknownExtKeyUsage": "1.3.6.1.4.1.1.2",
             "ocspServer": "http://ocsp.example", "issuingCertificateURL": ["http://ca.example/ca.crt"], "crlDistributionPoints": "http://ca.example/crl",
             "policyIdentifiers": ["2.23.140.1.2.1"], "notBefore": "2030-01-02T03:04:05Z", "notAfter": "2030-02-02T03:04:05.5+01:00",
             "nameConstraints": {"critical": true, "permittedDNSDomains": ["example.com"], "excludedIPRanges": ["10.0.0.0/8"]}}
            """);
        description.KeyUsage.Should().Be(KeyUsageFlags.CertSign | KeyUsageFlags.CrlSign | KeyUsageFlags.ContentCommitment);
        description.ExtendedKeyUsage.Should().Equal("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.9", "1.3.6.1.4.1.1.2");
        description.OcspServers.Should().Equal("http://ocsp.example");
        description.IssuingCertificateUrls.Should().Equal("http://ca.example/ca.crt");
        description.CrlDistributionPoints.Should().Equal("http://ca.example/crl");
        description.PolicyIdentifiers.Should().Equal("2.23.140.1.2.1");
        description.NotBefore.Should().Be(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        description.NotAfter.Should().Be(new DateTimeOffset(2030, 2, 2, 2, 4, 5, 500, TimeSpan.Zero));
        description.NameConstraints!.Critical.Should().BeTrue();
        description.NameConstraints.PermittedDnsDomains.Should().Equal("example.com");
        description.NameConstraints.ExcludedIpRanges.Should().ContainSingle().Which.PrefixLength.Should().Be(8);
    }

    [TestCase("not json")]
    [TestCase("[1, 2]")]
    [TestCase("""{"dnsNames": 5}""")]
    [TestCase("""{"subject": 5}""")]
    [TestCase("""{"keyUsage": ["teleport"]}""")]
    [TestCase("""{"extKeyUsage": "everything"}""")]
    [TestCase("""{"ipAddresses": "10.0.0.300"}""")]
    [TestCase("""{"serialNumber": "-5"}""")]
    [TestCase("""{"serialNumber": "12ab"}""")]
    [TestCase("""{"extensions": [{"id": "1.2.three", "value": ""}]}""")]
    [TestCase("""{"extensions": [{"id": "1.2.3", "value": "***"}]}""")]
    [TestCase("""{"notAfter": "tomorrow"}""")]
    [TestCase("""{"dnsNames": "bücher.example"}""")]
    [TestCase("""{"sans": [{"type": "x400Address", "value": "x"}]}""")]
    [TestCase("""{"sans": [{"type": "DNS", "value": "x"}]}""")]
    [TestCase("""{"sans": [{"type": "1.2.3", "value": "printable:no&ampersands"}]}""")]
    [TestCase("""{"rawSubject": "AAEC"}""")]
    [TestCase("""{"nameConstraints": {"permittedIPRanges": "10.0.0.0/33"}}""")]
    [TestCase("""{"basicConstraints": {"isCA": "yes"}}""")]
    public void Malformed_output_is_a_400_naming_the_problem(string json)
    {
        var act = () => Read(json);
        act.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }

    [Test]
    public void Deeply_nested_output_is_refused_not_a_stack_overflow()
    {
        var act = () => Read(new string('[', 10_000) + new string(']', 10_000));
        act.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }
}
