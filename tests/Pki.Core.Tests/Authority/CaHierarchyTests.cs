using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Authority;

/// <summary>The CA hierarchy of <c>init</c>, the CA's own TLS certificate and its renewal, subject defaults.</summary>
public sealed class CaHierarchyTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(X509Certificate2 Root, X509Issuer Issuer, TestSigner RootKey, TestSigner IntermediateKey)> HierarchyAsync()
    {
        var rootKey = new TestSigner();
        var intermediateKey = new TestSigner();
        var root = await CaCertificateFactory.CreateRootAsync(rootKey, new DistinguishedName { Organization = ["Test"], CommonName = "Test Root CA" }, Start);
        var intermediate = await CaCertificateFactory.CreateIntermediateAsync(new X509Issuer([root], rootKey), intermediateKey.SubjectPublicKeyInfo,
            new DistinguishedName { Organization = ["Test"], CommonName = "Test Intermediate CA" }, Start);
        return (root, new X509Issuer([intermediate], intermediateKey), rootKey, intermediateKey);
    }

    [Test]
    public async Task Init_hierarchy_has_step_cas_profile()
    {
        var (root, issuer, _, _) = await HierarchyAsync();
        var fixtureRoot = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"));
        var fixtureIntermediate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));

        root.Extensions.Select(e => (e.Oid!.Value, e.Critical)).Should().Equal(fixtureRoot.Extensions.Select(e => (e.Oid!.Value, e.Critical)));
        issuer.Chain[0].Extensions.Select(e => (e.Oid!.Value, e.Critical)).Should().Equal(fixtureIntermediate.Extensions.Select(e => (e.Oid!.Value, e.Critical)));
        root.Extensions.OfType<X509BasicConstraintsExtension>().Single().PathLengthConstraint.Should().Be(1);
        issuer.Chain[0].Extensions.OfType<X509BasicConstraintsExtension>().Single().PathLengthConstraint.Should().Be(0);
        (root.NotAfter - root.NotBefore).Should().Be(TimeSpan.FromDays(3650));
        root.Subject.Should().Be("CN=Test Root CA, O=Test");

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Start.AddDays(1).UtcDateTime;
        chain.Build(issuer.Chain[0]).Should().BeTrue();
    }

    [Test]
    public async Task Server_certificate_is_issued_for_dns_names_and_renewed_when_a_third_is_left()
    {
        var (_, issuer, _, _) = await HierarchyAsync();
        var clock = new Clock(Start);
        using var source = new ServerCertificateSource(issuer, "Step Online CA", ["localhost", "127.0.0.1"], clock, TimeSpan.FromMinutes(1));

        await source.RenewIfDueAsync();
        var first = source.Current.Certificate;
        first.GetNameInfo(X509NameType.SimpleName, false).Should().Be("Step Online CA");
        first.HasPrivateKey.Should().BeTrue();
        (first.NotAfter - first.NotBefore).Should().Be(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        first.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Should().Equal("localhost");

        clock.Now = Start.AddHours(15);
        await source.RenewIfDueAsync();
        source.Current.Certificate.Should().BeSameAs(first, "two thirds of the lifetime have not passed");

        clock.Now = Start.AddHours(16).AddSeconds(1);
        await source.RenewIfDueAsync();
        source.Current.Certificate.SerialNumber.Should().NotBe(first.SerialNumber);
    }

    [Test]
    public void Authority_subject_defaults_fill_only_empty_attributes()
    {
        var description = new X509CertificateDescription
        {
            PublicKey = new SubjectPublicKey(PublicKeyKind.Ec, 256, null, []),
            Subject = new DistinguishedName { CommonName = "app.example", Organization = ["Mine"] },
        };
        var defaults = new SubjectDefaultsConfig { Country = "US", Organization = "Default Org", CommonName = "ignored" };

        new DefaultSubjectModifier(defaults).Modify(description, new IssuanceContext(Start, TimeSpan.Zero, default, default));

        description.Subject.Country.Should().Equal("US");
        description.Subject.Organization.Should().Equal("Mine");
        description.Subject.CommonName.Should().Be("app.example");
    }
}
