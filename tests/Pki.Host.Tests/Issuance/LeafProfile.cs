using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Issuance;

/// <summary>
/// The X.509 leaf profile step-ca 0.19 issues for a JWK token (MANIFEST.md, issued/index.json):
/// extension order KU (critical), EKU, SKI, AKI, SAN, step provisioner extension (last, not critical);
/// EKU serverAuth+clientAuth; validity 24 h plus the 1-minute backdate; ECDSA-SHA256 by the intermediate.
/// </summary>
internal static class LeafProfile
{
    public const string ProvisionerOid = "1.3.6.1.4.1.37476.9000.64.1";
    public static readonly string[] FreshOrder = ["2.5.29.15", "2.5.29.37", "2.5.29.14", "2.5.29.35", "2.5.29.17", ProvisionerOid];

    /// <summary>Checks the profile of a freshly signed leaf requested between <paramref name="requestedFrom"/> and <paramref name="requestedTo"/>.</summary>
    public static void ShouldBeStepLeaf(X509Certificate2 leaf, X509Certificate2 issuer, string commonName, IReadOnlyList<string> sans,
        X509KeyUsageFlags keyUsage, string provisionerName, string keyId, DateTimeOffset requestedFrom, DateTimeOffset requestedTo)
    {
        leaf.Subject.Should().Be("CN=" + commonName);
        leaf.Issuer.Should().Be(issuer.Subject);
        leaf.SignatureAlgorithm.Value.Should().Be("1.2.840.10045.4.3.2", "the intermediate is EC P-256: ecdsa-with-SHA256");
        // A random 128-bit serial is 16 octets, 17 when its high bit is set, and fewer only when it starts with zero octets (1 in 256 each).
        leaf.SerialNumberBytes.Length.Should().BeInRange(9, 17, "step-ca serials are random 128-bit numbers");

        leaf.Extensions.Select(e => e.Oid!.Value).Should().Equal(FreshOrder);
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().Single();
        usage.Critical.Should().BeTrue();
        usage.KeyUsages.Should().Be(keyUsage);
        leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()
            .Select(o => o.Value).Should().Equal("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray()
            .Should().Equal(Convert.FromHexString(issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!));
        SansOf(leaf).Should().BeEquivalentTo(sans);
        ShouldNameProvisioner(leaf, provisionerName, keyId);

        (leaf.NotAfter - leaf.NotBefore).Should().Be(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        // NotBefore = signing time - 1 min backdate, whole seconds.
        new DateTimeOffset(leaf.NotBefore.ToUniversalTime()).Should().BeOnOrAfter(requestedFrom.AddMinutes(-1).AddSeconds(-1))
            .And.BeOnOrBefore(requestedTo.AddMinutes(-1));
    }

    /// <summary>DNS names, IP addresses, emails and URIs of the SAN extension, as strings.</summary>
    public static IReadOnlyList<string> SansOf(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var names = extension.EnumerateDnsNames().Concat(extension.EnumerateIPAddresses().Select(ip => ip.ToString())).ToList();
        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (reader.HasData)
        {
            var tag = reader.PeekTag();
            if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 1 or 6)
            {
                names.Add(System.Text.Encoding.ASCII.GetString(reader.ReadOctetString(tag)));
            }
            else
            {
                reader.ReadEncodedValue();
            }
        }
        return names;
    }

    /// <summary>The step provisioner extension: <c>SEQUENCE { INTEGER 1 (JWK), OCTET STRING name, OCTET STRING kid }</c>, not critical.</summary>
    public static void ShouldNameProvisioner(X509Certificate2 leaf, string provisionerName, string keyId)
    {
        var extension = leaf.Extensions[ProvisionerOid]!;
        extension.Critical.Should().BeFalse();
        var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        ((int)sequence.ReadInteger()).Should().Be(1);
        System.Text.Encoding.UTF8.GetString(sequence.ReadOctetString()).Should().Be(provisionerName);
        System.Text.Encoding.UTF8.GetString(sequence.ReadOctetString()).Should().Be(keyId);
        sequence.HasData.Should().BeFalse();
    }
}
