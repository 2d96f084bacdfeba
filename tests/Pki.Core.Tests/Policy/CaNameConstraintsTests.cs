using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>
/// Name constraints of the CA chain (step-ca authority/internal/constraints, Go crypto/x509
/// matching), on CA certificates made by openssl and by hand.
/// </summary>
public sealed class CaNameConstraintsTests
{
    private const string OpensslConstraints = "critical,permitted;DNS:example.com,permitted;DNS:.corp.example,excluded;DNS:bad.example.com,"
        + "excluded;IP:10.0.0.0/255.0.0.0,permitted;IP:2001:db8::/ffff:ffff::,permitted;email:example.com,permitted;URI:.example.com";

    private static string _folder = "";

    [OneTimeSetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("policy-nc-").FullName;

    [OneTimeTearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>A self-signed CA certificate with <paramref name="nameConstraints"/> made by the openssl command line.</summary>
    private static X509Certificate2 OpensslCa(string name, string nameConstraints)
    {
        var crt = Path.Combine(_folder, name + ".crt");
        var start = new ProcessStartInfo("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", Path.Combine(_folder, name + ".key"), "-out", crt, "-subj", "/CN=" + name, "-days", "1",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "nameConstraints=" + nameConstraints])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, error);
        return X509CertificateLoader.LoadCertificateFromFile(crt);
    }

