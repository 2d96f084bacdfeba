using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Provisioners.Acme.RenewalInfo;

namespace Smallstep.Pki.Tests.Acme.RenewalInfo;

public class AcmeCertificateIdentifierTests
{
    // RFC 9773 §4.1's example: keyIdentifier 69:88:5B:...:C8:D4, serial 00:87:65:43:21.
    private const string RfcExample = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";

    [Test]
    public void The_rfc_example_parses_into_its_key_identifier_and_serial()
    {
        AcmeCertificateIdentifier.TryParse(RfcExample, out var id).Should().BeTrue();

        Convert.ToHexString(id!.KeyIdentifier.Span).Should().Be("69885B6B87464041E1B37B847BA0AE2CDE01C8D4");
        Convert.ToHexString(id.Serial.Span).Should().Be("0087654321");
        id.SerialDecimal.Should().Be("2271560481");
        id.ToString().Should().Be(RfcExample);
    }

    [TestCase("")]
    [TestCase(".")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.")]
    [TestCase(".AIdlQyE")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE.AA")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE=")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyF")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdl+yE")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AAE")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.gA")]
    [TestCase("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AQIDBAUGBwgJCgsMDQ4PEBESExQV")]
    public void Malformed_or_non_canonical_identifiers_are_refused(string text)
    {
        AcmeCertificateIdentifier.TryParse(text, out var id).Should().BeFalse();
        id.Should().BeNull();
    }

    [Test]
    public void A_certificate_is_named_by_its_aki_and_serial_and_round_trips()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ari.test", key, HashAlgorithmName.SHA256);
        var keyId = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(keyId));
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = request.Create(new X500DistinguishedName("CN=issuer"), X509SignatureGenerator.CreateForECDsa(issuerKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [0x00, 0x87, 0x65, 0x43, 0x21]);

        var id = AcmeCertificateIdentifier.From(certificate)!;

        id.ToString().Should().Be("AQIDBAUGBwgJCgsMDQ4PEBESExQ.AIdlQyE");
        AcmeCertificateIdentifier.TryParse(id.ToString(), out var parsed).Should().BeTrue();
        parsed.Should().Be(id);
        parsed!.Names(certificate).Should().BeTrue();
    }

    [Test]
    public void A_certificate_without_an_authority_key_identifier_has_no_identifier()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=no-aki", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));

        AcmeCertificateIdentifier.From(certificate).Should().BeNull();
    }
}
