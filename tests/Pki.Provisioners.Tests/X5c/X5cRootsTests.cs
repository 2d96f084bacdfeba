using System.Text;
using System.Text.Json.Nodes;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.X5c;

namespace Smallstep.Pki.Tests.X5c;

/// <summary>ca.json <c>roots</c>: standard base64 of a PEM bundle, every block a certificate, at least one.</summary>
public sealed class X5cRootsTests
{
    [Test]
    public void A_bundle_of_two_roots_trusts_both()
    {
        using var first = new X5cTestPki(DateTimeOffset.UtcNow, "First");
        using var second = new X5cTestPki(DateTimeOffset.UtcNow, "Second");

        using var ca = new X5cAuthority(e => e["roots"] = first.RootsBase64(first.Root, second.Root));

        var provisioner = ca.Catalog.FindByName(X5cTokens.Provisioner).Should().BeOfType<X5cProvisioner>().Subject;
        provisioner.Roots.Select(r => r.Thumbprint).Should().Equal(first.Root.Thumbprint, second.Root.Thumbprint);
        provisioner.Id.Should().Be("x5c/" + X5cTokens.Provisioner);
    }

    [TestCase(null, "provisioner root(s) cannot be empty")]
    [TestCase("", "provisioner root(s) cannot be empty")]
    [TestCase("not base64 at all", "standard base64")]
    [TestCase("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1BQT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=", "error parsing x509 certificate from PEM block 1")]
    [TestCase("aGVsbG8gd29ybGQ=", "no x509 certificates found in roots")]
    public void Roots_that_are_not_a_pem_bundle_of_certificates_stop_the_start_naming_the_field(string? roots, string message)
    {
        var build = () => new X5cAuthority(e => e["roots"] = roots is null ? null : JsonValue.Create(roots));

        var error = build.Should().Throw<CaConfigException>().Which;
        error.Errors.Should().ContainSingle().Which.Field.Should().Be("authority.provisioners[0].roots");
        error.Errors[0].Message.Should().Contain(message);
    }

    [Test]
    public void A_pem_block_that_is_not_a_certificate_is_refused_as_go_refuses_it()
    {
        using var pki = new X5cTestPki(DateTimeOffset.UtcNow);
        var bundle = pki.Root.ExportCertificatePem() + "\n-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";

        var (roots, error) = X5cProvisionerType.ParseRoots(Encoding.ASCII.GetBytes(bundle));

        roots.Should().BeEmpty();
        error.Should().Contain("PEM block 2");
    }

    [Test]
    public void Options_in_code_become_the_same_entry()
    {
        using var pki = new X5cTestPki(DateTimeOffset.UtcNow);
        var options = new X5cProvisionerOptions { RootsPem = pki.Root.ExportCertificatePem() };

        var entry = options.ToEntry("X5C", "coded");

        Encoding.UTF8.GetString(entry.Json.GetProperty("roots").GetBytesFromBase64()).Should().Be(pki.Root.ExportCertificatePem());
    }
}
