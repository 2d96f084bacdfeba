using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Tests.Issuance;

/// <summary>
/// Rebuilds step-ca's fixture leaves from their CSRs and tokens and compares the TBS bytes: our
/// default leaf profile must be byte-identical to step-ca 0.19's (subject, SAN split and order,
/// KU/EKU/SKI/AKI, provisioner extension, extension order, time encoding).
/// </summary>
public sealed class LeafProfileTests
{
    private const string Kid = "RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw";

    [TestCase("ec-p256")]
    [TestCase("rsa-2048")]
    [TestCase("ed25519")]
    [TestCase("email-uri")]
    public void Default_leaf_matches_step_ca_byte_for_byte(string name)
    {
        var issued = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("issued", name + ".crt"));
        var intermediate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        var csr = CertificationRequest.Parse(PemDer(Fixtures.Text("issued", name + ".csr")));
        var claims = TokenClaims(name);

        var sans = claims.GetProperty("sans").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var input = new TemplateInput(DistinguishedName.FromCommonName(claims.GetProperty("sub").GetString()!), SubjectAlternativeNames.Split(sans));
        var description = DefaultLeafTemplate.Render(input, csr);
        description.NotBefore = issued.NotBefore.ToUniversalTime();
        description.NotAfter = issued.NotAfter.ToUniversalTime();
        description.ExtraExtensions.Add(new CertificateExtension(ProvisionerExtension.Oid, false, ProvisionerExtension.Encode(1, "fixture-admin", Kid)));
        var serial = new BigInteger(issued.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);
        var issuerKeyId = intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();

        var tbs = TbsCertificateBuilder.Build(description, serial, intermediate.SubjectName.RawData, issuerKeyId, SignatureAlgorithm(issued.RawData));

        Convert.ToHexString(tbs).Should().Be(Convert.ToHexString(Tbs(issued.RawData)));
    }

    [Test]
    public void Renewal_matches_step_ca_byte_for_byte()
    {
        var old = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("issued", "ec-p256.crt"));
        var renewed = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("issued", "ec-p256-renewed.crt"));
        var intermediate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        var backdate = TimeSpan.FromMinutes(1);
        var now = renewed.NotBefore.ToUniversalTime() + backdate;

        var description = CertificateCopier.ForReissue(old, null, now, backdate);
        var serial = new BigInteger(renewed.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);
        var issuerKeyId = intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();
        var tbs = TbsCertificateBuilder.Build(description, serial, intermediate.SubjectName.RawData, issuerKeyId, SignatureAlgorithm(renewed.RawData));

        description.NotAfter.Should().Be(renewed.NotAfter.ToUniversalTime(), "the lifetime is kept: old duration minus backdate from now");
        Convert.ToHexString(tbs).Should().Be(Convert.ToHexString(Tbs(renewed.RawData)));
    }

    [Test]
    public void Csr_with_a_broken_signature_is_refused()
    {
        var der = PemDer(Fixtures.Text("issued", "ec-p256.csr"));
        der[^5] ^= 0x01;
        var act = () => CertificationRequest.Parse(der);
        act.Should().Throw<Errors.PkiException>().Which.Kind.Should().Be(Errors.PkiErrorKind.BadRequest);
    }

    [TestCase("")]
    [TestCase("MIIB")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Garbage_csr_is_a_bad_request(string base64)
    {
        var act = () => CertificationRequest.Parse(Convert.FromBase64String(base64));
        act.Should().Throw<Errors.PkiException>().Which.Kind.Should().Be(Errors.PkiErrorKind.BadRequest);
    }

    internal static JsonElement TokenClaims(string name)
    {
        using var index = JsonDocument.Parse(Fixtures.Text("issued", "index.json"));
        var entry = index.RootElement.GetProperty("x509").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        return entry.GetProperty("sign_token").GetProperty("claims").Clone();
    }

    internal static byte[] PemDer(string pem)
    {
        var lines = pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal));
        return Convert.FromBase64String(string.Concat(lines));
    }

    internal static byte[] Tbs(byte[] certificate)
    {
        var seq = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        return seq.ReadEncodedValue().ToArray();
    }

    internal static byte[] SignatureAlgorithm(byte[] certificate)
    {
        var seq = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        seq.ReadEncodedValue();
        return seq.ReadEncodedValue().ToArray();
    }
}
