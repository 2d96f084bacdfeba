using System.Net;
using System.Text.RegularExpressions;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Tests.Issuance;

/// <summary>The DER certificate field reader (used by storage queries) against openssl's reading of the same certificates.</summary>
public sealed class X509CertificateFieldsTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Test]
    public void Every_SAN_type_and_a_multi_RDN_subject_read_as_openssl_reads_them()
    {
        var der = SelfSignedCertificates.Create("340282366920938463463374607431768211455", "CN=web, OU=Ops, O=\"Example, Inc.\", C=DE", Start, Start.AddYears(30), sans =>
        {
            sans.AddDnsName("web.example.com");
            sans.AddIpAddress(IPAddress.Parse("10.1.2.3"));
            sans.AddIpAddress(IPAddress.Parse("2001:db8::1"));
            sans.AddEmailAddress("ops@example.com");
            sans.AddUri(new Uri("spiffe://example.com/web"));
            sans.AddUserPrincipalName("skipped@example.com");
        });

        var fields = X509CertificateFields.Parse(der);

        var text = ExternalCommand.Run("openssl", der, "x509", "-inform", "DER", "-noout", "-serial", "-subject", "-startdate", "-enddate", "-nameopt", "RFC2253", "-ext", "subjectAltName");
        fields.SerialDecimal.Should().Be(System.Numerics.BigInteger.Parse("0" + Regex.Match(text, "serial=([0-9A-F]+)").Groups[1].Value, System.Globalization.NumberStyles.HexNumber).ToString());
        fields.Subject.Should().Be(Regex.Match(text, "subject=(.*)").Groups[1].Value.Trim());
        fields.NotBefore.Should().Be(Start);
        fields.NotAfter.Should().Be(Start.AddYears(30), "GeneralizedTime after 2049");
        fields.SubjectAlternativeNames().Should().Equal("web.example.com", "10.1.2.3", "2001:db8::1", "ops@example.com", "spiffe://example.com/web");
        text.Should().Contain("DNS:web.example.com").And.Contain("IP Address:10.1.2.3").And.Contain("email:ops@example.com").And.Contain("URI:spiffe://example.com/web");
    }

    [Test]
    public void A_certificate_without_extensions_has_no_SANs_and_no_provisioner()
    {
        var fields = X509CertificateFields.Parse(SelfSignedCertificates.Create("7", "CN=bare", Start, Start.AddDays(1)));

        fields.SubjectAlternativeNames().Should().BeEmpty();
        fields.ProvisionerExtension().Should().BeNull();
        fields.Subject.Should().Be("CN=bare");
    }

    [Test]
    public void An_attribute_that_is_not_valid_text_is_printed_as_hex_rather_than_losing_the_certificate()
    {
        // CN as a BMPString holding a lone high surrogate (U+D800) then "A"; O as a valid PrintableString.
        byte[] name = [0x30, 0x1F, 0x31, 0x0D, 0x30, 0x0B, 0x06, 0x03, 0x55, 0x04, 0x03, 0x1E, 0x04, 0xD8, 0x00, 0x00, 0x41,
            0x31, 0x0E, 0x30, 0x0C, 0x06, 0x03, 0x55, 0x04, 0x0A, 0x13, 0x05, (byte)'E', (byte)'x', (byte)'O', (byte)'r', (byte)'g'];
        // (.NET refuses to build a certificate with such a name, so the name is formatted alone.)
        DistinguishedNameText.Format(name).Should().Be("O=ExOrg,2.5.4.3=#1e04d8000041");
    }

    [Test]
    public void Malformed_input_is_a_FormatException_for_every_truncation_and_many_bit_flips()
    {
        var der = SelfSignedCertificates.Create("99", "CN=fuzz", Start, Start.AddDays(1), s => s.AddDnsName("fuzz.example"));
        var random = new Random(1234);
        var inputs = Enumerable.Range(0, der.Length).Select(n => der[..n])
            .Concat(Enumerable.Range(0, 3000).Select(_ =>
            {
                var copy = (byte[])der.Clone();
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            }));
        foreach (var input in inputs)
        {
            try
            {
                var fields = X509CertificateFields.Parse(input);
                _ = fields.Subject + fields.Issuer + fields.SerialDecimal;
                _ = fields.SubjectAlternativeNames();
                _ = fields.ProvisionerExtension();
            }
            catch (FormatException)
            {
                // The one failure the reader may report.
            }
        }
        FluentActions.Invoking(() => X509CertificateFields.Parse(new byte[70_000])).Should().Throw<FormatException>().WithMessage("*at most*");
    }
}
