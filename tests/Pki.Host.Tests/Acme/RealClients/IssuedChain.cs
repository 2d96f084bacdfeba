using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>A certificate chain a client saved (leaf first, PEM), checked as a relying party would.</summary>
internal sealed class IssuedChain : IDisposable
{
    private IssuedChain(X509Certificate2Collection certificates) => Certificates = certificates;

    public X509Certificate2Collection Certificates { get; }

    public X509Certificate2 Leaf => Certificates[0];

    /// <summary>Reads every certificate of a PEM file (plus, when given, of a separate issuer file), leaf first.</summary>
    public static IssuedChain Load(string pemPath, string? issuerPemPath = null)
    {
        File.Exists(pemPath).Should().BeTrue($"the client should have written {pemPath}");
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(pemPath);
        if (issuerPemPath is not null)
        {
            certificates.ImportFromPemFile(issuerPemPath);
        }
        certificates.Should().NotBeEmpty($"{pemPath} should hold a certificate");
        return new IssuedChain(certificates);
    }

    /// <summary>The DNS and IP names of the leaf's subjectAltName.</summary>
    public IReadOnlyList<string> SubjectAlternativeNames()
    {
        var extension = Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
        extension.Should().NotBeNull("an ACME certificate names its identifiers in subjectAltName");
        return [.. extension!.EnumerateDnsNames(), .. extension.EnumerateIPAddresses().Select(a => a.ToString())];
    }

    /// <summary>
    /// Asserts the leaf names exactly <paramref name="names"/>, is a TLS server certificate valid now,
    /// and chains (through the saved intermediates only) to <paramref name="root"/>.
    /// </summary>
    public void ShouldBeIssuedFor(X509Certificate2 root, params string[] names)
    {
        SubjectAlternativeNames().Should().BeEquivalentTo(names);
        Leaf.NotBefore.ToUniversalTime().Should().BeBefore(DateTime.UtcNow.AddMinutes(1));
        Leaf.NotAfter.ToUniversalTime().Should().BeAfter(DateTime.UtcNow);
        Leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Select(o => o.Value)
            .Should().Contain("1.3.6.1.5.5.7.3.1", "an ACME certificate is for TLS servers");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        foreach (var extra in Certificates.Skip(1))
        {
            chain.ChainPolicy.ExtraStore.Add(extra);
        }
        var built = chain.Build(Leaf);
        built.Should().BeTrue($"the chain should verify to {root.Subject}: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation))}");
        chain.ChainElements[^1].Certificate.Thumbprint.Should().Be(root.Thumbprint);
    }

    public void Dispose()
    {
        foreach (var certificate in Certificates)
        {
            certificate.Dispose();
        }
    }
}