    /// <summary>A CA certificate carrying <paramref name="extension"/> as its NameConstraints value.</summary>
    private static X509Certificate2 CaWithExtension(byte[] extension, string name = "Hand CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509Extension("2.5.29.30", extension, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static string? Check(CaNameConstraints constraints, string[]? dns = null, string[]? ips = null, string[]? emails = null, string[]? uris = null) =>
        Refusal(() => constraints.Check(Sans(dns, ips, emails, uris)));

    [TestCase("example.com", null)]
    [TestCase("a.b.example.com", null, Description = "RFC 5280: a constraint covers subdomains")]
    [TestCase("EXAMPLE.COM", null)]
    [TestCase("xexample.com", "DNS name \"xexample.com\" is not permitted by any constraint")]
    [TestCase("a.corp.example", null)]
    [TestCase("corp.example", "DNS name \"corp.example\" is not permitted by any constraint", Description = "a leading dot means subdomains only")]
    [TestCase("x.bad.example.com", "DNS name \"x.bad.example.com\" is excluded by constraint \"bad.example.com\"")]
    [TestCase("*.example.com", null, Description = "a wildcard is a label like any other")]
    [TestCase("example.com.", "cannot parse domain \"example.com.\"")]
    public void Dns_names(string name, string? refusal)
    {
        using var ca = OpensslCa("dns", OpensslConstraints);
        Check(CaNameConstraints.FromChain([ca]), dns: [name]).Should().Be(refusal);
    }

    [TestCase("2001:db8::1", null)]
    [TestCase("2001:db9::1", "IP address \"2001:db9::1\" is not permitted by any constraint")]
    [TestCase("10.1.2.3", "IP address \"10.1.2.3\" is excluded by constraint \"10.0.0.0/8\"")]
    [TestCase("::ffff:10.1.2.3", "IP address \"10.1.2.3\" is excluded by constraint \"10.0.0.0/8\"")]
    [TestCase("192.168.1.1", "IP address \"192.168.1.1\" is not permitted by any constraint", Description = "the only permitted range is IPv6")]
    public void Ip_addresses(string ip, string? refusal)
    {
        using var ca = OpensslCa("ip", OpensslConstraints);
        Check(CaNameConstraints.FromChain([ca]), ips: [ip]).Should().Be(refusal);
    }

    [TestCase("user@example.com", null)]
    [TestCase("user@sub.example.com", null, Description = "Go matches an email domain constraint like a DNS one")]
    [TestCase("user@example.org", "Email address \"user@example.org\" is not permitted by any constraint")]
    [TestCase("not-an-email", "cannot parse rfc822Name \"not-an-email\"")]
    public void Email_addresses(string email, string? refusal)
    {
        using var ca = OpensslCa("email", OpensslConstraints);
        Check(CaNameConstraints.FromChain([ca]), emails: [email]).Should().Be(refusal);
    }

    [TestCase("https://a.example.com:8443/x", null)]
    [TestCase("https://example.com/", "URI \"https://example.com/\" is not permitted by any constraint")]
    [TestCase("urn:uuid:1", "URI with empty host (\"urn:uuid:1\") cannot be matched against constraints")]
    [TestCase("https://10.0.0.1/", "URI with IP (\"https://10.0.0.1/\") cannot be matched against constraints")]
    public void Uris(string uri, string? refusal)
    {
        using var ca = OpensslCa("uri", OpensslConstraints);
        Check(CaNameConstraints.FromChain([ca]), uris: [uri]).Should().Be(refusal);
    }

    [Test]
    public void Every_constrained_certificate_of_the_chain_must_permit_the_name()
    {
        using var root = OpensslCa("root", "permitted;DNS:example.com,permitted;DNS:example.org");
        using var intermediate = OpensslCa("intermediate", "permitted;DNS:example.com");
        var constraints = CaNameConstraints.FromChain([intermediate, root]);
        Check(constraints, dns: ["a.example.com"]).Should().BeNull();
        // step-ca pools both lists and would accept this; an RFC 5280 verifier rejects it.
        Check(constraints, dns: ["a.example.org"]).Should().Be("DNS name \"a.example.org\" is not permitted by any constraint");
    }

    [Test]
    public void Only_sans_are_checked_not_the_common_name()
    {
        using var ca = OpensslCa("cn", "permitted;DNS:example.com");
        var constraints = CaNameConstraints.FromChain([ca]);
        constraints.Check(Description("evil.org", Sans(dns: ["a.example.com"])));
        Refusal(() => constraints.Check(Description("a.example.com", Sans(dns: ["evil.org"])))).Should().Be("DNS name \"evil.org\" is not permitted by any constraint");
    }

    [Test]
    public void Chain_without_constraints_allows_everything()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var plain = new CertificateRequest("CN=Plain", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
        var constraints = CaNameConstraints.FromChain([plain]);
        constraints.IsEmpty.Should().BeTrue();
        constraints.Check(Sans(["anything"], ["10.0.0.1"], ["a@b"], ["urn:x"]));
        CaNameConstraints.None.Check(Description("x"));
    }

    [Test]
    public void Directory_name_constraints_are_listed_as_ignored()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
        {
            using (writer.PushSequence())
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, true)))
            {
                writer.WriteEncodedValue(Smallstep.Pki.Issuance.DistinguishedName.FromCommonName("x").Encode());
            }
            using (writer.PushSequence())
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, "example.com", new Asn1Tag(TagClass.ContextSpecific, 2));
            }
        }
        using var ca = CaWithExtension(writer.Encode());
        var constraints = CaNameConstraints.FromChain([ca]);
        constraints.IgnoredConstraints.Should().Equal("CN=Hand CA: permitted directoryName");
        Check(constraints, dns: ["example.com"]).Should().BeNull();
        Check(constraints, dns: ["example.org"]).Should().NotBeNull();
    }

    [TestCase("3000", "empty name constraints extension")]
    [TestCase("3002a000", "empty permitted subtrees")]
    [TestCase("3006a0043002820000", "invalid NameConstraints extension", Description = "trailing garbage inside a subtree list")]
    [TestCase("300ea00c300a8708c0a80000ff00ff00", "non-contiguous mask")]
    [TestCase("300ca00a300887060a000000ff00", "IP constraint of length 6")]
    [TestCase("300aa008300682046180 6263", "invalid NameConstraints extension", Description = "a dNSName that is not IA5")]
    [TestCase("300ba0093007820561 2e2e 62 63", "failed to parse dnsName constraint")]
    [TestCase("300da00b3009860731 2e 32 2e 33 2e 34", "failed to parse URI constraint \"1.2.3.4\": cannot be IP address")]
    [TestCase("30", "invalid NameConstraints extension")]
    [TestCase("3003a00130", "invalid NameConstraints extension")]
    [TestCase("3005a0033001", "invalid NameConstraints extension")]
    public void Malformed_extension_is_rejected_at_load(string hex, string reason)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        using var ca = CaWithExtension(bytes, "Bad CA");
        var e = FluentActions.Invoking(() => CaNameConstraints.FromChain([ca])).Should().Throw<PkiException>().Which;
        e.Kind.Should().Be(PkiErrorKind.Internal);
        e.Message.Should().StartWith("CA certificate \"CN=Bad CA\" has an invalid name constraints extension: ").And.Contain(reason);
    }

    [Test]
    public void Random_corruption_never_escapes_as_another_exception()
    {
        using var ca = OpensslCa("fuzz", OpensslConstraints);
        var valid = ca.Extensions["2.5.29.30"]!.RawData;
        var random = new Random(5280);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            if (random.Next(4) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            using var mutated = CaWithExtension(bytes, "Fuzz");
            try
            {
                CaNameConstraints.FromChain([mutated]).Check(Sans(["a.example.com"], ["2001:db8::1"], ["a@example.com"], ["https://a.example.com/"]));
            }
            catch (PkiException)
            {
                // refused at load (Internal) or the names refused (Forbidden): both fine
            }
        }
    }
}
